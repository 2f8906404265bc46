"""The audit's rules as pure functions over models, and how the audit runs them (no HTTP)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from pulumi_okta_token._models import NetworkCondition, TokenMetadata
from pulumi_okta_token._okta_time import format_okta_time
from pulumi_okta_token.cli import _audit_rules as rules
from pulumi_okta_token.cli._audit_run import AuditOptions, run_audit
from pulumi_okta_token.cli._owners import OwnerFacts, OwnerUser
from pulumi_okta_token.cli._stack_state import ManagedToken
from pulumi_okta_token.cli._tokens import TokenView, views
from pulumi_okta_token.errors import Forbidden, NotFound

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
OWNER = "00uowner000000000001"


def token(
    network: dict[str, Any] | None = None,
    *,
    expires_in: float = 20,
    window: str | None = "P30D",
    **fields: Any,
) -> TokenMetadata:
    data: dict[str, Any] = {
        "id": fields.pop("id", "00Ttoken000000000001"),
        "name": fields.pop("name", "ci"),
        "userId": fields.pop("userId", OWNER),
        "expiresAt": format_okta_time(NOW + timedelta(days=expires_in)),
        "tokenWindow": window,
        "network": network
        if network is not None
        else {"connection": "ZONE", "include": ["nzooffice00000000001"]},
        **fields,
    }
    return TokenMetadata.from_okta_json(data)


def view(item: TokenMetadata, window: timedelta | None = None) -> TokenView:
    (made,) = views([item], NOW, window)
    return made


def test_rule_ids_and_severities_are_the_documented_ones() -> None:
    assert {rule.id: rule.severity for rule in rules.RULES.values()} == {
        "network-anywhere": "high",
        "network-exclude-only": "medium",
        "expiring": "medium",
        "unused": "low",
        "owner-inactive": "high",
        "owner-super-admin": "medium",
        "unmanaged": "low",
        "missing": "high",
    }


# -- network ------------------------------------------------------------------------------------


def test_network_anywhere_finds_an_anywhere_token() -> None:
    finding = rules.network_anywhere(token({"connection": "ANYWHERE"}))

    assert finding is not None and finding.rule.id == "network-anywhere" and finding.severity == "high"


def test_network_anywhere_finds_a_token_without_any_network_condition() -> None:
    bare = token().model_copy(update={"network": None})

    assert rules.network_anywhere(bare) is not None


@pytest.mark.parametrize(
    "network",
    [
        {"connection": "ZONE", "include": ["nzooffice00000000001"]},
        {"connection": "ZONE", "include": ["ALL_IP_ZONES"]},
        {"connection": "ZONE", "exclude": ["nzooffice00000000001"]},
    ],
)
def test_network_anywhere_passes_zone_restricted_tokens(network: dict[str, Any]) -> None:
    assert rules.network_anywhere(token(network)) is None


@pytest.mark.parametrize(
    ("network", "detail"),
    [
        ({"connection": "ZONE", "exclude": ["nzooffice00000000001"]}, "only excludes 1 zone"),
        ({"connection": "ZONE", "exclude": ["ALL_IP_ZONES"]}, "only excludes the org's zones"),
    ],
)
def test_network_exclude_only_finds_deny_lists(network: dict[str, Any], detail: str) -> None:
    finding = rules.network_exclude_only(token(network))

    assert finding is not None and finding.severity == "medium" and finding.detail.startswith(detail)


@pytest.mark.parametrize(
    "network", [{"connection": "ANYWHERE"}, {"connection": "ZONE", "include": ["nzooffice00000000001"]}]
)
def test_network_exclude_only_passes_allow_lists_and_anywhere(network: dict[str, Any]) -> None:
    assert rules.network_exclude_only(token(network)) is None


def test_network_exclude_only_passes_a_condition_with_both_lists() -> None:
    odd = NetworkCondition.model_construct(
        connection="ZONE", include=("nzooffice00000000001",), exclude=("nzovpn00000000000001",)
    )

    assert rules.network_exclude_only(token().model_copy(update={"network": odd})) is None


# -- time -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("days", "found"), [(7, True), (6.5, True), (7.01, False), (30, False)])
def test_expiring_finds_tokens_expiring_within_the_days_given(days: float, found: bool) -> None:
    finding = rules.expiring(view(token(expires_in=days)), timedelta(days=7))

    assert (finding is not None) is found


def test_expiring_says_when_a_token_has_already_expired() -> None:
    finding = rules.expiring(view(token(expires_in=-2.5)), timedelta(days=7))

    assert finding is not None and finding.detail == "expired 2 days ago (2026-02-27)"


def test_expiring_skips_a_token_without_expiry() -> None:
    assert rules.expiring(view(token(expiresAt=None)), timedelta(days=7)) is None


def test_unused_finds_a_token_last_used_before_the_days_given() -> None:
    # expires in 5 days with a 60-day window: last used 55 days ago
    finding = rules.unused(view(token(expires_in=5, window="P60D")), timedelta(days=30))

    assert (
        finding is not None
        and finding.severity == "low"
        and finding.detail.startswith("last used 55 days ago")
    )


def test_unused_passes_a_token_used_within_the_days_given() -> None:
    assert rules.unused(view(token(expires_in=25)), timedelta(days=30)) is None


def test_unused_cannot_judge_a_token_whose_window_is_unknown() -> None:
    item = token(expires_in=1, window=None)

    assert rules.unused(view(item), timedelta(days=10)) is None
    assert rules.unused(view(item, timedelta(days=30)), timedelta(days=10)) is not None


# -- owners ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["SUSPENDED", "DEPROVISIONED", "STAGED", "LOCKED_OUT"])
def test_owner_inactive_finds_an_owner_whose_status_is_not_active(status: str) -> None:
    finding = rules.owner_inactive(token(), OwnerFacts(OWNER, status=status))

    assert finding is not None and finding.severity == "high" and status in finding.detail


def test_owner_inactive_finds_an_owner_that_no_longer_exists() -> None:
    finding = rules.owner_inactive(token(), OwnerFacts(OWNER, exists=False))

    assert finding is not None and "no longer exists" in finding.detail


def test_owner_inactive_passes_an_active_owner_and_an_unread_status() -> None:
    assert rules.owner_inactive(token(), OwnerFacts(OWNER, status="ACTIVE")) is None
    assert rules.owner_inactive(token(), OwnerFacts(OWNER)) is None


def test_owner_super_admin_finds_the_role_among_others() -> None:
    facts = OwnerFacts(OWNER, roles=frozenset({"READ_ONLY_ADMIN", "SUPER_ADMIN"}))

    finding = rules.owner_super_admin(token(), facts)

    assert finding is not None and finding.severity == "medium"


def test_owner_super_admin_passes_other_roles_and_unread_roles() -> None:
    assert rules.owner_super_admin(token(), OwnerFacts(OWNER, roles=frozenset({"ORG_ADMIN"}))) is None
    assert rules.owner_super_admin(token(), OwnerFacts(OWNER)) is None


# -- stack ----------------------------------------------------------------------------------------


def test_unmanaged_finds_a_token_the_stack_does_not_manage() -> None:
    assert rules.unmanaged(token(), set()) is not None
    assert rules.unmanaged(token(), {"00Ttoken000000000001"}) is None


def test_missing_finds_a_stack_resource_whose_token_is_gone() -> None:
    resource = ManagedToken("ci", "00Tgone0000000000001", "ci")

    finding = rules.missing(resource, {"00Ttoken000000000001"})

    assert finding is not None and finding.severity == "high" and finding.resource == "ci"


def test_missing_ignores_a_resource_already_marked_for_deletion() -> None:
    resource = ManagedToken("old", "00Tgone0000000000001", None, pending_delete=True)

    assert rules.missing(resource, set()) is None


# -- the audit over a double ----------------------------------------------------------------------


class Directory:
    """An ``OwnerDirectory`` double: statuses and roles by user, refusals, and a count of questions."""

    def __init__(
        self,
        statuses: dict[str, str],
        roles: dict[str, list[str]] | None = None,
        *,
        refuse_users: bool = False,
        refuse_roles: bool = False,
    ) -> None:
        self.statuses = statuses
        self.roles = roles or {}
        self.refuse_users = refuse_users
        self.refuse_roles = refuse_roles
        self.asked: list[tuple[str, str]] = []

    def user(self, user_id: str) -> OwnerUser:
        self.asked.append(("user", user_id))
        if self.refuse_users:
            raise Forbidden(status=403, error_code="E0000006", error_summary="You do not have permission")
        if user_id not in self.statuses:
            raise NotFound(status=404, error_code="E0000007")
        return OwnerUser(self.statuses[user_id], f"{user_id[3:8]}@example.com")

    def role_types(self, user_id: str) -> list[str]:
        self.asked.append(("roles", user_id))
        if self.refuse_roles:
            raise Forbidden(status=403, error_code="E0000006")
        if user_id not in self.statuses:
            raise NotFound(status=404, error_code="E0000007")
        return self.roles.get(user_id, [])


OTHER = "00uother000000000002"
GONE = "00ugone0000000000003"


def owned_views() -> list[TokenView]:
    return views(
        [
            token(id="00Ttoken000000000001", userId=OWNER),
            token(id="00Ttoken000000000002", userId=OWNER),
            token(id="00Ttoken000000000003", userId=OTHER),
            token(id="00Ttoken000000000004", userId=GONE),
        ],
        NOW,
    )


def audit_owners(directory: Directory) -> Any:
    options = AuditOptions(rules=("owner-inactive", "owner-super-admin"))
    return run_audit(owned_views(), options, org_url="https://acme.okta.com", owners=lambda: directory)


def test_each_owner_is_looked_up_once() -> None:
    directory = Directory({OWNER: "ACTIVE", OTHER: "ACTIVE"})

    audit_owners(directory)

    assert sorted(directory.asked) == sorted(
        (kind, user) for kind in ("user", "roles") for user in (OWNER, OTHER, GONE)
    )


def test_owner_findings_over_a_directory() -> None:
    directory = Directory({OWNER: "ACTIVE", OTHER: "SUSPENDED"}, {OWNER: ["SUPER_ADMIN"]})

    report = audit_owners(directory)

    assert sorted((f.rule.id, f.token_id) for f in report.findings) == [
        ("owner-inactive", "00Ttoken000000000003"),
        ("owner-inactive", "00Ttoken000000000004"),
        ("owner-super-admin", "00Ttoken000000000001"),
        ("owner-super-admin", "00Ttoken000000000002"),
    ]
    assert report.not_checked == []


def test_a_refused_users_lookup_skips_owner_inactive_with_the_scope() -> None:
    directory = Directory({OWNER: "ACTIVE", OTHER: "SUSPENDED"}, {OWNER: ["SUPER_ADMIN"]}, refuse_users=True)

    report = audit_owners(directory)

    (skipped,) = report.not_checked
    assert skipped.rule.id == "owner-inactive" and "okta.users.read" in skipped.reason and skipped.incomplete
    assert {f.rule.id for f in report.findings} == {"owner-super-admin"}
    assert report.failed("high")


def test_a_refused_roles_lookup_skips_owner_super_admin_with_the_scope() -> None:
    directory = Directory({OWNER: "ACTIVE", OTHER: "SUSPENDED"}, refuse_roles=True)

    report = audit_owners(directory)

    (skipped,) = report.not_checked
    assert skipped.rule.id == "owner-super-admin" and "okta.roles.read" in skipped.reason
    assert {f.rule.id for f in report.findings} == {"owner-inactive"}
    assert report.failed("medium") and report.failed("high")  # owner-inactive found


def test_a_skipped_medium_rule_does_not_fail_at_high() -> None:
    directory = Directory({OWNER: "ACTIVE", OTHER: "ACTIVE", GONE: "ACTIVE"}, refuse_roles=True)

    report = audit_owners(directory)

    assert not report.failed("high") and report.failed("medium")


def test_tokens_without_an_owner_are_reported_not_checked() -> None:
    bare = views([token(userId=None)], NOW)
    directory = Directory({})

    report = run_audit(bare, AuditOptions(rules=("owner-inactive",)), org_url="u", owners=lambda: directory)

    assert [item.reason for item in report.not_checked] == ["1 token without a user id (00u...) as userId"]
    assert directory.asked == []


def test_unknown_last_use_is_reported_not_checked_and_fails_at_low() -> None:
    report = run_audit(
        views([token(window=None)], NOW),
        AuditOptions(rules=("unused",)),
        org_url="u",
        owners=lambda: Directory({}),
    )

    (item,) = report.not_checked
    assert "--token-window" in item.reason
    assert report.failed("low") and not report.failed("medium")


def test_fail_on_never_never_fails() -> None:
    report = run_audit(
        views([token({"connection": "ANYWHERE"})], NOW),
        AuditOptions(rules=("network-anywhere",)),
        org_url="u",
        owners=lambda: Directory({}),
    )

    assert report.failed("high") and not report.failed("never")


def test_findings_sort_by_severity_then_rule_then_token() -> None:
    items = [
        rules.Finding(rules.RULES["unused"], "00T3", "a", "d"),
        rules.Finding(rules.RULES["expiring"], "00T2", "b", "d"),
        rules.Finding(rules.RULES["network-anywhere"], "00T1", "z", "d"),
        rules.Finding(rules.RULES["network-exclude-only"], "00T4", "a", "d"),
    ]

    ordered = [f.rule.id for f in rules.sort_findings(items)]

    assert ordered == ["network-anywhere", "network-exclude-only", "expiring", "unused"]


# -- results: every token x every rule ------------------------------------------------------------


def test_results_hold_every_token_and_rule_with_a_status_and_a_reason() -> None:
    report = audit_owners(Directory({OWNER: "ACTIVE", OTHER: "SUSPENDED"}, {OWNER: ["SUPER_ADMIN"]}))

    table = {(r.token_id[-1], r.rule.id): (r.status, r.reason) for r in report.results}
    assert len(report.results) == 8
    assert table[("1", "owner-super-admin")] == (
        "fail",
        f"owner holds SUPER_ADMIN ({OWNER[3:8]}@example.com)",
    )
    assert table[("3", "owner-inactive")] == ("fail", f"owner is SUSPENDED ({OTHER[3:8]}@example.com)")
    assert table[("3", "owner-super-admin")] == ("pass", "the owner does not hold SUPER_ADMIN")
    assert table[("4", "owner-super-admin")] == ("pass", "the owner no longer exists, so holds no role")
    assert {r.owner_login for r in report.results if r.token_id.endswith("1")} == {
        f"{OWNER[3:8]}@example.com"
    }


def test_a_refused_lookup_makes_that_rule_not_checked_for_every_token_and_fails_closed() -> None:
    report = audit_owners(Directory({OWNER: "ACTIVE", OTHER: "ACTIVE", GONE: "ACTIVE"}, refuse_roles=True))

    statuses = {r.status for r in report.results if r.rule.id == "owner-super-admin"}
    reasons = {r.reason for r in report.results if r.rule.id == "owner-super-admin"}
    assert statuses == {"not-checked"}
    assert all("okta.roles.read" in reason for reason in reasons)
    assert report.failed("medium") and not report.failed("high")
    assert report.verdict("high") == "INCOMPLETE"


def test_the_worst_token_comes_first() -> None:
    report = audit_owners(Directory({OWNER: "ACTIVE", OTHER: "SUSPENDED"}, {OWNER: ["SUPER_ADMIN"]}))

    order = [token_id[-1] for token_id, _ in report.worst_first()]
    assert order[:2] == ["3", "4"]  # high: a suspended owner, an owner gone
    assert order[-2:] == ["1", "2"]  # medium: a super admin


def test_stack_rules_are_not_selected_without_a_stack_and_the_report_is_incomplete() -> None:
    report = run_audit(
        owned_views(),
        AuditOptions(rules=("network-anywhere", "missing")),
        org_url="u",
        owners=lambda: Directory({}),
    )

    assert report.rules == ("network-anywhere",)
    assert set(report.not_selected) == {"missing"}
    assert report.verdict("never") == "INCOMPLETE" and not report.complete
