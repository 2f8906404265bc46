"""Retries, request timeout, rate-limit headroom and wait: defaults, sources and bounds."""

from __future__ import annotations

import pytest
from settings_support import SECRET, load, refusal, stack

from pulumi_okta_token._settings import MAX_RETRIES_LIMIT, load_settings
from pulumi_okta_token.errors import ConfigurationError


def test_limits_default_to_five_retries_as_pulumi_okta_and_thirty_seconds() -> None:
    settings = load({"orgName": "acme", "apiToken": SECRET})
    assert (settings.max_retries, settings.request_timeout, settings.notices) == (5, 30.0, ())


def test_max_retries_and_request_timeout_come_from_stack_config() -> None:
    settings = load({"orgName": "acme", "apiToken": SECRET, "maxRetries": "5", "requestTimeout": 12.5})
    assert (settings.max_retries, settings.request_timeout) == (5, 12.5)


def test_max_retries_and_request_timeout_come_from_the_environment() -> None:
    settings = load(
        OKTA_ORG_NAME="acme", OKTA_API_TOKEN=SECRET, OKTA_MAX_RETRIES="0", OKTA_REQUEST_TIMEOUT="3"
    )
    assert (settings.max_retries, settings.request_timeout) == (0, 3.0)


@pytest.mark.parametrize("value", ["-1", "two", "1.5", "101", "1_0", " 1 0"])
def test_bad_max_retries_is_refused(value: str) -> None:
    with pytest.raises(ConfigurationError, match=r"okta:maxRetries"):
        load({"orgName": "acme", "apiToken": SECRET, "maxRetries": value})


@pytest.mark.parametrize("value", ["-3", "soon", "nan", "inf", "1e3", "3601"])
def test_bad_request_timeout_is_refused(value: str) -> None:
    with pytest.raises(ConfigurationError, match=r"okta:requestTimeout"):
        load({"orgName": "acme", "apiToken": SECRET, "requestTimeout": value})


def test_max_retries_of_ten_is_accepted() -> None:
    assert load({"orgName": "acme", "apiToken": SECRET, "maxRetries": "10"}).max_retries == MAX_RETRIES_LIMIT


@pytest.mark.parametrize("value", ["11", "100"])
def test_max_retries_above_ten_up_to_pulumi_oktas_100_is_used_as_ten_with_a_notice_naming_the_key(
    value: str,
) -> None:
    settings = load({"orgName": "acme", "apiToken": SECRET, "maxRetries": value})

    assert settings.max_retries == MAX_RETRIES_LIMIT
    assert [notice.split(" ", 1)[0] for notice in settings.notices] == ["okta:maxRetries"]
    assert value not in settings.notices[0]


def test_max_retries_above_100_is_refused_naming_the_bound() -> None:
    expected = r"^okta:maxRetries is above 100, the most retries it allows"
    with pytest.raises(ConfigurationError, match=expected):
        load({"orgName": "acme", "apiToken": SECRET, "maxRetries": "101"})


def test_request_timeout_zero_means_no_limit_as_in_pulumi_okta() -> None:
    settings = load({"orgName": "acme", "apiToken": SECRET, "requestTimeout": "0"})

    assert (settings.request_timeout, settings.timeout_seconds, settings.notices) == (0.0, None, ())


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
