"""The pack's rules on one declaration (``policy._judge``): what each finds, what it leaves alone, and
what its message says (the rule, the resource, the token, the fix), terminal-safe whatever the program
named things."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from pulumi_okta_token._okta_time import format_okta_time
from pulumi_okta_token.policy._judge import (
    PACK_RULES,
    UNKNOWN,
    expiring,
    network_anywhere,
    network_exclude_only,
    network_undeclared,
)

TOKEN_ID = "00Tci00000000000000A"
OFFICE = "nzooffice00000000001"
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


def declared(**props: Any) -> dict[str, Any]:
    return {"token_id": TOKEN_ID, "name": "ci", **props}


def test_the_pack_has_four_rules_and_only_network_anywhere_is_mandatory_by_default() -> None:
    assert {rule.id: rule.default_level for rule in PACK_RULES.values()} == {
        "network-anywhere": "mandatory",
        "network-exclude-only": "advisory",
        "network-undeclared": "advisory",
        "expiring": "advisory",
    }


def test_network_anywhere_names_the_rule_the_resource_the_token_and_the_fix() -> None:
    message = network_anywhere("ci-token", declared(network={"connection": "ANYWHERE"}))
    assert message is not None
    assert message.startswith("network-anywhere: ApiToken 'ci-token' (token 00Tci00000000000000A)")
    assert "Fix: Restrict the token to the network zones" in message


def test_network_anywhere_accepts_the_other_spellings_check_accepts() -> None:
    assert network_anywhere("ci", declared(network={"connection": "anywhere", "include": None})) is not None


def test_network_anywhere_passes_a_token_restricted_to_zones() -> None:
    assert network_anywhere("ci", declared(network={"connection": "ZONE", "include": [OFFICE]})) is None


def test_network_anywhere_leaves_an_undeclared_network_to_network_undeclared() -> None:
    assert network_anywhere("ci", declared()) is None
    assert network_undeclared("ci", declared()) is not None


def test_a_network_not_known_yet_is_not_judged() -> None:
    assert network_anywhere("ci", declared(network=UNKNOWN)) is None
    assert network_undeclared("ci", declared(network=UNKNOWN)) is None
    assert network_exclude_only("ci", declared(network={"connection": "ZONE", "exclude": UNKNOWN})) is None


def test_a_network_check_would_refuse_is_left_to_check() -> None:
    assert network_anywhere("ci", declared(network={"connection": "ANYWHERE", "include": [OFFICE]})) is None


def test_network_exclude_only_counts_the_excluded_zones() -> None:
    message = network_exclude_only("ci", declared(network={"connection": "ZONE", "exclude": [OFFICE]}))
    assert message is not None and "only excludes 1 zone: it is usable from every other network" in message


def test_network_exclude_only_names_all_ip_zones_as_the_orgs_zones() -> None:
    message = network_exclude_only(
        "ci", declared(network={"connection": "ZONE", "exclude": ["ALL_IP_ZONES"]})
    )
    assert message is not None and "only excludes the org's zones" in message


def test_an_unknown_token_id_is_said_not_known_yet() -> None:
    message = network_anywhere("ci", {"token_id": UNKNOWN, "network": {"connection": "ANYWHERE"}})
    assert message is not None and "(token id not known yet)" in message


def test_expiring_finds_a_token_expiring_within_the_days_given() -> None:
    expires_at = format_okta_time(NOW + timedelta(days=29, hours=1))
    message = expiring("ci", declared(expires_at=expires_at), NOW, 45)
    assert message is not None
    assert "expires in 29 days (2026-03-30): within the policy's 45 days" in message


def test_expiring_passes_a_token_beyond_the_days_given() -> None:
    expires_at = format_okta_time(NOW + timedelta(days=29))
    assert expiring("ci", declared(expires_at=expires_at), NOW, 7) is None


def test_expiring_says_how_long_ago_an_expired_token_expired() -> None:
    expires_at = format_okta_time(NOW - timedelta(days=2))
    message = expiring("ci", declared(expires_at=expires_at), NOW, 7)
    assert message is not None and "expired 2 days ago (2026-02-27)" in message


def test_expiring_does_not_judge_a_token_without_a_known_expiry() -> None:
    assert expiring("ci", declared(), NOW, 7) is None
    assert expiring("ci", declared(expires_at=UNKNOWN), NOW, 7) is None
    assert expiring("ci", declared(expires_at="next tuesday"), NOW, 7) is None


def test_hostile_names_and_ids_reach_the_message_escaped_and_cut() -> None:
    hostile = "evil\x1b[2J\x1b]52;c;cGF5bG9hZA==\x07\nFAKE: all clear\u202e" + "x" * 5000
    message = network_anywhere(hostile, {"token_id": hostile, "network": {"connection": "ANYWHERE"}})
    assert message is not None
    assert "\x1b" not in message and "\n" not in message and "\x07" not in message
    assert "\u202e" not in message
    assert "\\x1b[2J" in message and "\\n" in message
    assert len(message) < 1000
