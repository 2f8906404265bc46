"""One connection pool per process: one loop thread owning one HTTP session, connections kept alive and
reused across calls and threads, idle connections the server closed replaced (never resent), a clean
close at exit."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from transport_support import TOKEN_PATHS, Relay, api_at

from pulumi_okta_token._transport import _loop
from pulumi_okta_token.errors import TransportError
from pulumi_okta_token.testing import FakeOkta
from pulumi_okta_token.testing.okta.backend import FakeToken


@pytest.fixture
def relay(fake_okta: FakeOkta) -> Iterator[Relay]:
    """The fake Okta behind a relay that counts connections."""
    port = int(fake_okta.url.rsplit(":", 1)[1])
    relay = Relay(port)
    yield relay
    relay.close()


def wait_until(condition: object, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.01)


# -- reuse ----------------------------------------------------------------------------------


def test_sequential_calls_reuse_one_connection(fake_okta: FakeOkta, admin: FakeToken) -> None:
    client = api_at(fake_okta.url, admin.secret)
    for _ in range(5):
        client.get(admin.id)
    assert fake_okta.connections == 1


def test_clients_of_the_same_org_share_the_pool(fake_okta: FakeOkta, admin: FakeToken) -> None:
    for _ in range(3):
        api_at(fake_okta.url, admin.secret).get(admin.id)
    assert fake_okta.connections == 1


def test_calls_from_different_threads_reuse_one_connection(fake_okta: FakeOkta, admin: FakeToken) -> None:
    client = api_at(fake_okta.url, admin.secret)
    for _ in range(4):
        thread = threading.Thread(target=client.get, args=(admin.id,))
        thread.start()
        thread.join()
    assert fake_okta.connections == 1


def test_concurrent_calls_open_no_more_connections_than_calls_at_once(
    fake_okta: FakeOkta, admin: FakeToken
) -> None:
    client = api_at(fake_okta.url, admin.secret)
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda _: client.get(admin.id), range(40)))
    assert fake_okta.connections <= 4


def test_https_calls_reuse_one_connection_and_one_tls_handshake() -> None:
    with FakeOkta(tls=True) as okta:
        admin = okta.org.add_token(name="admin")
        client = api_at(okta.url, admin.secret, ca_file=okta.ca_file)
        for _ in range(5):
            client.get(admin.id)
        assert (okta.connections, okta.tls_handshakes) == (1, 1)


def test_the_relay_counts_connections_as_the_fake_does(
    relay: Relay, fake_okta: FakeOkta, admin: FakeToken
) -> None:
    client = api_at(relay.url(), admin.secret)
    for _ in range(3):
        client.get(admin.id)
    assert relay.accepted == fake_okta.connections == 1


# -- the loop thread ------------------------------------------------------------------------


async def _current_thread() -> threading.Thread:
    return threading.current_thread()


def test_one_loop_thread_serves_callers_from_several_threads() -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        threads = set(pool.map(lambda _: _loop.run(_current_thread), range(16)))
    assert [(thread.name, thread.daemon) for thread in threads] == [("okta-transport", True)]


def test_concurrent_callers_wait_on_the_loop_together_not_in_turn(
    fake_okta: FakeOkta, admin: FakeToken
) -> None:
    fake_okta.inject_fault("GET", TOKEN_PATHS, latency=0.5, times=4)
    client = api_at(fake_okta.url, admin.secret)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda _: client.get(admin.id), range(4)))
    assert time.monotonic() - started < 1.5


def test_run_on_the_loop_thread_itself_is_refused() -> None:
    async def nested() -> object:
        return _loop.run(_current_thread)

    with pytest.raises(RuntimeError, match=r"transport's own loop thread"):
        _loop.run(nested)


# -- connections the server closes ----------------------------------------------------------


def test_an_idle_connection_the_server_closed_is_replaced_not_failed(relay: Relay, admin: FakeToken) -> None:
    client = api_at(relay.url(), admin.secret)
    client.get(admin.id)
    relay.close_connections()
    wait_until(lambda: relay.open_connections == 0)
    time.sleep(0.05)  # the client's loop reads the close
    assert client.get(admin.id).id == admin.id
    assert relay.accepted == 2


def test_an_idle_connection_the_server_closed_is_not_resent_on(
    relay: Relay, fake_okta: FakeOkta, admin: FakeToken
) -> None:
    client = api_at(relay.url(), admin.secret)
    client.get(admin.id)
    relay.close_connections()
    wait_until(lambda: relay.open_connections == 0)
    time.sleep(0.05)
    client.get(admin.id)
    assert [entry.status for entry in fake_okta.calls("GET")] == [200, 200]


def test_a_request_dropped_on_a_reused_connection_is_not_resent(
    relay: Relay, fake_okta: FakeOkta, admin: FakeToken
) -> None:
    client = api_at(relay.url(), admin.secret)
    client.get(admin.id)
    fake_okta.inject_fault("GET", TOKEN_PATHS, drop=True)
    with pytest.raises(TransportError, match=r"dropped"):
        client.get(admin.id)
    assert [entry.status for entry in fake_okta.calls("GET")] == [200, 0]


def test_a_put_dropped_on_a_reused_connection_is_not_resent(
    relay: Relay, fake_okta: FakeOkta, admin: FakeToken
) -> None:
    client = api_at(relay.url(), admin.secret)
    client.get(admin.id)
    fake_okta.inject_fault("PUT", TOKEN_PATHS, drop=True)
    with pytest.raises(TransportError, match=r"dropped"):
        client.update(admin.id, {"name": "renamed"})
    assert [entry.status for entry in fake_okta.calls("PUT")] == [0]


# -- closing --------------------------------------------------------------------------------


def test_close_closes_the_pooled_connections(relay: Relay, admin: FakeToken) -> None:
    api_at(relay.url(), admin.secret).get(admin.id)
    _loop.close()
    wait_until(lambda: relay.open_connections == 0)
    assert relay.open_connections == 0


def test_close_stops_the_loop_thread() -> None:
    thread = _loop.run(_current_thread)
    _loop.close()
    assert not thread.is_alive()


def test_calls_after_close_start_a_new_pool(relay: Relay, admin: FakeToken) -> None:
    client = api_at(relay.url(), admin.secret)
    client.get(admin.id)
    _loop.close()
    assert client.get(admin.id).id == admin.id
    assert relay.accepted == 2


def test_a_call_in_flight_when_the_pool_closes_raises_transport_error(
    fake_okta: FakeOkta, admin: FakeToken
) -> None:
    fake_okta.inject_fault("GET", TOKEN_PATHS, latency=5.0)
    client = api_at(fake_okta.url, admin.secret)
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(client.get, admin.id)
        wait_until(lambda: len(fake_okta.calls("GET")) == 1 or pending.done(), timeout=0.5)
        time.sleep(0.2)
        started = time.monotonic()
        _loop.close()
        with pytest.raises(TransportError, match=r"transport was closed"):
            pending.result(timeout=5)
    assert time.monotonic() - started < 3


EXIT_SCRIPT = """
import os, time
from pulumi_okta_token._transport import OktaApiTokens
from pulumi_okta_token._settings import ApiTokenAuth, OktaSettings
client = OktaApiTokens(OktaSettings(org_url=os.environ["ORG_URL"], auth=ApiTokenAuth(os.environ["SECRET"])))
client.get(os.environ["TOKEN_ID"])
"""


def test_the_process_exits_at_once_with_no_unclosed_session_warning(
    fake_okta: FakeOkta, admin: FakeToken
) -> None:
    environ = {**os.environ, "ORG_URL": fake_okta.url, "SECRET": admin.secret, "TOKEN_ID": admin.id}
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-X", "dev", "-c", EXIT_SCRIPT],
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert time.monotonic() - started < 10
    assert [entry.status for entry in fake_okta.calls("GET")] == [200]


CLOSED_AT_EXIT_SCRIPT = """
import atexit, os, sys
# registered first, so it runs last: after the transport's own exit handler
atexit.register(lambda: print(sys.modules["pulumi_okta_token._transport._loop"]._LOOP._running is None))
from pulumi_okta_token._transport import OktaApiTokens
from pulumi_okta_token._settings import ApiTokenAuth, OktaSettings
client = OktaApiTokens(OktaSettings(org_url=os.environ["ORG_URL"], auth=ApiTokenAuth(os.environ["SECRET"])))
client.get(os.environ["TOKEN_ID"])
"""


def test_the_pool_is_closed_at_interpreter_exit(fake_okta: FakeOkta, admin: FakeToken) -> None:
    environ = {**os.environ, "ORG_URL": fake_okta.url, "SECRET": admin.secret, "TOKEN_ID": admin.id}
    result = subprocess.run(
        [sys.executable, "-c", CLOSED_AT_EXIT_SCRIPT], env=environ, capture_output=True, text=True, timeout=60
    )
    assert (result.returncode, result.stdout.strip()) == (0, "True")
