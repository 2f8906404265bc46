"""Fixtures of the transport's tests: the admin token, recorded retry waits, fixed-answer servers."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from transport_support import StaticServer

from pulumi_okta_token._transport import _request
from pulumi_okta_token.testing import FakeOkta
from pulumi_okta_token.testing.okta.backend import FakeToken


@pytest.fixture
def admin(fake_okta: FakeOkta) -> FakeToken:
    """The API token the tests authenticate with."""
    return fake_okta.org.add_token(name="admin")


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """Retry waits, recorded instead of slept."""
    recorded: list[float] = []

    async def record(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr(_request, "_sleep", record)
    yield recorded


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
