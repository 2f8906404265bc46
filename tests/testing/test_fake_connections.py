"""The fake counts the connections it accepts, so tests can tell whether a client reuses them."""

from __future__ import annotations

import http.client
import ssl
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from fake_okta_support import TOKENS, Api, SpecChecker

from pulumi_okta_token.testing import FakeOkta


def connect(url: str, ca_file: str | None = None) -> http.client.HTTPConnection:
    """A keep-alive HTTP(S) connection to ``url`` (opened by its first request)."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        context = ssl.create_default_context(cafile=ca_file)
        return http.client.HTTPSConnection(parts.hostname or "", parts.port, timeout=10, context=context)
    return http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)


def get(connection: http.client.HTTPConnection, auth: str) -> int:
    """One GET of the list on ``connection``, read to the end so the connection can carry the next."""
    connection.request("GET", TOKENS, headers={"Authorization": auth})
    response = connection.getresponse()
    response.read()
    return response.status


def get_once(okta: FakeOkta, auth: str) -> int:
    """One GET on a connection of its own."""
    connection = connect(okta.url, okta.ca_file)
    try:
        return get(connection, auth)
    finally:
        connection.close()


@pytest.fixture
def tls_okta() -> Iterator[FakeOkta]:
    with FakeOkta(tls=True) as okta:
        yield okta


def auth_of(okta: FakeOkta) -> str:
    return "SSWS " + okta.org.add_token(name="admin").secret


def test_a_fake_that_served_nothing_has_accepted_no_connection(fake_okta: FakeOkta) -> None:
    assert (fake_okta.connections, fake_okta.tls_handshakes) == (0, 0)


def test_requests_on_one_kept_alive_connection_count_one_connection(fake_okta: FakeOkta) -> None:
    auth, connection = auth_of(fake_okta), connect(fake_okta.url)
    try:
        assert [get(connection, auth) for _ in range(3)] == [200, 200, 200]
    finally:
        connection.close()
    assert fake_okta.connections == 1


def test_each_new_client_connection_counts_one_more(fake_okta: FakeOkta, checker: SpecChecker | None) -> None:
    auth = auth_of(fake_okta)
    api = Api(fake_okta, checker)  # one connection per request
    for _ in range(3):
        api.call("GET", TOKENS, auth=auth)
    assert fake_okta.connections == 3


def test_a_connection_that_sends_nothing_is_counted_too(fake_okta: FakeOkta) -> None:
    auth, silent = auth_of(fake_okta), connect(fake_okta.url)
    silent.connect()
    silent.close()
    get_once(fake_okta, auth)
    assert fake_okta.connections == 2


def test_over_http_no_tls_handshake_is_counted(fake_okta: FakeOkta) -> None:
    get_once(fake_okta, auth_of(fake_okta))
    assert fake_okta.tls_handshakes == 0


def test_over_https_each_new_connection_makes_one_tls_handshake(tls_okta: FakeOkta) -> None:
    auth = auth_of(tls_okta)
    kept, fresh = connect(tls_okta.url, tls_okta.ca_file), connect(tls_okta.url, tls_okta.ca_file)
    try:
        statuses = [get(kept, auth), get(kept, auth), get(fresh, auth)]
    finally:
        kept.close()
        fresh.close()
    assert statuses == [200, 200, 200]
    assert (tls_okta.connections, tls_okta.tls_handshakes) == (2, 2)


def test_reset_counts_connections_from_zero_again(tls_okta: FakeOkta) -> None:
    get_once(tls_okta, auth_of(tls_okta))
    tls_okta.reset()
    assert (tls_okta.connections, tls_okta.tls_handshakes) == (0, 0)
