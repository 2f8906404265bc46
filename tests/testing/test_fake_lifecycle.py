"""``FakeOkta`` as a context manager and fixture: start, stop, TLS, the public names."""

from __future__ import annotations

import os
import socket
import ssl
import threading
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest
from fake_okta_support import TOKENS, Api, SpecChecker

from pulumi_okta_token.testing import FakeOkta


def fake_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "fake-okta"]


def refuses_connections(url: str) -> bool:
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port), timeout=1).close()
    except ConnectionRefusedError:
        return True
    return False


def test_the_fixture_yields_a_started_empty_fake(fake_okta: FakeOkta) -> None:
    assert fake_okta.url.startswith("http://127.0.0.1:") and not fake_okta.url.endswith("/")
    assert fake_okta.org.tokens() == [] and fake_okta.ca_file is None


def test_leaving_the_with_block_stops_the_thread_and_frees_the_port() -> None:
    before = len(fake_threads())
    with FakeOkta() as okta:
        url = okta.url
        assert len(fake_threads()) == before + 1
    assert len(fake_threads()) == before and refuses_connections(url)


def test_stop_twice_is_harmless() -> None:
    okta = FakeOkta().start()
    okta.stop()
    okta.stop()
    assert okta._thread is None


def test_url_before_start_says_how_to_start() -> None:
    with pytest.raises(RuntimeError, match="with FakeOkta"):
        FakeOkta().url  # noqa: B018


def test_starting_twice_is_refused() -> None:
    with FakeOkta() as okta, pytest.raises(RuntimeError, match="already running"):
        okta.start()


def test_two_fakes_serve_separate_orgs_side_by_side() -> None:
    with FakeOkta() as first, FakeOkta() as second:
        token = first.org.add_token()
        assert first.url != second.url
        assert Api(second, None).call("GET", TOKENS, auth=f"SSWS {token.secret}").status == 401


def test_a_taken_port_raises_at_start_and_leaves_no_thread() -> None:
    with FakeOkta() as okta:
        port = urlsplit(okta.url).port or 0
        before = len(fake_threads())
        with pytest.raises(OSError):
            FakeOkta(port=port).start()
        assert len(fake_threads()) == before


def test_a_fixed_port_is_used(fake_okta: FakeOkta) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with FakeOkta(port=port) as okta:
        assert okta.url == f"http://127.0.0.1:{port}"


# -- TLS ------------------------------------------------------------------------------------


def test_tls_serves_https_trusted_through_the_ca_file(checker: SpecChecker | None) -> None:
    with FakeOkta(tls=True) as okta:
        token = okta.org.add_token()
        answer = Api(okta, checker).call("GET", f"{TOKENS}/{token.id}", auth=f"SSWS {token.secret}")
        assert okta.url.startswith("https://127.0.0.1:") and okta.ca_file and os.path.isfile(okta.ca_file)
        assert answer.status == 200 and answer.data["_links"]["self"]["href"].startswith("https://")


def test_tls_without_the_ca_file_fails_verification() -> None:
    with FakeOkta(tls=True) as okta:
        context = ssl.create_default_context()
        with pytest.raises(urllib.error.URLError, match="CERTIFICATE_VERIFY_FAILED"):
            urllib.request.urlopen(okta.url + TOKENS, context=context, timeout=5)


def test_the_certificate_files_are_removed_on_exit() -> None:
    with FakeOkta(tls=True) as okta:
        ca_file = okta.ca_file
    assert ca_file is not None and not os.path.exists(ca_file) and okta.ca_file is None
