"""``pulumi-okta-token audit``: the command line, and the report as a table (here), JSON or CSV
(``_audit_json``), an OCSF finding stream (``_audit_ocsf``) or an HTML page (``_audit_html``).

The rules are ``_audit_rules``; ``_audit_run`` runs them over the org's tokens (and a stack);
``_audit_meta`` says when, with what and as whom the audit ran.

The exit code says whether the audit passed: 1 when a finding is at or above ``--fail-on``, and also when
a rule of that severity could not check everything it was asked to (a permission missing, a last use
unknown), since a check that did not run is not a pass; 0 otherwise (always with ``--fail-on never``).
The report never says "passed" while a rule did not run: it says INCOMPLETE.
"""

from __future__ import annotations

import argparse
import textwrap
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

from .._settings import OktaSettings
from .._text import terminal_text
from ._args import DERIVED_HELP, PROG, SETTINGS_HELP, Context, add_org_url, add_token_window, days
from ._audit_html import audit_html
from ._audit_json import audit_csv, audit_json
from ._audit_meta import AuditRun, principal_of
from ._audit_ocsf import audit_ocsf
from ._audit_rules import RULES, SEVERITIES
from ._audit_run import STACK_RULES, AuditOptions, AuditReport, run_audit
from ._output import TABLE_WIDTH, Cell, Colour, Column, Progress, paint, render_table
from ._owners import OktaOwnerDirectory, OwnerDirectory
from ._owners_ahead import AskAhead
from ._stack_state import read_stack_state
from ._tokens import UsageError, cli_settings, fetch_tokens, views

__all__ = ["FAIL_ON", "FORMATS", "register", "render_audit", "run"]

FORMATS: tuple[str, ...] = ("table", "json", "csv", "ocsf", "html")
FAIL_ON: tuple[str, ...] = (*SEVERITIES, "never")

_SEVERITY_COLOURS: dict[str, Colour] = {"high": "bold-red", "medium": "yellow", "low": "cyan"}


# --------------------------------------------------------------------------------------------
# The command


def register(commands: Any) -> None:
    """Add ``audit`` to the subcommands."""
    rules = "\n".join(f"  {rule.id:<22}{rule.severity:<8}{rule.finds}" for rule in RULES.values())
    parser = commands.add_parser(
        "audit",
        help="findings about network, expiry, use, owners and the stack",
        description="Check every token of the org against the rules below: each token and rule gets a "
        "result, pass, fail or not-checked, with why; each failure names what to do. Exit 1 when a failure "
        "is at or above --fail-on, or when a rule of that severity could not check everything (say, the "
        "credential may not read users). Without --stack-state the stack rules are not selected, and the "
        "report says so.\n\nformats: table (findings; the default on a terminal), json (every result, "
        "schema version 1; the default otherwise), csv (one row per result), ocsf (one OCSF Detection "
        "Finding per line, for a SIEM), html (one self-contained page).",
        epilog=f"rules:\n{rules}\n\n{DERIVED_HELP}\n\nexamples:\n  {PROG} audit\n"
        f"  pulumi stack export --file state.json && {PROG} audit --stack-state state.json --fail-on medium"
        f"\n\n{SETTINGS_HELP}",
    )
    add_org_url(parser)
    parser.add_argument(
        "--format",
        choices=FORMATS,
        help="table (default on a terminal), json (default otherwise), csv, ocsf, html",
    )
    parser.add_argument(
        "--rule", action="append", choices=list(RULES), metavar="RULE", help="run only this rule (repeatable)"
    )
    parser.add_argument(
        "--ignore", action="append", choices=list(RULES), metavar="RULE", help="skip this rule (repeatable)"
    )
    parser.add_argument("--expiring-days", type=days, default=7, metavar="DAYS", help="default 7")
    parser.add_argument("--unused-days", type=days, default=30, metavar="DAYS", help="default 30")
    add_token_window(parser)
    parser.add_argument(
        "--stack-state",
        type=Path,
        metavar="FILE",
        help="JSON of `pulumi stack export`: adds unmanaged, missing",
    )
    parser.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default="high",
        help="lowest severity that exits 1 (default high)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, context: Context) -> int:
    """``audit``: run the selected rules, print the report, exit 1 when it fails at ``--fail-on``."""
    selected = tuple(rule for rule in (args.rule or RULES) if rule not in (args.ignore or ()))
    if not selected:
        raise UsageError("--ignore leaves no rule to run")
    stack_rules = [rule for rule in args.rule or () if rule in STACK_RULES]
    if stack_rules and args.stack_state is None:
        raise UsageError(
            f"--rule {stack_rules[0]} needs --stack-state FILE (the JSON of `pulumi stack export`)"
        )
    stack = read_stack_state(args.stack_state) if args.stack_state is not None else None
    settings = cli_settings(args.org_url, context.environ)
    options = AuditOptions(
        rules=selected,
        expiring_within=timedelta(days=args.expiring_days),
        unused_after=timedelta(days=args.unused_days),
        stack=stack,
    )
    _load_transport()
    owners = _owners_ahead(settings, selected)
    progress = Progress(context.stderr, "looking up token owners")
    whose = ThreadPoolExecutor(max_workers=1, thread_name_prefix="okta-principal")
    try:
        principal = whose.submit(principal_of, settings)  # one request, asked while the tokens are listed
        shown = views(
            fetch_tokens(settings, owners.ahead if owners is not None else None),
            context.now,
            args.token_window,
        )
        run_meta = AuditRun(
            started=context.now,
            org_url=settings.org_url,
            principal=principal.result(),
            options=_options(args, selected),
        )
        report = run_audit(
            shown,
            options,
            org_url=settings.org_url,
            owners=lambda: owners if owners is not None else _owner_directory(settings),
            progress=progress.update,
        )
    finally:
        progress.done()
        whose.shutdown(wait=False, cancel_futures=True)
        if owners is not None:
            owners.close()
    fmt = args.format or context.default_format()
    context.stdout.write(render_audit(report, fmt, fail_on=args.fail_on, colour=context.colour, run=run_meta))
    return 1 if report.failed(args.fail_on) else 0


def _options(args: argparse.Namespace, selected: tuple[str, ...]) -> dict[str, Any]:
    """The options a report records (a file's name, never its content)."""
    return {
        "rules": list(selected),
        "failOn": args.fail_on,
        "expiringDays": args.expiring_days,
        "unusedDays": args.unused_days,
        "tokenWindow": args.token_window and str(args.token_window),
        "stackState": args.stack_state and args.stack_state.name,
    }


def _load_transport() -> None:
    """Import the transport's endpoint modules (and the SDK) on this thread, once the command line is
    good and before other threads ask Okta: two threads importing one package's modules at once may
    find a module half-loaded."""
    from .._transport import api_tokens, users  # noqa: F401


def _owner_directory(settings: OktaSettings) -> OwnerDirectory:
    return OktaOwnerDirectory(settings)


def _owners_ahead(settings: OktaSettings, selected: tuple[str, ...]) -> AskAhead | None:
    """When an owner rule is selected: the directory whose questions start while the tokens are listed."""
    statuses, roles = "owner-inactive" in selected, "owner-super-admin" in selected
    if not (statuses or roles):
        return None
    return AskAhead(_owner_directory(settings), statuses=statuses, roles=roles)


# --------------------------------------------------------------------------------------------
# Output


def render_audit(report: AuditReport, fmt: str, *, fail_on: str, colour: bool, run: AuditRun) -> str:
    """The report in ``fmt``: one of ``FORMATS``."""
    if fmt == "json":
        return audit_json(report, run, fail_on)
    if fmt == "csv":
        return audit_csv(report)
    if fmt == "ocsf":
        return audit_ocsf(report, run)
    if fmt == "html":
        return audit_html(report, run, fail_on)
    return _table(report, fail_on=fail_on, colour=colour)


_COLUMNS = (
    Column("SEVERITY"),
    Column("RULE"),
    Column("TOKEN"),
    Column("NAME", flexible=True, minimum=12),
    Column("DETAIL", minimum=20, wrap=True),
)


def _table(report: AuditReport, *, fail_on: str, colour: bool) -> str:
    parts = []
    if report.findings:
        rows: list[list[Cell | str]] = [
            [
                Cell(f.severity, _SEVERITY_COLOURS[f.severity]),
                f.rule.id,
                f.token_id,
                f.token_name or "",
                f.detail,
            ]
            for f in report.findings
        ]
        parts.append(render_table(_COLUMNS, rows, colour=colour))
        parts.append(_section("What to do", [(rule.id, rule.advice) for rule in _rules_found(report)]))
    else:
        parts.append("No findings.\n")
    if report.not_checked:
        parts.append(_section("Not checked", [(item.rule.id, item.reason) for item in report.not_checked]))
    if report.not_selected:
        parts.append(_section("Not selected", list(report.not_selected.items())))
    parts.append(_summary(report, fail_on, colour))
    return "\n".join(parts)


def _rules_found(report: AuditReport) -> list[Any]:
    seen: dict[str, Any] = {}
    for finding in report.findings:
        seen.setdefault(finding.rule.id, finding.rule)
    return list(seen.values())


def _section(title: str, items: list[tuple[str, str]]) -> str:
    """``title:`` then each ``id  text`` item, text (which may quote Okta) terminal-safe and wrapped
    within the table width."""
    label = max(len(key) for key, _ in items)
    lines = [f"{title}:"]
    for key, text in items:
        lines += textwrap.wrap(
            terminal_text(text),
            width=TABLE_WIDTH,
            initial_indent=f"  {key.ljust(label)}  ",
            subsequent_indent=" " * (label + 4),
        )
    return "\n".join(lines) + "\n"


def _tokens(count: int) -> str:
    return f"{count} token{'s' if count != 1 else ''}"


def _summary(report: AuditReport, fail_on: str, colour: bool) -> str:
    counts = ", ".join(f"{count} {severity}" for severity, count in report.counts().items())
    verdict = report.verdict(fail_on)
    shown = {
        "FAILED": paint("FAILED", "bold-red", colour),
        "INCOMPLETE": paint("INCOMPLETE", "yellow", colour),
    }
    passed = report.status_counts()["pass"]
    tail = f"{verdict} (--fail-on {fail_on}).".replace(" ", "\0")  # kept on one line
    line = f"{_tokens(report.tokens)} audited in {report.org_url}: {counts}; {passed} passed; {tail}"
    wrapped = textwrap.fill(line, width=TABLE_WIDTH, break_on_hyphens=False, break_long_words=False)
    return wrapped.replace("\0", " ").replace(verdict, shown.get(verdict, verdict), 1) + "\n"
