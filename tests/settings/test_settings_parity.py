"""pulumi-okta's settings: ``maxApiCapacity`` honoured as a share of the rate limit; ``backoff``,
``minWaitSeconds`` and ``maxWaitSeconds`` checked, and a notice naming each key when it is not followed."""

from __future__ import annotations

import logging

import pytest
from settings_support import SECRET, load

from pulumi_okta_token._settings import warn_once
from pulumi_okta_token.errors import ConfigurationError

BASE = {"orgName": "acme", "apiToken": SECRET}


@pytest.mark.parametrize(("capacity", "headroom"), [("100", 0.0), ("50", 50.0), ("90", 10.0), ("10", 90.0)])
def test_max_api_capacity_is_the_share_the_provider_uses_so_the_headroom_is_the_rest(
    capacity: str, headroom: float
) -> None:
    settings = load({**BASE, "maxApiCapacity": capacity})

    assert (settings.rate_limit_headroom, settings.notices) == (headroom, ())


def test_max_api_capacity_comes_from_the_environment() -> None:
    settings = load(OKTA_ORG_NAME="acme", OKTA_API_TOKEN=SECRET, OKTA_MAX_API_CAPACITY="75")

    assert settings.rate_limit_headroom == 25.0


def test_max_api_capacity_below_ten_keeps_ten_percent_and_says_so() -> None:
    settings = load({**BASE, "maxApiCapacity": "5"})

    assert settings.rate_limit_headroom == 90.0
    assert settings.notices[0].startswith("okta:maxApiCapacity is below 10")


def test_rate_limit_headroom_wins_over_max_api_capacity_with_a_notice() -> None:
    settings = load({**BASE, "maxApiCapacity": "50", "rateLimitHeadroom": "20"})

    assert settings.rate_limit_headroom == 20.0
    assert settings.notices[0].startswith("okta:maxApiCapacity is not used: okta:rateLimitHeadroom is set")


@pytest.mark.parametrize("value", ["0", "101", "50%", "1.5", "-1", "lots"])
def test_bad_max_api_capacity_is_refused_by_name_without_its_value(value: str) -> None:
    expected = r"^okta:maxApiCapacity must be a whole percentage"
    with pytest.raises(ConfigurationError, match=expected) as caught:
        load({**BASE, "maxApiCapacity": value})

    assert "50%" not in str(caught.value) and "lots" not in str(caught.value)


@pytest.mark.parametrize("key", ["minWaitSeconds", "maxWaitSeconds"])
def test_wait_bounds_are_checked_and_a_notice_says_what_the_provider_waits_for_instead(key: str) -> None:
    settings = load({**BASE, key: "30"})

    assert len(settings.notices) == 1
    assert settings.notices[0].startswith(f"okta:{key} is not used: after a 429 the provider waits until")


def test_backoff_true_is_what_the_provider_does_anyway_and_false_gives_a_notice() -> None:
    assert load({**BASE, "backoff": "true"}).notices == ()
    (notice,) = load({**BASE, "backoff": False}).notices
    assert notice.startswith("okta:backoff false is not followed")


@pytest.mark.parametrize(("key", "value"), [("backoff", "maybe"), ("minWaitSeconds", "1.5")])
def test_bad_pulumi_okta_wait_settings_are_refused(key: str, value: str) -> None:
    with pytest.raises(ConfigurationError, match=rf"^okta:{key} must be"):
        load({**BASE, key: value})


def test_each_notice_is_logged_once_per_process(caplog: pytest.LogCaptureFixture) -> None:
    notices = ("okta:maxWaitSeconds is not used: a notice of this test",)
    with caplog.at_level(logging.WARNING, logger="pulumi_okta_token"):
        warn_once(notices)
        warn_once(notices)

    assert [record.getMessage() for record in caplog.records] == [f"pulumi-okta-token: warning: {notices[0]}"]
