"""``_exposure`` is the one definition of "usable from anywhere", "exclude-only" and "expiring": the org
audit and the policy pack both judge by it, and agree on every network condition Okta accepts."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from pulumi_okta_token import _exposure
from pulumi_okta_token._models import NetworkCondition, TokenMetadata
from pulumi_okta_token._okta_time import format_okta_time
from pulumi_okta_token.cli import _audit_rules as audit
from pulumi_okta_token.cli._tokens import views
from pulumi_okta_token.policy import _judge as pack

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
OFFICE = "nzooffice00000000001"
TOKEN_ID = "00Ttoken000000000001"
VPN = "nzovpn00000000000002"

CONDITIONS: list[dict[str, Any]] = [
    {"connection": "ANYWHERE"},
    {"connection": "ZONE", "include": ["ALL_IP_ZONES"]},
    {"connection": "ZONE", "include": [OFFICE]},
    {"connection": "ZONE", "include": [OFFICE, VPN]},
    {"connection": "ZONE", "exclude": ["ALL_IP_ZONES"]},
    {"connection": "ZONE", "exclude": [OFFICE]},
    {"connection": "ZONE", "exclude": [OFFICE, VPN]},
]
"""The five choices of the Admin Console, with one and two zones where a list is given."""


def okta_token(network: dict[str, Any] | None, expires_at: datetime = NOW) -> TokenMetadata:
    return TokenMetadata.from_okta_json(
        {
            "id": TOKEN_ID,
            "name": "ci",
            "network": network,
            "expiresAt": format_okta_time(expires_at),
            "tokenWindow": "P30D",
        }
    )


@pytest.mark.parametrize("network", CONDITIONS, ids=lambda n: str(n))
def test_audit_and_pack_agree_on_network_anywhere(network: dict[str, Any]) -> None:
    by_audit = audit.network_anywhere(okta_token(network)) is not None
    by_pack = pack.network_anywhere("ci", {"token_id": TOKEN_ID, "network": network}) is not None
    assert by_audit == by_pack == _exposure.is_usable_from_anywhere(NetworkCondition.model_validate(network))


@pytest.mark.parametrize("network", CONDITIONS, ids=lambda n: str(n))
def test_audit_and_pack_agree_on_network_exclude_only(network: dict[str, Any]) -> None:
    by_audit = audit.network_exclude_only(okta_token(network)) is not None
    by_pack = pack.network_exclude_only("ci", {"token_id": TOKEN_ID, "network": network}) is not None
    assert by_audit == by_pack == _exposure.is_exclude_only(NetworkCondition.model_validate(network))


@pytest.mark.parametrize("days_left", [-3, 0, 6.9, 7, 7.01, 30])
def test_audit_and_pack_agree_on_expiring_at_the_same_threshold(days_left: float) -> None:
    expires_at = NOW + timedelta(days=days_left)
    (view,) = views([okta_token({"connection": "ANYWHERE"}, expires_at)], NOW, None)
    by_audit = audit.expiring(view, timedelta(days=7)) is not None
    by_pack = pack.expiring("ci", {"expires_at": format_okta_time(expires_at)}, NOW, 7) is not None
    assert by_audit == by_pack == (days_left <= 7)


def test_a_token_without_network_condition_is_usable_from_anywhere() -> None:
    assert _exposure.is_usable_from_anywhere(None)


def test_no_network_condition_is_not_exclude_only() -> None:
    assert not _exposure.is_exclude_only(None)


def test_the_audit_rules_and_the_pack_import_the_same_predicates() -> None:
    for name in ("is_usable_from_anywhere", "is_exclude_only", "expires_within"):
        assert getattr(audit, name) is getattr(_exposure, name)
        assert getattr(pack, name) is getattr(_exposure, name)
