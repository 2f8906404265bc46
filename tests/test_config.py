"""Where settings come from: stack config first, then the environment; one clear error otherwise."""

from __future__ import annotations

import pickle
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from pulumi_okta_token.config import (
    DEFAULT_SCOPES,
    MAX_RETRIES_LIMIT,
    AccessTokenAuth,
    ApiTokenAuth,
    OktaSettings,
    PrivateKeyAuth,
    is_loopback_host,
    load_settings,
    redact_url,
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


def refusal(config: Mapping[str, Any] | None = None, **env: str) -> str:
    """Everything a user could see of the error ``load`` raises: its message and its whole traceback
    (chained exceptions included), as the plugin sends it to the engine."""
    with pytest.raises(ConfigurationError) as caught:
        load(config, **env)
    return "".join(traceback.format_exception(caught.value))


def key_body(pem: str) -> str:
    """The key without its ``-----BEGIN``/``-----END`` lines, as it is often pasted."""
    return "\n".join(line for line in pem.splitlines() if line and not line.startswith("-----"))


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
    with pytest.raises(ConfigurationError, match=r"plain http is only allowed to localhost"):
        load({"orgUrl": "http://acme.okta.com", "apiToken": SECRET})


def test_org_url_with_a_path_is_refused() -> None:
    with pytest.raises(ConfigurationError, match=r"no path"):
        load({"orgUrl": "https://acme.okta.com/oauth2/default", "apiToken": SECRET})


def test_org_url_without_a_scheme_is_refused() -> None:
    with pytest.raises(ConfigurationError, match=r"okta:orgUrl must be the org's base URL"):
        load({"orgUrl": "acme.okta.com", "apiToken": SECRET})


def test_org_name_holding_a_full_host_name_is_refused_with_a_hint() -> None:
    with pytest.raises(ConfigurationError, match=r"subdomain only"):
        load({"orgName": "acme.okta.com", "apiToken": SECRET})


def test_base_url_with_a_scheme_is_refused() -> None:
    with pytest.raises(ConfigurationError, match=r"okta:baseUrl"):
        load({"orgName": "acme", "baseUrl": "https://okta.com", "apiToken": SECRET})


def test_plain_http_to_a_name_under_localhost_is_refused() -> None:
    with pytest.raises(ConfigurationError, match=r"plain http is only allowed to localhost"):
        load({"orgUrl": "http://okta.localhost:8080", "apiToken": SECRET})


def test_org_url_with_user_info_is_refused_without_showing_it() -> None:
    text = refusal({"orgUrl": f"https://admin:{SECRET}@acme.okta.com", "apiToken": "00x"})
    assert "okta:orgUrl holds user info" in text
    assert SECRET not in text
    assert "admin" not in text


def test_org_url_with_only_a_user_name_is_refused() -> None:
    with pytest.raises(ConfigurationError, match=r"holds user info"):
        load({"orgUrl": "https://admin@acme.okta.com", "apiToken": SECRET})


def test_org_url_with_an_unreadable_port_is_refused_without_showing_it() -> None:
    text = refusal({"orgUrl": f"https://acme.okta.com:{SECRET}", "apiToken": "00x"})
    assert "okta:orgUrl must be the org's base URL" in text
    assert SECRET not in text


def test_org_url_whose_host_is_not_a_host_name_is_refused() -> None:
    with pytest.raises(ConfigurationError, match=r"okta:orgUrl must be the org's base URL"):
        load({"orgUrl": "https://acme okta com", "apiToken": SECRET})


def test_org_url_with_a_query_is_refused_without_showing_it() -> None:
    text = refusal({"orgUrl": f"https://acme.okta.com/?token={SECRET}", "apiToken": "00x"})
    assert "no path, query or fragment" in text
    assert SECRET not in text


def test_org_name_that_looks_like_an_api_token_is_refused_without_showing_it() -> None:
    token = "00" + "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5kL7nP"
    text = refusal({"orgName": token, "apiToken": "00x"})
    assert "okta:orgName looks like an Okta API token" in text
    assert token not in text


def test_org_name_that_is_not_a_subdomain_is_refused_without_showing_it() -> None:
    text = refusal({"orgName": f"{SECRET}_x", "apiToken": "00x"})
    assert "okta:orgName takes the org's subdomain only" in text
    assert SECRET not in text


def test_org_name_longer_than_a_dns_label_is_refused() -> None:
    with pytest.raises(ConfigurationError, match=r"at most 63 characters"):
        load({"orgName": "a" * 64, "apiToken": SECRET})


def test_base_url_that_is_not_a_domain_is_refused_without_showing_it() -> None:
    text = refusal({"orgName": "acme", "baseUrl": SECRET, "apiToken": "00x"})
    assert "okta:baseUrl takes a domain" in text
    assert SECRET not in text


def test_org_url_and_org_name_conflict_names_the_settings_not_the_values() -> None:
    text = refusal({"orgUrl": "https://zebra.okta.com", "orgName": "yak", "apiToken": SECRET})
    assert "okta:orgUrl and okta:orgName name different orgs" in text
    assert "zebra" not in text
    assert "yak" not in text


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("localhost", True), ("127.0.0.1", True), ("127.9.9.9", True), ("::1", True), ("[::1]", True),
     ("localhost.", True), ("10.0.0.1", False), ("acme.okta.com", False), ("localhost.evil.com", False),
     ("evil.localhost", False), ("a.b.localhost", False), ("::ffff:127.0.0.1", False), ("::2", False)],
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


@pytest.mark.parametrize("setting", ["apiToken", "accessToken"])
def test_a_token_with_a_line_break_is_refused_without_showing_it(setting: str) -> None:
    text = refusal({"orgName": "acme", setting: f"{SECRET}\nX-Injected: yes"})
    assert f"okta:{setting} must be" in text
    assert SECRET not in text


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
        {"orgName": "acme", "clientId": "0oa1", "privateKey": pem, "scopes": "okta.a.read, okta.b okta.c"}
    )
    assert isinstance(settings.auth, PrivateKeyAuth)
    assert settings.auth.scopes == ("okta.a.read", "okta.b", "okta.c")


def test_scopes_may_be_a_json_list_as_a_yaml_list_in_stack_config_arrives(pem: str) -> None:
    settings = load(
        {"orgName": "acme", "clientId": "0oa1", "privateKey": pem, "scopes": '["okta.a.read", "okta.b"]'}
    )
    assert isinstance(settings.auth, PrivateKeyAuth)
    assert settings.auth.scopes == ("okta.a.read", "okta.b")


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
    with pytest.raises(ConfigurationError, match=r"no file can be read there \(No such file or directory\)"):
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


def test_key_body_without_begin_lines_is_refused_as_a_key_body(pem: str) -> None:
    with pytest.raises(ConfigurationError, match=r"okta:privateKey looks like the body of a key"):
        load({"orgName": "acme", "clientId": "0oa1", "privateKey": key_body(pem)})


@pytest.mark.parametrize("join", ["\n", "", "\\n"], ids=["lines", "one-line", "escaped-newlines"])
def test_key_body_without_begin_lines_is_not_shown_in_the_error_or_its_traceback(pem: str, join: str) -> None:
    body = join.join(key_body(pem).splitlines())
    text = refusal({"orgName": "acme", "clientId": "0oa1"}, OKTA_API_PRIVATE_KEY=body)
    assert "OKTA_API_PRIVATE_KEY" in text
    for line in key_body(pem).splitlines():
        assert line not in text


def test_key_error_chains_no_exception(pem: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        load({"orgName": "acme", "clientId": "0oa1", "privateKey": key_body(pem)})
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__ is True


def test_key_file_path_that_does_not_exist_is_not_shown(tmp_path: Path) -> None:
    path = tmp_path / SECRET / "key.pem"
    text = refusal({"orgName": "acme", "clientId": "0oa1", "privateKey": str(path)})
    assert "okta:privateKey has no '-----BEGIN' line" in text
    assert SECRET not in text


def test_key_path_with_a_nul_byte_is_refused_as_a_configuration_error() -> None:
    text = refusal({"orgName": "acme", "clientId": "0oa1", "privateKey": f"/keys/{SECRET}\0.pem"})
    assert "okta:privateKey" in text
    assert SECRET not in text


def test_key_file_that_is_not_pem_is_refused_without_showing_its_content(tmp_path: Path) -> None:
    path = tmp_path / "key.pem"
    path.write_text(f"client_secret = {SECRET}\n")
    text = refusal({"orgName": "acme", "clientId": "0oa1", "privateKey": str(path)})
    assert "okta:privateKey does not hold an unencrypted PEM private key" in text
    assert SECRET not in text


def test_key_file_with_broken_pem_is_refused_without_showing_its_content(tmp_path: Path) -> None:
    path = tmp_path / "key.pem"
    path.write_text(f"-----BEGIN PRIVATE KEY-----\n{SECRET}\n-----END PRIVATE KEY-----\n")
    text = refusal({"orgName": "acme", "clientId": "0oa1", "privateKey": str(path)})
    assert "okta:privateKey does not hold an unencrypted PEM private key" in text
    assert SECRET not in text


def test_key_file_with_binary_content_is_refused_without_showing_it(tmp_path: Path) -> None:
    path = tmp_path / "key.der"
    path.write_bytes(b"\x30\x82\xff" + SECRET.encode())
    text = refusal({"orgName": "acme", "clientId": "0oa1", "privateKey": str(path)})
    assert "okta:privateKey names a file that is not PEM text" in text
    assert SECRET not in text


def test_key_file_larger_than_a_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.pem"
    path.write_text("-----BEGIN PRIVATE KEY-----\n" + "A" * 70_000)
    with pytest.raises(ConfigurationError, match=r"names a file larger than 64 KiB"):
        load({"orgName": "acme", "clientId": "0oa1", "privateKey": str(path)})


def test_a_directory_as_the_key_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"no file can be read there \(Is a directory\)"):
        load({"orgName": "acme", "clientId": "0oa1", "privateKey": str(tmp_path)})


def test_encrypted_key_is_refused() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    encrypted = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"passphrase"),
    ).decode()
    with pytest.raises(ConfigurationError, match=r"does not hold an unencrypted PEM private key"):
        load({"orgName": "acme", "clientId": "0oa1", "privateKey": encrypted})


def test_client_id_holding_a_key_is_refused_without_showing_it(pem: str) -> None:
    text = refusal({"orgName": "acme", "clientId": pem, "privateKey": pem})
    assert "okta:clientId must be the service app's client ID" in text
    assert key_body(pem).splitlines()[1] not in text


def test_key_id_with_spaces_is_refused_without_showing_it(pem: str) -> None:
    text = refusal({"orgName": "acme", "clientId": "0oa1", "privateKey": pem, "privateKeyId": f"k {SECRET}"})
    assert "okta:privateKeyId must be the key's id" in text
    assert SECRET not in text


@pytest.mark.parametrize(
    "scopes", [SECRET, f"okta.apiTokens.read {SECRET}", f'["okta.apiTokens.read", 7, "{SECRET}"]', "[", "[]"]
)
def test_scopes_that_are_not_okta_scopes_are_refused_without_showing_them(pem: str, scopes: str) -> None:
    text = refusal({"orgName": "acme", "clientId": "0oa1", "privateKey": pem, "scopes": scopes})
    assert "okta:scopes takes Okta scopes" in text
    assert SECRET not in text


def test_deeply_nested_scopes_are_refused_as_a_configuration_error(pem: str) -> None:
    with pytest.raises(ConfigurationError, match=r"okta:scopes"):
        load({"orgName": "acme", "clientId": "0oa1", "privateKey": pem, "scopes": "[" * 100_000})


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


@pytest.mark.parametrize("value", ["-1", "two", "1.5", "11", "101", "1_0", " 1 0"])
def test_bad_max_retries_is_refused(value: str) -> None:
    with pytest.raises(ConfigurationError, match=r"okta:maxRetries"):
        load({"orgName": "acme", "apiToken": SECRET, "maxRetries": value})


@pytest.mark.parametrize("value", ["0", "-3", "soon", "nan", "inf", "1e3", "3601"])
def test_bad_request_timeout_is_refused(value: str) -> None:
    with pytest.raises(ConfigurationError, match=r"okta:requestTimeout"):
        load({"orgName": "acme", "apiToken": SECRET, "requestTimeout": value})


def test_max_retries_of_ten_is_accepted() -> None:
    assert load({"orgName": "acme", "apiToken": SECRET, "maxRetries": "10"}).max_retries == MAX_RETRIES_LIMIT


def test_max_retries_above_ten_is_refused_naming_the_bound() -> None:
    with pytest.raises(ConfigurationError, match=r"^okta:maxRetries is above 10, the most retries it allows"):
        load({"orgName": "acme", "apiToken": SECRET, "maxRetries": "11"})


def test_rate_limit_settings_default_to_ten_percent_headroom_and_fifteen_minutes_of_waiting() -> None:
    settings = load({"orgName": "acme", "apiToken": SECRET})
    assert (settings.rate_limit_headroom, settings.rate_limit_wait) == (10.0, 900.0)


def test_rate_limit_settings_come_from_stack_config() -> None:
    settings = load({"orgName": "acme", "apiToken": SECRET, "rateLimitHeadroom": 25, "rateLimitWait": "60.5"})
    assert (settings.rate_limit_headroom, settings.rate_limit_wait) == (25.0, 60.5)


def test_rate_limit_settings_come_from_the_environment() -> None:
    settings = load(
        OKTA_ORG_NAME="acme", OKTA_API_TOKEN=SECRET, OKTA_RATE_LIMIT_HEADROOM="0", OKTA_RATE_LIMIT_WAIT="0"
    )
    assert (settings.rate_limit_headroom, settings.rate_limit_wait) == (0.0, 0.0)


def test_rate_limit_settings_in_stack_config_win_over_the_environment() -> None:
    settings = load_settings(
        stack(orgName="acme", apiToken=SECRET, rateLimitHeadroom="20", rateLimitWait="30"),
        {"OKTA_RATE_LIMIT_HEADROOM": "50", "OKTA_RATE_LIMIT_WAIT": "5"},
    )
    assert (settings.rate_limit_headroom, settings.rate_limit_wait) == (20.0, 30.0)


@pytest.mark.parametrize("value", ["-1", "ten", "10%", "90.5", "100", "nan", "inf", "1e1"])
def test_bad_rate_limit_headroom_is_refused(value: str) -> None:
    with pytest.raises(
        ConfigurationError, match=r"^okta:rateLimitHeadroom must be a percentage .* from 0 to 90"
    ):
        load({"orgName": "acme", "apiToken": SECRET, "rateLimitHeadroom": value})


@pytest.mark.parametrize("value", ["-1", "soon", "nan", "inf", "1e3", "86401"])
def test_bad_rate_limit_wait_is_refused(value: str) -> None:
    with pytest.raises(ConfigurationError, match=r"^okta:rateLimitWait must be a number of seconds from 0"):
        load({"orgName": "acme", "apiToken": SECRET, "rateLimitWait": value})


def test_bad_rate_limit_wait_from_the_environment_names_the_variable() -> None:
    with pytest.raises(ConfigurationError, match=r"^OKTA_RATE_LIMIT_WAIT must be a number of seconds"):
        load(OKTA_ORG_NAME="acme", OKTA_API_TOKEN=SECRET, OKTA_RATE_LIMIT_WAIT="forever")


@pytest.mark.parametrize("setting", ["maxRetries", "requestTimeout", "rateLimitHeadroom", "rateLimitWait"])
def test_a_limit_holding_a_secret_is_refused_without_showing_it(setting: str) -> None:
    text = refusal({"orgName": "acme", "apiToken": "00x", setting: SECRET})
    assert f"okta:{setting} must be a" in text
    assert SECRET not in text


def test_max_retries_far_above_the_bound_is_not_shown() -> None:
    text = refusal({"orgName": "acme", "apiToken": SECRET, "maxRetries": "987654321"})
    assert "987654321" not in text


@pytest.mark.parametrize("setting", ["rateLimitHeadroom", "rateLimitWait"])
def test_a_rate_limit_setting_far_above_its_bound_is_not_shown(setting: str) -> None:
    text = refusal({"orgName": "acme", "apiToken": SECRET, setting: "987654321"})
    assert "987654321" not in text


def test_http_proxy_comes_from_stack_config() -> None:
    settings = load({"orgName": "acme", "apiToken": SECRET, "httpProxy": "http://proxy:3128"})
    assert settings.http_proxy == "http://proxy:3128"


def test_http_proxy_with_user_info_is_accepted() -> None:
    proxy = f"http://user:{SECRET}@proxy.example.com:3128"
    assert load({"orgName": "acme", "apiToken": "00x", "httpProxy": proxy}).http_proxy == proxy


@pytest.mark.parametrize(
    "proxy",
    [f"ftp://user:{SECRET}@proxy:21", f"http://user:{SECRET}@proxy:port", f"http://user:{SECRET}@proxy/p",
     f"user:{SECRET}@proxy:3128"],
)  # fmt: skip
def test_http_proxy_that_is_not_a_proxy_url_is_refused_without_showing_it(proxy: str) -> None:
    text = refusal({"orgName": "acme", "apiToken": "00x", "httpProxy": proxy})
    assert "okta:httpProxy must be a proxy URL" in text
    assert SECRET not in text


def test_settings_repr_never_shows_the_proxy_user_info() -> None:
    settings = load({"orgName": "acme", "apiToken": "00x", "httpProxy": f"http://u:{SECRET}@proxy:3128"})
    assert SECRET not in repr(settings)


@pytest.mark.parametrize(
    ("url", "shown"),
    [(f"http://user:{SECRET}@proxy:3128", "http://***@proxy:3128"),
     (f"https://{SECRET}@proxy", "https://***@proxy"),
     ("http://proxy:3128", "http://proxy:3128"),
     (f"http://user:{SECRET}@proxy:port", "<not a URL>")],
)  # fmt: skip
def test_redact_url_replaces_user_info(url: str, shown: str) -> None:
    assert redact_url(url) == shown


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
