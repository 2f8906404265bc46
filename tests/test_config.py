"""Where settings come from: stack config first, then the environment; one clear error otherwise."""

from __future__ import annotations

import pickle
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from pulumi_okta_token.config import (
    DEFAULT_SCOPES,
    AccessTokenAuth,
    ApiTokenAuth,
    OktaSettings,
    PrivateKeyAuth,
    is_loopback_host,
    load_settings,
)
from pulumi_okta_token.errors import ConfigurationError

SECRET = "00abcdefSECRETtoken1234567890"


def stack(**values: Any) -> Callable[[str], Any]:
    """A getter like pulumi's ``Config.get`` over ``okta:<key>`` values."""
    return {f"okta:{key}": value for key, value in values.items()}.get


def load(config: Mapping[str, Any] | None = None, **env: str) -> OktaSettings:
    return load_settings(stack(**(config or {})), env)


def rsa_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


@pytest.fixture(scope="module")
def pem() -> str:
    return rsa_pem()


# -- org ------------------------------------------------------------------------------------


def test_org_name_and_default_base_url_make_an_okta_com_url() -> None:
    settings = load({"orgName": "acme", "apiToken": SECRET})
    assert settings.org_url == "https://acme.okta.com"


def test_base_url_from_stack_config_replaces_okta_com() -> None:
    settings = load({"orgName": "acme", "baseUrl": "oktapreview.com", "apiToken": SECRET})
    assert settings.org_url == "https://acme.oktapreview.com"


def test_org_name_and_base_url_come_from_the_environment() -> None:
    settings = load(OKTA_ORG_NAME="acme", OKTA_BASE_URL="okta-emea.com", OKTA_API_TOKEN=SECRET)
    assert settings.org_url == "https://acme.okta-emea.com"


def test_stack_config_org_name_wins_over_the_environment() -> None:
    settings = load({"orgName": "fromstack", "apiToken": SECRET}, OKTA_ORG_NAME="fromenv")
    assert settings.org_url == "https://fromstack.okta.com"


def test_org_url_is_taken_without_its_trailing_slash() -> None:
    settings = load({"orgUrl": "https://login.acme.com/", "apiToken": SECRET})
    assert settings.org_url == "https://login.acme.com"


def test_org_url_from_the_environment_is_used() -> None:
    settings = load(OKTA_ORG_URL="http://127.0.0.1:8080", OKTA_API_TOKEN=SECRET)
    assert settings.org_url == "http://127.0.0.1:8080"


def test_org_url_naming_the_same_org_as_org_name_is_accepted() -> None:
    settings = load({"orgUrl": "https://acme.okta.com", "orgName": "acme", "apiToken": SECRET})
    assert settings.org_url == "https://acme.okta.com"


def test_org_url_and_org_name_naming_different_orgs_are_refused() -> None:
    with pytest.raises(ConfigurationError, match=r"name different orgs"):
        load({"orgUrl": "https://other.okta.com", "orgName": "acme", "apiToken": SECRET})


def test_missing_org_is_refused_with_every_accepted_source() -> None:
    with pytest.raises(ConfigurationError) as caught:
        load({"apiToken": SECRET})
    text = str(caught.value)
    for name in (
        "okta:orgUrl",
        "OKTA_ORG_URL",
        "okta:orgName",
        "OKTA_ORG_NAME",
        "okta:baseUrl",
        "OKTA_BASE_URL",
    ):
        assert name in text


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080", "http://127.3.4.5", "http://localhost:9000", "http://[::1]:8080"]
)
def test_plain_http_to_a_loopback_host_is_accepted(url: str) -> None:
    assert load({"orgUrl": url, "apiToken": SECRET}).org_url == url


def test_plain_http_to_a_remote_host_is_refused() -> None:
    with pytest.raises(ConfigurationError, match=r"plain http is only allowed to this machine"):
        load({"orgUrl": "http://acme.okta.com", "apiToken": SECRET})


def test_org_url_with_a_path_is_refused() -> None:
    with pytest.raises(ConfigurationError, match=r"no path"):
        load({"orgUrl": "https://acme.okta.com/oauth2/default", "apiToken": SECRET})


def test_org_url_without_a_scheme_is_refused() -> None:
    with pytest.raises(ConfigurationError, match=r"must be a URL"):
        load({"orgUrl": "acme.okta.com", "apiToken": SECRET})


def test_org_name_holding_a_full_host_name_is_refused_with_a_hint() -> None:
    with pytest.raises(ConfigurationError, match=r"subdomain only"):
        load({"orgName": "acme.okta.com", "apiToken": SECRET})


def test_base_url_with_a_scheme_is_refused() -> None:
    with pytest.raises(ConfigurationError, match=r"okta:baseUrl"):
        load({"orgName": "acme", "baseUrl": "https://okta.com", "apiToken": SECRET})


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("localhost", True), ("127.0.0.1", True), ("127.9.9.9", True), ("::1", True), ("[::1]", True),
     ("10.0.0.1", False), ("acme.okta.com", False), ("localhost.evil.com", False)],
)  # fmt: skip
def test_loopback_hosts_are_localhost_127_slash_8_and_ipv6_one(host: str, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback


# -- credentials ----------------------------------------------------------------------------


def test_api_token_from_stack_config_is_used() -> None:
    settings = load({"orgName": "acme", "apiToken": SECRET})
    assert settings.auth == ApiTokenAuth(SECRET)


def test_api_token_from_the_environment_is_used() -> None:
    settings = load(OKTA_ORG_NAME="acme", OKTA_API_TOKEN=SECRET)
    assert settings.auth == ApiTokenAuth(SECRET)


def test_access_token_from_stack_config_is_used() -> None:
    settings = load({"orgName": "acme", "accessToken": SECRET})
    assert settings.auth == AccessTokenAuth(SECRET)


def test_access_token_from_the_environment_is_used() -> None:
    settings = load(OKTA_ORG_NAME="acme", OKTA_ACCESS_TOKEN=SECRET)
    assert settings.auth == AccessTokenAuth(SECRET)


def test_api_token_is_sent_as_ssws_with_a_space() -> None:
    assert ApiTokenAuth(SECRET).authorization == f"SSWS {SECRET}"


def test_access_token_is_sent_as_bearer_with_a_space() -> None:
    assert AccessTokenAuth(SECRET).authorization == f"Bearer {SECRET}"


def test_stack_config_api_token_wins_over_an_api_token_in_the_environment() -> None:
    settings = load({"orgName": "acme", "apiToken": SECRET}, OKTA_API_TOKEN="from-env")
    assert settings.auth == ApiTokenAuth(SECRET)


def test_stack_config_credential_kind_wins_over_another_kind_in_the_environment() -> None:
    settings = load({"orgName": "acme", "accessToken": SECRET}, OKTA_API_TOKEN="from-env")
    assert settings.auth == AccessTokenAuth(SECRET)


def test_two_credential_kinds_in_stack_config_are_refused_naming_both() -> None:
    with pytest.raises(
        ConfigurationError, match=r"Conflicting Okta credentials in the stack config"
    ) as caught:
        load({"orgName": "acme", "apiToken": SECRET, "accessToken": SECRET})
    assert "okta:apiToken" in str(caught.value)
    assert "okta:accessToken" in str(caught.value)


def test_two_credential_kinds_in_the_environment_are_refused_naming_both() -> None:
    with pytest.raises(ConfigurationError, match=r"OKTA_API_TOKEN, OKTA_API_CLIENT_ID"):
        load(OKTA_ORG_NAME="acme", OKTA_API_TOKEN=SECRET, OKTA_API_CLIENT_ID="0oa1")


def test_missing_credentials_are_refused_with_one_error_listing_every_source() -> None:
    with pytest.raises(ConfigurationError) as caught:
        load({"orgName": "acme"})
    text = str(caught.value)
    for name in (
        "okta:apiToken", "OKTA_API_TOKEN", "okta:accessToken", "OKTA_ACCESS_TOKEN",
        "okta:clientId", "OKTA_API_CLIENT_ID", "okta:privateKey", "OKTA_API_PRIVATE_KEY",
        "okta:privateKeyId", "OKTA_API_PRIVATE_KEY_ID", "okta:scopes", "OKTA_API_SCOPES",
    ):  # fmt: skip
        assert name in text


def test_blank_values_count_as_unset() -> None:
    settings = load({"orgName": "acme", "apiToken": "  "}, OKTA_API_TOKEN=SECRET)
    assert settings.auth == ApiTokenAuth(SECRET)


def test_no_error_text_shows_a_credential() -> None:
    with pytest.raises(ConfigurationError) as caught:
        load({"orgUrl": "http://acme.example", "apiToken": SECRET, "accessToken": SECRET})
    assert SECRET not in str(caught.value)


# -- private key ----------------------------------------------------------------------------


def test_private_key_from_stack_config_is_used_with_default_scopes(pem: str) -> None:
    settings = load({"orgName": "acme", "clientId": "0oa1", "privateKey": pem, "privateKeyId": "kid1"})
    assert settings.auth == PrivateKeyAuth(
        client_id="0oa1", private_key=pem.strip(), key_id="kid1", scopes=DEFAULT_SCOPES
    )


def test_private_key_from_the_environment_is_used(pem: str) -> None:
    settings = load(
        OKTA_ORG_NAME="acme", OKTA_API_CLIENT_ID="0oa1", OKTA_API_PRIVATE_KEY=pem, OKTA_API_PRIVATE_KEY_ID="k"
    )
    assert settings.auth == PrivateKeyAuth(client_id="0oa1", private_key=pem.strip(), key_id="k")


def test_private_key_may_be_a_file_path(pem: str, tmp_path: Path) -> None:
    path = tmp_path / "key.pem"
    path.write_text(pem)
    settings = load({"orgName": "acme", "clientId": "0oa1", "privateKey": str(path)})
    assert isinstance(settings.auth, PrivateKeyAuth)
    assert settings.auth.private_key == pem


def test_private_key_with_escaped_newlines_is_unescaped(pem: str) -> None:
    settings = load(
        OKTA_ORG_NAME="acme", OKTA_API_CLIENT_ID="0oa1", OKTA_API_PRIVATE_KEY=pem.replace("\n", "\\n")
    )
    assert isinstance(settings.auth, PrivateKeyAuth)
    assert settings.auth.private_key.strip() == pem.strip()


def test_private_key_parts_may_come_from_stack_config_and_environment(pem: str) -> None:
    settings = load({"orgName": "acme", "clientId": "0oa1"}, OKTA_API_PRIVATE_KEY=pem)
    assert isinstance(settings.auth, PrivateKeyAuth)
    assert settings.auth.client_id == "0oa1"


def test_scopes_may_be_separated_by_spaces_or_commas(pem: str) -> None:
    settings = load(
        {"orgName": "acme", "clientId": "0oa1", "privateKey": pem, "scopes": "a.read, b.manage c"}
    )
    assert isinstance(settings.auth, PrivateKeyAuth)
    assert settings.auth.scopes == ("a.read", "b.manage", "c")


def test_scopes_may_be_a_json_list_as_a_yaml_list_in_stack_config_arrives(pem: str) -> None:
    settings = load(
        {"orgName": "acme", "clientId": "0oa1", "privateKey": pem, "scopes": '["a.read", "b.manage"]'}
    )
    assert isinstance(settings.auth, PrivateKeyAuth)
    assert settings.auth.scopes == ("a.read", "b.manage")


def test_an_elliptic_curve_key_is_accepted() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    assert isinstance(load({"orgName": "a", "clientId": "0oa1", "privateKey": pem}).auth, PrivateKeyAuth)


def test_client_id_without_a_private_key_is_refused_naming_the_missing_one() -> None:
    with pytest.raises(ConfigurationError, match=r"needs okta:privateKey / OKTA_API_PRIVATE_KEY"):
        load({"orgName": "acme", "clientId": "0oa1"})


def test_private_key_that_is_not_pem_nor_a_file_is_refused() -> None:
    with pytest.raises(ConfigurationError, match=r"neither PEM text nor a readable file"):
        load({"orgName": "acme", "clientId": "0oa1", "privateKey": "/no/such/key.pem"})


def test_broken_pem_is_refused_without_showing_it() -> None:
    broken = "-----BEGIN PRIVATE KEY-----\nnot-a-key-SECRETBITS\n-----END PRIVATE KEY-----\n"
    with pytest.raises(ConfigurationError, match=r"does not hold an unencrypted PEM private key") as caught:
        load({"orgName": "acme", "clientId": "0oa1", "privateKey": broken})
    assert "SECRETBITS" not in str(caught.value)


def test_a_key_type_okta_does_not_take_is_refused() -> None:
    pem = (
        ed25519.Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        .decode()
    )
    with pytest.raises(ConfigurationError, match=r"RSA or EC"):
        load({"orgName": "acme", "clientId": "0oa1", "privateKey": pem})


# -- limits ---------------------------------------------------------------------------------


def test_limits_default_to_two_retries_and_thirty_seconds() -> None:
    settings = load({"orgName": "acme", "apiToken": SECRET})
    assert (settings.max_retries, settings.request_timeout) == (2, 30.0)


def test_max_retries_and_request_timeout_come_from_stack_config() -> None:
    settings = load({"orgName": "acme", "apiToken": SECRET, "maxRetries": "5", "requestTimeout": 12.5})
    assert (settings.max_retries, settings.request_timeout) == (5, 12.5)


def test_max_retries_and_request_timeout_come_from_the_environment() -> None:
    settings = load(
        OKTA_ORG_NAME="acme", OKTA_API_TOKEN=SECRET, OKTA_MAX_RETRIES="0", OKTA_REQUEST_TIMEOUT="3"
    )
    assert (settings.max_retries, settings.request_timeout) == (0, 3.0)


@pytest.mark.parametrize("value", ["-1", "two", "1.5", "101"])
def test_bad_max_retries_is_refused(value: str) -> None:
    with pytest.raises(ConfigurationError, match=r"okta:maxRetries"):
        load({"orgName": "acme", "apiToken": SECRET, "maxRetries": value})


@pytest.mark.parametrize("value", ["0", "-3", "soon", "nan", "inf"])
def test_bad_request_timeout_is_refused(value: str) -> None:
    with pytest.raises(ConfigurationError, match=r"okta:requestTimeout"):
        load({"orgName": "acme", "apiToken": SECRET, "requestTimeout": value})


def test_http_proxy_comes_from_stack_config() -> None:
    settings = load({"orgName": "acme", "apiToken": SECRET, "httpProxy": "http://proxy:3128"})
    assert settings.http_proxy == "http://proxy:3128"


# -- secrets stay secret --------------------------------------------------------------------


def test_settings_repr_never_shows_a_credential(pem: str) -> None:
    for settings in (
        load({"orgName": "acme", "apiToken": SECRET}),
        load({"orgName": "acme", "accessToken": SECRET}),
        load({"orgName": "acme", "clientId": "0oa1", "privateKey": pem}),
    ):
        assert SECRET not in repr(settings)
        assert "PRIVATE KEY" not in repr(settings)
        assert SECRET not in str(settings)


@pytest.mark.parametrize("auth", [ApiTokenAuth(SECRET), AccessTokenAuth(SECRET)])
def test_credentials_refuse_to_be_pickled(auth: object) -> None:
    with pytest.raises(TypeError, match=r"never pickled"):
        pickle.dumps(OktaSettings(org_url="https://acme.okta.com", auth=auth))  # type: ignore[arg-type]


def test_environment_defaults_to_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKTA_ORG_NAME", "fromosenv")
    monkeypatch.setenv("OKTA_API_TOKEN", SECRET)
    for name in ("OKTA_ORG_URL", "OKTA_ACCESS_TOKEN", "OKTA_API_CLIENT_ID", "OKTA_API_PRIVATE_KEY"):
        monkeypatch.delenv(name, raising=False)
    assert load_settings().org_url == "https://fromosenv.okta.com"
