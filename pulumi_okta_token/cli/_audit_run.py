"""Running the audit's rules over the org's tokens (and a stack): what was found, and what could not be
checked. No I/O but the owner look-ups, which go through the ``OwnerDirectory`` given."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from .._models import USER_ID_RE
from ..errors import Forbidden
from ._audit_rules import (
    RULES,
    SEVERITIES,
    Finding,
    NotChecked,
    Severity,
    at_or_above,
    expiring,
    missing,
    network_anywhere,
    network_exclude_only,
    owner_inactive,
    owner_super_admin,
    sort_findings,
    unmanaged,
    unused,
)
from ._owners import ROLES_SCOPE, USERS_SCOPE, OwnerDirectory, OwnerLookups, look_up_owners
from ._stack_state import ManagedToken
from ._tokens import TokenView

__all__ = ["OWNER_RULES", "STACK_RULES", "AuditOptions", "AuditReport", "run_audit"]

OWNER_RULES = ("owner-inactive", "owner-super-admin")
STACK_RULES = ("unmanaged", "missing")


@dataclass(frozen=True)
class AuditOptions:
    """What to check: the rules (by id), their limits, and the stack's tokens if a state was given."""

    rules: tuple[str, ...] = tuple(RULES)
    expiring_within: timedelta = timedelta(days=7)
    unused_after: timedelta = timedelta(days=30)
    stack: Sequence[ManagedToken] | None = None
    """The stack's ``ApiToken`` resources (``--stack-state``); ``None``: the stack rules cannot run."""


@dataclass
class AuditReport:
    """Findings, rules that did not (fully) run, and what was looked at."""

    org_url: str
    tokens: int
    findings: list[Finding] = field(default_factory=list)
    not_checked: list[NotChecked] = field(default_factory=list)
    rules: tuple[str, ...] = ()

    def failed(self, fail_on: str) -> bool:
        """Whether the audit fails at ``fail_on`` (``low``, ``medium``, ``high`` or ``never``)."""
        if fail_on == "never":
            return False
        threshold: Severity = fail_on  # type: ignore[assignment]
        return any(at_or_above(f.severity, threshold) for f in self.findings) or any(
            item.incomplete and at_or_above(item.rule.severity, threshold) for item in self.not_checked
        )

    def counts(self) -> dict[str, int]:
        return {
            severity: sum(f.severity == severity for f in self.findings) for severity in reversed(SEVERITIES)
        }


# --------------------------------------------------------------------------------------------
# Running the rules


def run_audit(
    views: Sequence[TokenView],
    options: AuditOptions,
    *,
    org_url: str,
    owners: Callable[[], OwnerDirectory],
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> AuditReport:
    """Every selected rule over ``views`` (and ``options.stack``). ``owners`` makes the directory the
    owner rules ask, only when one of them is selected."""
    report = AuditReport(org_url=org_url, tokens=len(views), rules=options.rules)
    selected = set(options.rules)
    for view in views:
        report.findings += _token_findings(view, selected, options)
    _time_gaps(report, views, selected)
    if selected & set(OWNER_RULES):
        _owner_findings(report, views, selected, owners, progress)
    if selected & set(STACK_RULES):
        _stack_findings(report, views, selected, options.stack)
    report.findings = sort_findings(report.findings)
    return report


def _token_findings(view: TokenView, selected: set[str], options: AuditOptions) -> list[Finding]:
    checks: list[tuple[str, Callable[[], Finding | None]]] = [
        ("network-anywhere", lambda: network_anywhere(view.token)),
        ("network-exclude-only", lambda: network_exclude_only(view.token)),
        ("expiring", lambda: expiring(view, options.expiring_within)),
        ("unused", lambda: unused(view, options.unused_after)),
    ]
    found = [check() for rule, check in checks if rule in selected]
    return [finding for finding in found if finding is not None]


def _time_gaps(report: AuditReport, views: Sequence[TokenView], selected: set[str]) -> None:
    """Tokens whose expiry or last use is unknown, so ``expiring`` or ``unused`` could not judge them."""
    no_expiry = sum(view.expires_at is None for view in views)
    if "expiring" in selected and no_expiry:
        report.not_checked.append(
            NotChecked(RULES["expiring"], f"{_tokens(no_expiry)} without a readable expiresAt", True)
        )
    no_last_use = sum(view.last_used is None for view in views)
    if "unused" in selected and no_last_use:
        report.not_checked.append(
            NotChecked(
                RULES["unused"],
                f"last use unknown for {_tokens(no_last_use)}: Okta's list answer gives no tokenWindow "
                "(last used = expiresAt - tokenWindow); give the org's window with --token-window "
                "(Okta's default is P30D)",
                True,
            )
        )


def _owner_findings(
    report: AuditReport,
    views: Sequence[TokenView],
    selected: set[str],
    owners: Callable[[], OwnerDirectory],
    progress: Callable[[int, int], None],
) -> None:
    owner_ids = [owner for owner in map(_owner, views) if owner is not None]
    if not owner_ids:
        _unowned(report, views, selected)
        return
    directory = owners()
    lookups = look_up_owners(
        directory,
        owner_ids,
        statuses="owner-inactive" in selected,
        roles="owner-super-admin" in selected,
        progress=progress,
    )
    _refusals(report, lookups, selected)
    for view in views:
        facts = lookups.owners.get(_owner(view) or "")
        if facts is None:
            continue
        if "owner-inactive" in selected and lookups.users_refused is None:
            report.findings += _some(owner_inactive(view.token, facts))
        if "owner-super-admin" in selected and lookups.roles_refused is None:
            report.findings += _some(owner_super_admin(view.token, facts))
    _unowned(report, views, selected)


def _owner(view: TokenView) -> str | None:
    """The token's owner id when it has the shape of a user id (no lookup is built from anything else)."""
    user_id = view.token.user_id
    return user_id if user_id is not None and USER_ID_RE.fullmatch(user_id) else None


def _unowned(report: AuditReport, views: Sequence[TokenView], selected: set[str]) -> None:
    """Tokens without a user id as ``userId``: their owner cannot be checked."""
    unowned = sum(_owner(view) is None for view in views)
    if unowned:
        for rule in OWNER_RULES:
            if rule in selected:
                reason = f"{_tokens(unowned)} without a user id (00u...) as userId"
                report.not_checked.append(NotChecked(RULES[rule], reason, True))


def _refusals(report: AuditReport, lookups: OwnerLookups, selected: set[str]) -> None:
    for rule, refused, scope, what in (
        ("owner-inactive", lookups.users_refused, USERS_SCOPE, "users"),
        ("owner-super-admin", lookups.roles_refused, ROLES_SCOPE, "users' admin roles"),
    ):
        if rule in selected and refused is not None:
            report.not_checked.append(NotChecked(RULES[rule], _refusal_reason(what, scope, refused), True))


def _refusal_reason(what: str, scope: str, refused: Forbidden) -> str:
    said = f"; Okta said: {refused.error_summary}" if refused.error_summary else ""
    return (
        f"the credential may not read {what} (HTTP 403): grant the {scope} scope to the OAuth service "
        f"app, or use an API token whose owner's admin role can read {what}{said}"
    )


def _stack_findings(
    report: AuditReport, views: Sequence[TokenView], selected: set[str], stack: Sequence[ManagedToken] | None
) -> None:
    if stack is None:
        for rule in STACK_RULES:
            if rule in selected:
                report.not_checked.append(NotChecked(RULES[rule], "needs --stack-state FILE", False))
        return
    if "unmanaged" in selected:
        managed = {resource.token_id for resource in stack}
        for view in views:
            report.findings += _some(unmanaged(view.token, managed))
    if "missing" in selected:
        live = {view.token.id for view in views}
        for resource in stack:
            report.findings += _some(missing(resource, live))


def _some(finding: Finding | None) -> list[Finding]:
    return [finding] if finding is not None else []


def _tokens(count: int) -> str:
    return f"{count} token{'s' if count != 1 else ''}"
