"""The latency relay: a network's round-trip time between client and fake, handshakes included."""

from __future__ import annotations

import asyncio
import http.client
import json
import socket
import ssl
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from fake_okta_support import TOKENS

from pulumi_okta_token.testing import FakeOkta
from pulumi_okta_token.testing.relay import LatencyRelay

RTT = 0.1


def connect(url: str, ca_file: str | None = None) -> http.client.HTTPConnection:
    parts = urlsplit(url)
    if parts.scheme == "https":
        context = ssl.create_default_context(cafile=ca_file)
        return http.client.HTTPSConnection(parts.hostname or "", parts.port, timeout=10, context=context)
    return http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)


def timed_get(connection: http.client.HTTPConnection, auth: str, path: str = TOKENS) -> tuple[float, bytes]:
    """Seconds one GET took on ``connection`` (connecting first if it is new), and the body."""
    started = time.monotonic()
    connection.request("GET", path, headers={"Authorization": auth})
    response = connection.getresponse()
    body = response.read()
    assert response.status == 200
    return time.monotonic() - started, body


def refuses_connections(url: str) -> bool:
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port), timeout=1).close()
    except ConnectionRefusedError:
        return True
    return False


@pytest.fixture
def slow() -> Iterator[FakeOkta]:
    with FakeOkta(rtt=RTT) as okta:
        yield okta


@pytest.fixture
def slow_tls() -> Iterator[FakeOkta]:
    with FakeOkta(tls=True, rtt=RTT) as okta:
        yield okta


def auth_of(okta: FakeOkta) -> str:
    return "SSWS " + okta.org.add_token(name="admin").secret


def test_a_request_on_a_kept_alive_connection_takes_one_rtt(slow: FakeOkta) -> None:
    auth, connection = auth_of(slow), connect(slow.url)
    try:
        timed_get(connection, auth)
        took, _ = timed_get(connection, auth)
    finally:
        connection.close()
    assert took >= RTT


def test_a_request_on_a_new_connection_pays_the_tcp_handshake_too(slow: FakeOkta) -> None:
    auth, connection = auth_of(slow), connect(slow.url)
    try:
        took, _ = timed_get(connection, auth)
    finally:
        connection.close()
    assert took >= 2 * RTT


def test_a_new_tls_connection_takes_two_rtt_more_than_a_reused_one(slow_tls: FakeOkta) -> None:
    auth, connection = auth_of(slow_tls), connect(slow_tls.url, slow_tls.ca_file)
    try:
        first, _ = timed_get(connection, auth)
        reused = min(timed_get(connection, auth)[0] for _ in range(2))
    finally:
        connection.close()
    assert first - reused >= 2 * RTT


def test_the_relay_url_verifies_with_the_fakes_certificate(slow_tls: FakeOkta) -> None:
    assert slow_tls.url.startswith("https://127.0.0.1:") and slow_tls.url != slow_tls.direct_url
    connection = connect(slow_tls.url, slow_tls.ca_file)  # verifies the host name, as by default
    try:
        timed_get(connection, auth_of(slow_tls))
    finally:
        connection.close()


def test_a_connection_through_the_relay_is_one_connection_of_the_fake(slow: FakeOkta) -> None:
    auth, connection = auth_of(slow), connect(slow.url)
    try:
        for _ in range(3):
            timed_get(connection, auth)
    finally:
        connection.close()
    assert slow.connections == 1


def test_the_relay_delivers_a_large_answer_whole(slow: FakeOkta) -> None:
    tokens = [slow.org.add_token(name=f"token-{number}").id for number in range(400)]
    connection = connect(slow.url)
    try:
        _, body = timed_get(connection, auth_of(slow))
    finally:
        connection.close()
    assert len(body) > 200_000 and [item["id"] for item in json.loads(body)][:400] == tokens


def test_next_links_through_the_relay_lead_back_through_it(slow: FakeOkta) -> None:
    auth = auth_of(slow)
    slow.org.add_token()
    connection = connect(slow.url)
    try:
        connection.request("GET", TOKENS + "?limit=1", headers={"Authorization": auth})
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    links = response.headers.get_all("Link") or []
    assert any(link.startswith(f"<{slow.url}{TOKENS}?after=") and 'rel="next"' in link for link in links)


def test_the_direct_url_skips_the_relay(slow: FakeOkta) -> None:
    connection = connect(slow.direct_url)
    try:
        took, _ = timed_get(connection, auth_of(slow))
    finally:
        connection.close()
    assert took < 2 * RTT


def test_a_relay_can_be_added_to_a_running_fake(fake_okta: FakeOkta) -> None:
    url = fake_okta.start_latency_relay(RTT)
    connection = connect(url)
    try:
        took, _ = timed_get(connection, auth_of(fake_okta))
    finally:
        connection.close()
    assert url != fake_okta.url and took >= 2 * RTT


def test_relays_stop_with_the_fake() -> None:
    with FakeOkta(rtt=RTT) as okta:
        relayed, added = okta.url, okta.start_latency_relay(RTT)
    assert refuses_connections(relayed) and refuses_connections(added)


@pytest.mark.parametrize("rtt", [0, -0.1, 10.5])
def test_an_rtt_outside_zero_to_ten_seconds_is_refused(rtt: float) -> None:
    with pytest.raises(ValueError, match="rtt must be more than 0 and at most 10 seconds"):
        FakeOkta(rtt=rtt)


def test_the_relay_forwards_to_loopback_only() -> None:
    with pytest.raises(ValueError, match=r"127\.0\.0\.1 only"):
        LatencyRelay(("192.0.2.1", 443), RTT)


def test_the_relay_closes_connections_past_its_bound() -> None:
    async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(1024):
                writer.write(data)
        except ConnectionError:
            pass
        finally:
            writer.close()

    async def scenario() -> tuple[bytes, bytes]:
        target = await asyncio.start_server(echo, "127.0.0.1", 0)
        relay = LatencyRelay(("127.0.0.1", target.sockets[0].getsockname()[1]), 0.01, max_connections=1)
        port = await relay.start()
        try:
            first_reader, first = await asyncio.open_connection("127.0.0.1", port)
            second_reader, second = await asyncio.open_connection("127.0.0.1", port)
            try:
                refused = await asyncio.wait_for(second_reader.read(), 5)
            except ConnectionResetError:
                refused = b""
            first.write(b"ping")
            echoed = await asyncio.wait_for(first_reader.readexactly(4), 5)
            for writer in (first, second):
                writer.close()
            await asyncio.gather(first.wait_closed(), second.wait_closed(), return_exceptions=True)
            return refused, echoed
        finally:
            await relay.stop()
            target.close()
            await target.wait_closed()

    assert asyncio.run(scenario()) == (b"", b"ping")
