"""A connection opened ahead: at Configure the org's connection is opened (TCP and TLS) and pooled, with
no request sent; the first request takes it, even one that starts while it is being opened."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from seeded_org import configured
from transport_support import api_at

from pulumi_okta_token.testing import FakeOkta
from pulumi_okta_token.testing.engine import NativeEngine
from pulumi_okta_token.testing.okta.backend import FakeToken


@pytest.fixture
def tls_okta() -> Iterator[FakeOkta]:
    with FakeOkta(tls=True) as okta:
        yield okta


@pytest.fixture
def tls_admin(tls_okta: FakeOkta) -> FakeToken:
    return tls_okta.org.add_token(name="admin")


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)
    return condition()


def test_connecting_ahead_opens_a_tls_connection_and_sends_no_request(
    tls_okta: FakeOkta, tls_admin: FakeToken
) -> None:
    api_at(tls_okta.url, tls_admin.secret, ca_file=tls_okta.ca_file).connect_ahead()

    assert wait_until(lambda: tls_okta.tls_handshakes == 1)
    time.sleep(0.1)
    assert (tls_okta.connections, tls_okta.journal) == (1, [])


def test_the_first_request_takes_the_connection_opened_ahead(
    tls_okta: FakeOkta, tls_admin: FakeToken
) -> None:
    client = api_at(tls_okta.url, tls_admin.secret, ca_file=tls_okta.ca_file)
    client.connect_ahead()
    assert wait_until(lambda: tls_okta.tls_handshakes == 1)

    client.get(tls_admin.id)
    assert (tls_okta.connections, tls_okta.tls_handshakes, len(tls_okta.journal)) == (1, 1, 1)


def test_a_request_made_while_the_connection_opens_waits_for_it() -> None:
    with FakeOkta(tls=True, rtt=0.2) as okta:  # the handshake takes round trips
        admin = okta.org.add_token(name="admin")
        client = api_at(okta.url, admin.secret, ca_file=okta.ca_file)
        client.connect_ahead()
        client.get(admin.id)
        assert (okta.connections, okta.tls_handshakes) == (1, 1)


def test_configuring_the_provider_opens_the_connection_before_any_call(
    tls_okta: FakeOkta, tls_admin: FakeToken
) -> None:
    configured(
        {"okta:orgUrl": tls_okta.url, "okta:apiToken": tls_admin.secret, "okta:caFile": tls_okta.ca_file}
    )

    assert wait_until(lambda: tls_okta.tls_handshakes == 1)
    assert tls_okta.journal == []


def test_a_provider_configured_without_settings_opens_nothing(fake_okta: FakeOkta) -> None:
    configured({})
    time.sleep(0.2)
    assert fake_okta.connections == 0


def test_the_native_plugins_configure_opens_the_connection_before_any_call(
    tls_okta: FakeOkta, tls_admin: FakeToken
) -> None:
    config = {
        "okta-token:orgUrl": tls_okta.url,
        "okta-token:apiToken": tls_admin.secret,
        "okta-token:caFile": tls_okta.ca_file,
    }
    with NativeEngine(config).plugin():
        assert wait_until(lambda: tls_okta.tls_handshakes == 1)
        assert tls_okta.journal == []
