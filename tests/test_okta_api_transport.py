"""The transport under OktaApiTokens: failures, TLS, proxies, event loops, threads, logging, imports."""

from __future__ import annotations

import asyncio
import http.client
import logging
import pickle
import socket
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import aiohttp
import pytest

from pulumi_okta_token import okta_api
from pulumi_okta_token.config import ApiTokenAuth, OktaSettings
from pulumi_okta_token.errors import OktaTokenError, TransportError
from pulumi_okta_token.okta_api import OktaApiTokens, proxy_for
from pulumi_okta_token.testing import FakeOkta
from pulumi_okta_token.testing.backend import FakeToken

TOKEN_PATHS = "/api/v1/api-tokens/*"


@pytest.fixture
def admin(fake_okta: FakeOkta) -> FakeToken:
    return fake_okta.org.add_token(name="admin")


def api(url: str, secret: str, **options: object) -> OktaApiTokens:
    return OktaApiTokens(OktaSettings(org_url=url, auth=ApiTokenAuth(secret), **options))  # type: ignore[arg-type]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


# -- no answer: TransportError with the cause -----------------------------------------------


def test_refused_connection_raises_transport_error_with_the_cause() -> None:
    with pytest.raises(TransportError, match=r"cannot connect") as caught:
        api(f"http://127.0.0.1:{closed_port()}", "secret").get("00T1gtr35t8ZbfBfV1d7")
    assert isinstance(caught.value.__cause__, aiohttp.ClientConnectorError)
    assert caught.value.method == "GET"


def test_dropped_connection_raises_transport_error_with_the_cause(
    fake_okta: FakeOkta, admin: FakeToken
) -> None:
    fake_okta.inject_fault("GET", TOKEN_PATHS, drop=True)
    with pytest.raises(TransportError, match=r"dropped") as caught:
        api(fake_okta.url, admin.secret).get(admin.id)
    assert isinstance(caught.value.__cause__, aiohttp.ClientError)


def test_transport_failures_are_not_retried(fake_okta: FakeOkta, admin: FakeToken) -> None:
    fake_okta.inject_fault("GET", TOKEN_PATHS, drop=True)
    with pytest.raises(TransportError):
        api(fake_okta.url, admin.secret).get(admin.id)
    assert len(fake_okta.calls("GET")) == 1


def test_slow_answer_past_the_request_timeout_raises_transport_error(
    fake_okta: FakeOkta, admin: FakeToken
) -> None:
    fake_okta.inject_fault("GET", TOKEN_PATHS, latency=3.0)
    with pytest.raises(TransportError, match=r"within 0.2 s \(okta:requestTimeout\)") as caught:
        api(fake_okta.url, admin.secret, request_timeout=0.2).get(admin.id)
    assert isinstance(caught.value.__cause__, asyncio.TimeoutError)


def test_untrusted_tls_certificate_raises_transport_error_naming_tls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    with FakeOkta(tls=True) as okta:
        admin = okta.org.add_token(name="admin")
        with pytest.raises(TransportError, match=r"TLS failed") as caught:
            api(okta.url, admin.secret).get(admin.id)
    assert isinstance(caught.value.__cause__, aiohttp.ClientConnectorCertificateError)


def test_https_works_with_the_servers_ca_file() -> None:
    with FakeOkta(tls=True) as okta:
        admin = okta.org.add_token(name="admin")
        assert api(okta.url, admin.secret, ca_file=okta.ca_file).get(admin.id).id == admin.id


def test_https_honours_ssl_cert_file(monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeOkta(tls=True) as okta:
        assert okta.ca_file is not None
        monkeypatch.setenv("SSL_CERT_FILE", okta.ca_file)
        admin = okta.org.add_token(name="admin")
        assert api(okta.url, admin.secret).get(admin.id).id == admin.id


def test_unreadable_ca_file_is_a_configuration_error(fake_okta: FakeOkta, tmp_path: Path) -> None:
    with pytest.raises(OktaTokenError, match=r"CA file"):
        api(fake_okta.url.replace("http:", "https:"), "s", ca_file=str(tmp_path / "none.pem")).get(
            "00T1gtr35t8ZbfBfV1d7"
        )


def test_redirects_are_not_followed(fake_okta: FakeOkta, admin: FakeToken) -> None:
    fake_okta.inject_fault("GET", TOKEN_PATHS, status=302, headers={"Location": "http://127.0.0.1:9/steal"})
    with pytest.raises(OktaTokenError, match=r"HTTP 302"):
        api(fake_okta.url, admin.secret).get(admin.id)


# -- no process-wide switches, no okta.yaml ---------------------------------------------------


def test_plain_http_to_loopback_works_without_the_sdks_testing_switch(
    fake_okta: FakeOkta, admin: FakeToken, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OKTA_TESTING_TESTINGDISABLEHTTPSCHECK", raising=False)
    assert api(fake_okta.url, admin.secret).get(admin.id).id == admin.id
    assert "OKTA_TESTING_TESTINGDISABLEHTTPSCHECK" not in __import__("os").environ


def test_okta_yaml_files_and_sdk_variables_do_not_override_the_settings(
    fake_okta: FakeOkta, admin: FakeToken, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    yaml = "okta:\n  client:\n    orgUrl: https://elsewhere.okta.com\n    token: wrong-token\n"
    (tmp_path / ".okta").mkdir()
    (tmp_path / ".okta" / "okta.yaml").write_text(yaml)
    (tmp_path / "okta.yaml").write_text(yaml)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OKTA_CLIENT_ORGURL", "https://elsewhere.okta.com")
    monkeypatch.setenv("OKTA_CLIENT_TOKEN", "wrong-token")
    assert api(fake_okta.url, admin.secret).get(admin.id).id == admin.id
    assert [entry.auth_scheme for entry in fake_okta.calls()] == ["SSWS"]


# -- proxies --------------------------------------------------------------------------------


def test_loopback_requests_ignore_proxy_variables(
    fake_okta: FakeOkta, admin: FakeToken, monkeypatch: pytest.MonkeyPatch
) -> None:
    dead_proxy = f"http://127.0.0.1:{closed_port()}"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, dead_proxy)
    assert api(fake_okta.url, admin.secret, http_proxy=dead_proxy).get(admin.id).id == admin.id


def test_https_requests_use_https_proxy() -> None:
    env = {"HTTPS_PROXY": "http://secure:3128", "HTTP_PROXY": "http://plain:3128"}
    assert proxy_for("https://acme.okta.com/api", environ=env) == "http://secure:3128"


def test_lower_case_proxy_variables_win() -> None:
    env = {"HTTPS_PROXY": "http://upper:3128", "https_proxy": "http://lower:3128"}
    assert proxy_for("https://acme.okta.com/api", environ=env) == "http://lower:3128"


def test_no_proxy_variables_means_no_proxy() -> None:
    assert proxy_for("https://acme.okta.com/api", environ={}) is None


def test_configured_http_proxy_wins_over_the_environment() -> None:
    env = {"HTTPS_PROXY": "http://env:3128"}
    assert (
        proxy_for("https://acme.okta.com/api", "http://configured:8080", environ=env)
        == "http://configured:8080"
    )


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "127.8.0.1"])
def test_loopback_hosts_are_never_proxied(host: str) -> None:
    assert (
        proxy_for(f"http://{host}:8080/api", "http://configured:8080", environ={"HTTP_PROXY": "http://p"})
        is None
    )


@pytest.mark.parametrize(
    "no_proxy",
    ["acme.okta.com", ".okta.com", "okta.com", "*.okta.com", "*", "other.example, okta.com", "OKTA.COM",
     "acme.okta.com:443"],
)  # fmt: skip
def test_no_proxy_matches_hosts_and_domain_suffixes(no_proxy: str) -> None:
    env = {"HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": no_proxy}
    assert proxy_for("https://acme.okta.com:443/api", environ=env) is None


@pytest.mark.parametrize("no_proxy", ["example.com", "cme.okta.com", "acme.okta.com:8443", ""])
def test_no_proxy_that_does_not_match_keeps_the_proxy(no_proxy: str) -> None:
    env = {"HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": no_proxy}
    assert proxy_for("https://acme.okta.com:443/api", environ=env) == "http://proxy:3128"


def test_no_proxy_matches_ip_blocks() -> None:
    env = {"HTTPS_PROXY": "http://proxy:3128", "no_proxy": "10.0.0.0/8"}
    assert proxy_for("https://10.1.2.3/api", environ=env) is None


def test_no_proxy_also_bypasses_the_configured_proxy() -> None:
    assert (
        proxy_for("https://acme.okta.com/api", "http://configured:8080", environ={"NO_PROXY": ".okta.com"})
        is None
    )


# -- event loops and threads -----------------------------------------------------------------


async def test_calls_work_from_inside_a_running_event_loop(fake_okta: FakeOkta, admin: FakeToken) -> None:
    assert api(fake_okta.url, admin.secret).get(admin.id).id == admin.id


def test_calls_work_from_four_threads_at_once(fake_okta: FakeOkta, admin: FakeToken) -> None:
    tokens = [fake_okta.org.add_token(name=f"t{number}") for number in range(8)]
    client = api(fake_okta.url, admin.secret)
    with ThreadPoolExecutor(max_workers=4) as pool:
        names = list(pool.map(lambda token: client.get(token.id).name, tokens))
    assert names == [f"t{number}" for number in range(8)]


def test_a_call_leaves_the_threads_event_loop_alone(fake_okta: FakeOkta, admin: FakeToken) -> None:
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        api(fake_okta.url, admin.secret).get(admin.id)
        assert asyncio.get_event_loop_policy().get_event_loop() is loop
    finally:
        asyncio.set_event_loop(None)
        loop.close()


def test_calls_leave_no_threads_behind(fake_okta: FakeOkta, admin: FakeToken) -> None:
    client = api(fake_okta.url, admin.secret)
    client.get(admin.id)
    before = threading.active_count()
    for _ in range(3):
        client.get(admin.id)
    assert threading.active_count() == before


def test_the_client_refuses_to_be_pickled(fake_okta: FakeOkta, admin: FakeToken) -> None:
    with pytest.raises(TypeError, match=r"never pickled"):
        pickle.dumps(api(fake_okta.url, admin.secret))


def test_repr_names_the_org_but_no_credential(fake_okta: FakeOkta, admin: FakeToken) -> None:
    text = repr(api(fake_okta.url, admin.secret))
    assert fake_okta.url in text
    assert admin.secret not in text


# -- logging --------------------------------------------------------------------------------


def test_no_log_line_at_any_level_holds_the_api_token(
    fake_okta: FakeOkta, admin: FakeToken, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = api(fake_okta.url, admin.secret, max_retries=1)
    fake_okta.inject_fault("GET", TOKEN_PATHS, status=503)
    client.get(admin.id)
    client.list()
    client.update(admin.id, {"name": "renamed"})
    with pytest.raises(OktaTokenError):
        client.get("00T0000000000000000x")
    assert caplog.records, "debug logging was captured"
    assert admin.secret not in caplog.text
    assert "Authorization" not in caplog.text


def test_the_sdk_logger_stays_silent(
    fake_okta: FakeOkta, admin: FakeToken, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(OktaTokenError):
        api(fake_okta.url, admin.secret).get("00T0000000000000000x")
    assert [record for record in caplog.records if record.name.startswith("okta")] == []


def test_logging_configuration_is_left_as_it_was(
    fake_okta: FakeOkta, admin: FakeToken, monkeypatch: pytest.MonkeyPatch
) -> None:
    loggers = [logging.getLogger(name) for name in ("okta-sdk-python", "okta", "urllib3")]
    levels = [lg.level for lg in loggers]
    monkeypatch.setattr(http.client.HTTPConnection, "debuglevel", 1)  # the SDK's Configuration() sets 0
    try:
        for lg in loggers:  # ... and okta and urllib3 to WARNING
            lg.setLevel(logging.DEBUG)
        before = [(lg.level, lg.disabled, list(lg.handlers)) for lg in loggers]
        api(fake_okta.url, admin.secret).get(admin.id)
        assert [(lg.level, lg.disabled, list(lg.handlers)) for lg in loggers] == before
        assert http.client.HTTPConnection.debuglevel == 1
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


# -- import cost ------------------------------------------------------------------------------


@pytest.mark.parametrize("module", ["pulumi_okta_token", "pulumi_okta_token.okta_api"])
def test_importing_does_not_load_okta_client(module: str) -> None:
    code = f"import sys, {module}; print('okta.client' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"


def test_the_sdk_is_reached_through_api_token_api() -> None:
    from okta.api.api_token_api import ApiTokenApi

    assert issubclass(okta_api._TokenApi, ApiTokenApi)
