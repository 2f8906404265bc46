"""Running the audit's rules over the org's tokens (and a stack): a result (pass, fail, not-checked) for
every token and every selected rule, the findings among them, and what could not be checked. No I/O but
the owner look-ups, which go through the ``OwnerDirectory`` given.

Rules that need the stack (``unmanaged``, ``missing``) are not selected without ``--stack-state``: the
report lists them as not selected, and never as passed.
"""

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
    Result,
    Severity,
    Status,
    at_or_above,
    expiring,
    missing,
    network_anywhere,
    network_exclude_only,
    owner_inactive,
    owner_super_admin,
    rank,
    rule_order,
    sort_findings,
    unmanaged,
    unused,
)
from ._owners import ROLES_SCOPE, USERS_SCOPE, OwnerDirectory, OwnerFacts, OwnerLookups, look_up_owners
from ._stack_state import ManagedToken
from ._tokens import TokenView

__all__ = ["OWNER_RULES", "STACK_RULES", "AuditOptions", "AuditReport", "run_audit"]

OWNER_RULES = ("owner-inactive", "owner-super-admin")
STACK_RULES = tuple(rule.id for rule in RULES.values() if rule.needs_stack)
NEEDS_STACK_STATE = "needs --stack-state FILE (the JSON of `pulumi stack export`)"


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
    """Every result, the findings and the rules that did not (fully) run among them, and what was looked
    at. ``rules`` are the rules that ran; ``not_selected`` the rules asked for that could not be selected,
    with why."""

    org_url: str
    tokens: int
    findings: list[Finding] = field(default_factory=list)
    not_checked: list[NotChecked] = field(default_factory=list)
    rules: tuple[str, ...] = ()
    results: list[Result] = field(default_factory=list)
    not_selected: dict[str, str] = field(default_factory=dict)

    def failed(self, fail_on: str) -> bool:
        """Whether the audit fails at ``fail_on`` (``low``, ``medium``, ``high`` or ``never``): a failure
        or a check that could not run, at or above it."""
        if fail_on == "never":
            return False
        threshold: Severity = fail_on  # type: ignore[assignment]
        return any(at_or_above(f.severity, threshold) for f in self.findings) or any(
            item.incomplete and at_or_above(item.rule.severity, threshold) for item in self.not_checked
        )

    @property
    def complete(self) -> bool:
        """Every selected rule ran for every token, and no rule asked for was left out."""
        return not self.not_checked and not self.not_selected

    def verdict(self, fail_on: str) -> str:
        """``FAILED``, ``INCOMPLETE`` (nothing fails at ``fail_on``, but not everything was checked) or
        ``passed``: never ``passed`` while a rule did not run."""
        if self.failed(fail_on):
            return "FAILED"
        return "passed" if self.complete else "INCOMPLETE"

    def counts(self) -> dict[str, int]:
        """Findings by severity, highest first."""
        return {
            severity: sum(f.severity == severity for f in self.findings) for severity in reversed(SEVERITIES)
        }

    def failing_counts(self) -> dict[str, int]:
        """Results that fail (findings, and checks that could not run) by severity, highest first."""
        return {
            severity: sum(r.failing and r.severity == severity for r in self.results)
            for severity in reversed(SEVERITIES)
        }

    def status_counts(self) -> dict[str, int]:
        return {
            status: sum(r.status == status for r in self.results)
            for status in ("pass", "fail", "not-checked")
        }

    def worst_first(self) -> list[tuple[str, list[Result]]]:
        """Each token's (or stack resource's) results, the worst first: highest failing severity, then the
        most failing results, then by name."""
        by_subject: dict[str, list[Result]] = {}
        for result in self.results:
            by_subject.setdefault(result.token_id, []).append(result)

        def badness(item: tuple[str, list[Result]]) -> tuple[int, int, int, str, str]:
            token_id, results = item
            failing = [r for r in results if r.failing]
            worst = max((rank(r.severity) for r in failing), default=-1)
            fails = sum(r.status == "fail" for r in failing)
            return (-worst, -len(failing), -fails, results[0].token_name or "", token_id)

        ordered = sorted(by_subject.items(), key=badness)
        return [(token_id, sorted(results, key=_result_order)) for token_id, results in ordered]


# --------------------------------------------------------------------------------------------
# Running the rules


def _result_order(result: Result) -> tuple[int, int, int, str]:
    status_rank = {"fail": 0, "not-checked": 1, "pass": 2}[result.status]
    return (status_rank, -rank(result.severity), rule_order(result.rule.id), result.resource or "")


def run_audit(
    views: Sequence[TokenView],
    options: AuditOptions,
    *,
    org_url: str,
    owners: Callable[[], OwnerDirectory],
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> AuditReport:
    """Every selected rule over ``views`` (and ``options.stack``). ``owners`` makes the directory the
    owner rules ask, only when one of them is selected. Stack rules are left out (``not_selected``) when
    there is no stack."""
    not_selected = {
        rule: NEEDS_STACK_STATE for rule in options.rules if rule in STACK_RULES and options.stack is None
    }
    ran = tuple(rule for rule in options.rules if rule not in not_selected)
    report = AuditReport(org_url=org_url, tokens=len(views), rules=ran, not_selected=not_selected)
    selected = set(ran)
    for view in views:
        report.findings += _token_findings(view, selected, options)
    _time_gaps(report, views, selected)
    facts: dict[str, OwnerFacts] = {}
    lookups: OwnerLookups | None = None
    if selected & set(OWNER_RULES):
        lookups = _owner_findings(report, views, selected, owners, progress)
        facts = lookups.owners
    if selected & set(STACK_RULES):
        _stack_findings(report, views, selected, options.stack)
    report.findings = sort_findings(report.findings)
    report.results = _results(report, views, selected, options, facts, lookups)
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
) -> OwnerLookups:
    owner_ids = [owner for owner in map(_owner, views) if owner is not None]
    if not owner_ids:
        _unowned(report, views, selected)
        return OwnerLookups()
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
    return lookups


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
    if stack is None:  # not selected without a stack (run_audit)
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


# --------------------------------------------------------------------------------------------
# Every token x every rule


def _results(
    report: AuditReport,
    views: Sequence[TokenView],
    selected: set[str],
    options: AuditOptions,
    facts: dict[str, OwnerFacts],
    lookups: OwnerLookups | None,
) -> list[Result]:
    """A result for every token and every rule that ran (and every stack resource, for ``missing``):
    ``fail`` with the finding's detail, ``not-checked`` with what stopped it, or ``pass``."""
    found = {(f.rule.id, f.token_id, f.resource): f for f in report.findings}
    results: list[Result] = []
    for view in views:
        owner_id = _owner(view)
        owner = facts.get(owner_id or "")
        login = owner.login if owner is not None else None
        for rule_id in report.rules:
            if rule_id == "missing":
                continue
            finding = found.get((rule_id, view.token.id, None))
            if finding is not None:
                status, reason = "fail", finding.detail
            else:
                blocked = _why_not_checked(rule_id, view, owner_id, lookups)
                status, reason = (
                    ("not-checked", blocked) if blocked else ("pass", _pass_reason(rule_id, owner))
                )
            results.append(
                Result(
                    RULES[rule_id],
                    status,  # type: ignore[arg-type]
                    view.token.id,
                    view.token.name,
                    reason,
                    owner_id=view.token.user_id,
                    owner_login=login,
                )
            )
    if "missing" in selected and options.stack is not None:
        for resource in options.stack:
            finding = found.get(("missing", resource.token_id, resource.name))
            resource_status: Status = "fail" if finding else "pass"
            reason = finding.detail if finding else RULES["missing"].passes
            if resource.pending_delete and not finding:
                reason = "the resource is marked for deletion"
            results.append(
                Result(
                    RULES["missing"],
                    resource_status,
                    resource.token_id,
                    resource.token_name,
                    reason,
                    resource=resource.name,
                )
            )
    return results


def _why_not_checked(
    rule_id: str, view: TokenView, owner_id: str | None, lookups: OwnerLookups | None
) -> str | None:
    """Why ``rule_id`` could not judge this token, or None when it did."""
    if rule_id == "expiring" and view.expires_at is None:
        return "no readable expiresAt"
    if rule_id == "unused" and view.last_used is None:
        return (
            "last use unknown: Okta's list answer gives no tokenWindow (last used = expiresAt - "
            "tokenWindow); give the org's window with --token-window"
        )
    if rule_id in OWNER_RULES:
        if owner_id is None:
            return "no user id (00u...) as userId"
        refused = None
        if lookups is not None:
            if rule_id == "owner-inactive" and lookups.users_refused is not None:
                refused = (lookups.users_refused, USERS_SCOPE, "users")
            if rule_id == "owner-super-admin" and lookups.roles_refused is not None:
                refused = (lookups.roles_refused, ROLES_SCOPE, "users' admin roles")
        if refused is not None:
            error, scope, what = refused
            return _refusal_reason(what, scope, error)
    return None


def _pass_reason(rule_id: str, owner: OwnerFacts | None) -> str:
    if rule_id == "owner-super-admin" and owner is not None and not owner.exists:
        return "the owner no longer exists, so holds no role"
    if rule_id == "owner-inactive" and owner is not None and owner.status is None:
        return "the owner exists"
    return RULES[rule_id].passes
