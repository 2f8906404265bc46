"""Where requests go and how they are secured: TLS trust, proxies, NO_PROXY, loopback."""

from __future__ import annotations

import traceback
from pathlib import Path

import aiohttp
import pytest
from transport_support import api_at, closed_port

from pulumi_okta_token._transport._net import proxy_for
from pulumi_okta_token.errors import OktaTokenError, TransportError
from pulumi_okta_token.testing import FakeOkta
from pulumi_okta_token.testing.okta.backend import FakeToken

TOKEN_ID = "00T1gtr35t8ZbfBfV1d7"

# -- errors as one readable line ----------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_refused_connection_is_one_line_naming_host_port_and_what_failed(scheme: str) -> None:
    port = closed_port()

    with pytest.raises(TransportError) as caught:
        api_at(f"{scheme}://127.0.0.1:{port}", "00secret").get(TOKEN_ID)

    assert str(caught.value) == (
        f"No answer to GET {scheme}://127.0.0.1:{port}/api/v1/api-tokens/{TOKEN_ID}: cannot connect to "
        f"host 127.0.0.1 port {port} (Connection refused)"
    )


def test_an_untrusted_certificate_is_one_line_without_object_reprs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    with FakeOkta(tls=True) as okta:
        admin = okta.org.add_token(name="admin")
        with pytest.raises(TransportError) as caught:
            api_at(okta.url, admin.secret).get(admin.id)

    text = str(caught.value)
    assert "\n" not in text and " object at 0x" not in text and "SSLContext" not in text
    assert f"host 127.0.0.1 port {okta.url.rsplit(':', 1)[1]}" in text
    assert "certificate is not trusted (self-signed certificate)" in text


# -- TLS --------------------------------------------------------------------------------------


def test_untrusted_tls_certificate_raises_transport_error_naming_tls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    with FakeOkta(tls=True) as okta:
        admin = okta.org.add_token(name="admin")
        with pytest.raises(TransportError, match=r"TLS failed") as caught:
            api_at(okta.url, admin.secret).get(admin.id)
    assert isinstance(caught.value.__cause__, aiohttp.ClientConnectorCertificateError)


def test_https_works_with_the_servers_ca_file() -> None:
    with FakeOkta(tls=True) as okta:
        admin = okta.org.add_token(name="admin")
        assert api_at(okta.url, admin.secret, ca_file=okta.ca_file).get(admin.id).id == admin.id


def test_https_honours_ssl_cert_file(monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeOkta(tls=True) as okta:
        assert okta.ca_file is not None
        monkeypatch.setenv("SSL_CERT_FILE", okta.ca_file)
        admin = okta.org.add_token(name="admin")
        assert api_at(okta.url, admin.secret).get(admin.id).id == admin.id


def test_unreadable_ca_file_is_a_configuration_error_naming_the_setting_not_the_path(
    fake_okta: FakeOkta, tmp_path: Path
) -> None:
    missing = tmp_path / "CaFiLeMaRkEr5K8" / "none.pem"
    with pytest.raises(OktaTokenError, match=r"okta:caFile / OKTA_CA_FILE cannot be loaded") as caught:
        api_at(fake_okta.url.replace("http:", "https:"), "s", ca_file=str(missing)).get(TOKEN_ID)
    assert "CaFiLeMaRkEr5K8" not in "".join(traceback.format_exception(caught.value))


# -- proxies ----------------------------------------------------------------------------------


def test_loopback_requests_ignore_proxy_variables(
    fake_okta: FakeOkta, admin: FakeToken, monkeypatch: pytest.MonkeyPatch
) -> None:
    dead_proxy = f"http://127.0.0.1:{closed_port()}"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, dead_proxy)
    assert api_at(fake_okta.url, admin.secret, http_proxy=dead_proxy).get(admin.id).id == admin.id


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
