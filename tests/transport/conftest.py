"""Fixtures of the transport's tests: the admin token, virtual time and recorded waits, fixed-answer
servers; every test starts with no rate-limit budget known."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from transport_support import StaticServer, VirtualTime

from pulumi_okta_token._transport import _budget, _request
from pulumi_okta_token.testing import FakeOkta
from pulumi_okta_token.testing.okta.backend import FakeToken


@pytest.fixture
def admin(fake_okta: FakeOkta) -> FakeToken:
    """The API token the tests authenticate with."""
    return fake_okta.org.add_token(name="admin")


@pytest.fixture(autouse=True)
def _no_budget_known() -> Iterator[None]:
    """Budgets are per org URL and credential: a port reused by a later test must not inherit one."""
    _budget.forget_all()
    yield
    _budget.forget_all()


@pytest.fixture
def virtual_time(monkeypatch: pytest.MonkeyPatch) -> VirtualTime:
    """The transport's waits (retries, rate-limit budget) recorded instead of slept; the budget's clock
    moves by them. Pass ``virtual_time.now`` as a fake's clock to move the org's time with them."""
    clock = VirtualTime()
    monkeypatch.setattr(_request, "_sleep", clock.sleep)
    monkeypatch.setattr(_budget, "_sleep", clock.sleep)
    monkeypatch.setattr(_budget, "_monotonic", clock.monotonic)
    return clock


@pytest.fixture
def waits(virtual_time: VirtualTime) -> list[float]:
    """Every wait of the transport (before a retry, for rate-limit budget), recorded instead of slept."""
    return virtual_time.waits


@pytest.fixture
def static_server() -> Iterator[Callable[[int, str, str], StaticServer]]:
    """Start servers that answer every request alike; stopped after the test."""
    servers: list[StaticServer] = []

    def start(status: int, content_type: str, body: str) -> StaticServer:
        servers.append(StaticServer(status, content_type, body))
        return servers[-1]

    yield start
    for server in servers:
        server.close()
