"""The credential: exactly one kind, the stack config's first; never shown, never pickled."""

from __future__ import annotations

import pickle

import pytest
from settings_support import SECRET, load, refusal

from pulumi_okta_token._settings import AccessTokenAuth, ApiTokenAuth, OktaSettings
from pulumi_okta_token.errors import ConfigurationError


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


def test_no_error_text_shows_a_credential() -> None:
    with pytest.raises(ConfigurationError) as caught:
        load({"orgUrl": "http://acme.example", "apiToken": SECRET, "accessToken": SECRET})
    assert SECRET not in str(caught.value)


@pytest.mark.parametrize("setting", ["apiToken", "accessToken"])
def test_a_token_with_a_line_break_is_refused_without_showing_it(setting: str) -> None:
    text = refusal({"orgName": "acme", setting: f"{SECRET}\nX-Injected: yes"})
    assert f"okta:{setting} must be" in text
    assert SECRET not in text


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
