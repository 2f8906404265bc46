"""The audit's rules: pure functions from models to findings, each with a stable id and severity.

The checks security teams are asked to make about API tokens (FACTS.md: DISA's Okta STIG, Okta's own
detections, Prowler's Okta checks), answered from what the org and the stack hold:

========================  ========  =============================================================
rule id                   severity  finding
========================  ========  =============================================================
``network-anywhere``      high      usable from any IP address
``network-exclude-only``  medium    restricted by excluded zones only: usable from every other network
``expiring``              medium    expires within ``--expiring-days`` (or already has)
``unused``                low       last used more than ``--unused-days`` ago
``owner-inactive``        high      the owner's status is not ACTIVE, or the owner no longer exists
``owner-super-admin``     medium    the owner holds the SUPER_ADMIN role
``unmanaged``             low       a token of the org that the stack does not manage
``missing``               high      a stack resource whose token Okta no longer has
========================  ========  =============================================================

Rule ids and severities are part of the command's interface (``--rule``, ``--fail-on``, JSON output):
they do not change. Each function returns a ``Finding`` or ``None`` and does no I/O.

Each rule also says what a pass means, which published checks it answers (``Control``: DISA's Okta
IDaaS STIG V1R2 and Prowler's Okta checks) and where the remediation is documented. This module is the one
place that says what a rule means; every output format and any later policy pack read it from here.

A result is one rule about one token (or one stack resource): ``pass``, ``fail`` or ``not-checked``
(``Status``), always with its reason. ``not-checked`` fails closed: it counts against ``--fail-on`` at
the rule's severity, like a failure.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from .._exposure import expires_within, is_exclude_only, is_usable_from_anywhere
from .._models import ALL_IP_ZONES, TokenMetadata
from ._owners import OwnerFacts
from ._stack_state import ManagedToken
from ._tokens import TokenView

__all__ = [
    "RULES",
    "SEVERITIES",
    "STATUSES",
    "STIG",
    "Control",
    "Finding",
    "NotChecked",
    "Result",
    "Rule",
    "Severity",
    "Status",
    "at_or_above",
    "expiring",
    "expiry_detail",
    "missing",
    "network_anywhere",
    "network_exclude_only",
    "owner_inactive",
    "owner_super_admin",
    "rank",
    "rule_order",
    "sort_findings",
    "unmanaged",
    "unused",
]

Severity = Literal["low", "medium", "high"]
SEVERITIES: tuple[Severity, ...] = ("low", "medium", "high")
_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}

Status = Literal["pass", "fail", "not-checked"]
STATUSES: tuple[Status, ...] = ("fail", "not-checked", "pass")

STIG = "DISA Okta IDaaS STIG V1R2"


@dataclass(frozen=True)
class Control:
    """A published check a rule answers: the framework, its id, its title, and a page describing it."""

    framework: str
    id: str
    title: str
    url: str | None = None


_STIG_NETWORK = Control(
    STIG,
    "V-279689",
    "OKTA-APP-003240: Okta API tokens must be configured with Network Zones to restrict authorization "
    "from known networks",
    "https://stigui.com/stigs/Okta_IDaaS_STIG/groups/V-279689",
)
_STIG_DEDICATED_OWNER = Control(
    STIG,
    "V-279690",
    "Okta API tokens must be created under new dedicated user accounts (never a Super Admin account)",
    "https://stigui.com/stigs/Okta_IDaaS_STIG/groups/V-279690",
)
_PROWLER_NETWORK = Control(
    "Prowler (Okta)", "apitoken_restricted_to_network_zone", "API token restricted to a network zone"
)
_PROWLER_SUPER_ADMIN = Control(
    "Prowler (Okta)", "apitoken_not_super_admin", "API token not owned by a super admin"
)

_OKTA_TOKENS = "https://help.okta.com/oie/en-us/content/topics/security/api.htm"
_PULUMI_REFRESH = "https://www.pulumi.com/docs/iac/cli/commands/pulumi_refresh/"
_OKTA_TOKEN_NETWORK = (
    "https://support.okta.com/help/s/article/restrict-which-ip-address-device-is-allowed-to-use-an-api-token"
)


@dataclass(frozen=True)
class Rule:
    """One check: its stable id, its severity, what it finds, what to do about a finding, what a pass
    means, the published checks it answers, and where the remediation is documented."""

    id: str
    severity: Severity
    finds: str
    advice: str
    passes: str = ""
    """The reason of a pass, as a clause: ``restricted to network zones``."""
    controls: tuple[Control, ...] = ()
    remediation: tuple[str, ...] = ()
    """Links to the remediation (Okta's documentation)."""
    needs_stack: bool = False
    """Runs only with ``--stack-state`` (the stack's resources); without it the rule is not selected."""


_RULE_LIST = (
    Rule(
        "network-anywhere",
        "high",
        "tokens usable from any IP address",
        "Restrict the token to the network zones its client calls from (Admin Console: Security > API > "
        "Tokens > edit > Network; in Pulumi: network={'connection': 'ZONE', 'include': [...]}).",
        passes="restricted to network zones",
        controls=(_STIG_NETWORK, _PROWLER_NETWORK),
        remediation=(_OKTA_TOKEN_NETWORK, _OKTA_TOKENS),
    ),
    Rule(
        "network-exclude-only",
        "medium",
        "tokens restricted only by excluded zones",
        "Allow-list instead: include the zones the client calls from. Excluding some zones still lets "
        "the token be used from every other network.",
        passes="not restricted by excluded zones alone",
        controls=(_STIG_NETWORK,),
        remediation=(_OKTA_TOKEN_NETWORK,),
    ),
    Rule(
        "expiring",
        "medium",
        "tokens that expire within --expiring-days (a token expires after going unused for its window)",
        "If a client still needs the token, it stops working when it expires: use it or replace it "
        "(an OAuth service app does not expire this way). If nothing needs it, revoke it.",
        passes="does not expire within the days given",
        controls=(),
        remediation=(_OKTA_TOKENS,),
    ),
    Rule(
        "unused",
        "low",
        "tokens last used more than --unused-days ago",
        "Revoke the token if no client needs it any more (Admin Console: Security > API > Tokens).",
        passes="used within the days given",
        controls=(),
        remediation=(_OKTA_TOKENS,),
    ),
    Rule(
        "owner-inactive",
        "high",
        "tokens whose owner is not ACTIVE or no longer exists",
        "A token acts with its owner's permissions: move its client to a token of an active service "
        "account (or an OAuth service app), then revoke this token.",
        passes="the owner is ACTIVE",
        controls=(),
        remediation=(_OKTA_TOKENS,),
    ),
    Rule(
        "owner-super-admin",
        "medium",
        "tokens whose owner holds the SUPER_ADMIN role",
        "A token holds every role of its owner: create the token as a dedicated service account with the "
        "narrowest admin role the client needs, then revoke this token.",
        passes="the owner does not hold SUPER_ADMIN",
        controls=(_STIG_DEDICATED_OWNER, _PROWLER_SUPER_ADMIN),
        remediation=(_OKTA_TOKENS,),
    ),
    Rule(
        "unmanaged",
        "low",
        "tokens of the org that the stack (--stack-state) does not manage",
        "Adopt the token (`pulumi-okta-token generate --name NAME` prints its declaration) or revoke it "
        "if nobody owns it.",
        passes="managed by the stack",
        controls=(),
        remediation=(_OKTA_TOKENS,),
        needs_stack=True,
    ),
    Rule(
        "missing",
        "high",
        "stack resources (--stack-state) whose token Okta no longer has",
        "The token was revoked or expired outside Pulumi: run `pulumi refresh` to drop it from the state, "
        "remove its declaration, and check what used it.",
        passes="the token is active in the org",
        controls=(),
        remediation=(_PULUMI_REFRESH,),
        needs_stack=True,
    ),
)

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULE_LIST}
"""Every rule by id, in the order they are documented and reported."""

_ORDER = {rule_id: index for index, rule_id in enumerate(RULES)}


def at_or_above(severity: Severity, threshold: Severity) -> bool:
    return _RANK[severity] >= _RANK[threshold]


@dataclass(frozen=True)
class Finding:
    """One rule's finding about one token (or one stack resource)."""

    rule: Rule
    token_id: str
    token_name: str | None
    detail: str
    resource: str | None = None
    """The stack resource's name, for findings about the stack."""

    @property
    def severity(self) -> Severity:
        return self.rule.severity

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule": self.rule.id,
            "severity": self.severity,
            "tokenId": self.token_id,
            "tokenName": self.token_name,
            "detail": self.detail,
            "advice": self.rule.advice,
        }
        if self.resource is not None:
            data["resource"] = self.resource
        return data


@dataclass(frozen=True)
class Result:
    """One rule about one token (or one stack resource): pass, fail or not-checked, and why."""

    rule: Rule
    status: Status
    token_id: str
    token_name: str | None
    reason: str
    owner_id: str | None = None
    owner_login: str | None = None
    resource: str | None = None
    """The stack resource's name, for results about the stack."""

    @property
    def severity(self) -> Severity:
        return self.rule.severity

    @property
    def failing(self) -> bool:
        """A failure, or a check that could not run (which fails closed)."""
        return self.status != "pass"

    @property
    def owner(self) -> str | None:
        """The owner as a person reads it: the login when Okta gave one, else the user id."""
        return self.owner_login or self.owner_id


@dataclass(frozen=True)
class NotChecked:
    """A rule that did not run (or not for every token), and why.

    ``incomplete`` is true when the audit could not check what was asked (a permission missing, a last
    use unknown): that counts against ``--fail-on`` like a finding of the rule's severity, so a missing
    permission never reads as a clean audit. A rule that was simply not asked for is not incomplete.
    """

    rule: Rule
    reason: str
    incomplete: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule.id,
            "severity": self.rule.severity,
            "reason": self.reason,
            "incomplete": self.incomplete,
        }


def rank(severity: Severity) -> int:
    """0 for low, 1 for medium, 2 for high."""
    return _RANK[severity]


def rule_order(rule_id: str) -> int:
    """A rule's place in ``RULES``."""
    return _ORDER[rule_id]


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Highest severity first, then in rule order, then by token name and id."""
    return sorted(
        findings,
        key=lambda f: (
            -_RANK[f.severity],
            _ORDER[f.rule.id],
            f.token_name or "",
            f.token_id,
            f.resource or "",
        ),
    )


def _finding(rule_id: str, token: TokenMetadata, detail: str) -> Finding:
    return Finding(RULES[rule_id], token.id, token.name, detail)


def _days(delta: timedelta) -> str:
    """A non-negative span in whole days: ``3 days``, ``1 day``, ``less than a day``."""
    days = int(delta.total_seconds() // 86400)
    if days == 0:
        return "less than a day"
    return f"{days} day{'s' if days != 1 else ''}"


# --------------------------------------------------------------------------------------------
# Network


def network_anywhere(token: TokenMetadata) -> Finding | None:
    """``network-anywhere``: connection ``ANYWHERE``, or no network condition at all
    (``_exposure.is_usable_from_anywhere``)."""
    if not is_usable_from_anywhere(token.network):
        return None
    if token.network is None:
        return _finding("network-anywhere", token, "no network condition: usable from any IP address")
    return _finding("network-anywhere", token, "usable from any IP address")


def network_exclude_only(token: TokenMetadata) -> Finding | None:
    """``network-exclude-only``: connection ``ZONE`` with excluded zones and no included ones
    (``_exposure.is_exclude_only``)."""
    network = token.network
    if network is None or not is_exclude_only(network):
        return None
    if tuple(network.exclude) == (ALL_IP_ZONES,):
        detail = "only excludes the org's zones: allowed from any other network"
    else:
        count = len(network.exclude)
        detail = f"only excludes {count} zone{'s' if count != 1 else ''}: allowed from any other network"
    return _finding("network-exclude-only", token, detail)


# --------------------------------------------------------------------------------------------
# Time


def expiring(view: TokenView, within: timedelta) -> Finding | None:
    """``expiring``: ``expiresAt`` no later than ``within`` from now, past expiries included
    (``_exposure.expires_within``)."""
    if view.expires_at is None or not expires_within(view.expires_at, view.now, within):
        return None
    return _finding("expiring", view.token, expiry_detail(view.expires_at, view.now))


def expiry_detail(expires_at: datetime, now: datetime) -> str:
    """How far ``expires_at`` is from ``now``, for an ``expiring`` finding (the audit's and the policy
    pack's): ``expires in 3 days (2027-01-06)``, or ``expired 2 days ago (...)`` once past."""
    left = expires_at - now
    date = expires_at.date().isoformat()
    if left >= timedelta(0):
        return f"expires in {_days(left)} ({date})"
    return f"expired {_days(-left)} ago ({date})"


def unused(view: TokenView, after: timedelta) -> Finding | None:
    """``unused``: last use (``expiresAt - tokenWindow``) more than ``after`` ago; ``None`` when the last
    use is unknown (the caller reports those tokens as not checked)."""
    last_used = view.last_used
    if last_used is None or view.now - last_used <= after:
        return None
    return _finding(
        "unused", view.token, f"last used {_days(view.now - last_used)} ago ({last_used.date().isoformat()})"
    )


# --------------------------------------------------------------------------------------------
# Owners


def owner_inactive(token: TokenMetadata, owner: OwnerFacts) -> Finding | None:
    """``owner-inactive``: the owner no longer exists, or its status is known and is not ``ACTIVE``."""
    if not owner.exists:
        return _finding("owner-inactive", token, f"owner no longer exists ({owner.user_id})")
    if owner.status is None or owner.status == "ACTIVE":
        return None
    return _finding("owner-inactive", token, f"owner is {owner.status} ({owner.shown})")


def owner_super_admin(token: TokenMetadata, owner: OwnerFacts) -> Finding | None:
    """``owner-super-admin``: the owner holds the ``SUPER_ADMIN`` role."""
    if owner.roles is None or "SUPER_ADMIN" not in owner.roles:
        return None
    return _finding("owner-super-admin", token, f"owner holds SUPER_ADMIN ({owner.shown})")


# --------------------------------------------------------------------------------------------
# Stack


def unmanaged(token: TokenMetadata, managed_ids: Set[str]) -> Finding | None:
    """``unmanaged``: the org's token is not the id of any ``ApiToken`` in the stack."""
    if token.id in managed_ids:
        return None
    return _finding("unmanaged", token, "not managed by the stack")


def missing(resource: ManagedToken, live_ids: Set[str]) -> Finding | None:
    """``missing``: the stack's ``ApiToken`` names a token that is not among the org's active tokens
    (not for a resource already marked for deletion)."""
    if resource.pending_delete or resource.token_id in live_ids:
        return None
    return Finding(
        RULES["missing"],
        resource.token_id,
        resource.token_name,
        f"no such active token (resource {resource.name!r})",
        resource=resource.name,
    )
