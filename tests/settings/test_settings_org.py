"""The org: ``okta:orgUrl``, or ``okta:orgName`` plus ``okta:baseUrl``; https except to this machine."""

from __future__ import annotations

import pytest
from settings_support import SECRET, load, refusal

from pulumi_okta_token._settings import is_loopback_host
from pulumi_okta_token.errors import ConfigurationError


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
