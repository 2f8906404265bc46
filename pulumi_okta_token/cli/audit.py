"""``pulumi-okta-token audit``: the command line, and the report as a table or JSON.

The rules are ``_audit_rules``; ``_audit_run`` runs them over the org's tokens (and a stack).

The exit code says whether the audit passed: 1 when a finding is at or above ``--fail-on``, and also when
a rule of that severity could not check everything it was asked to (a permission missing, a last use
unknown), since a check that did not run is not a pass; 0 otherwise (always with ``--fail-on never``).
"""

from __future__ import annotations

import argparse
import textwrap
from datetime import timedelta
from pathlib import Path
from typing import Any

from .._settings import OktaSettings
from .._text import json_text, terminal_text
from ._args import DERIVED_HELP, PROG, SETTINGS_HELP, Context, add_org_url, add_token_window, days
from ._audit_rules import RULES, SEVERITIES
from ._audit_run import STACK_RULES, AuditOptions, AuditReport, run_audit
from ._output import TABLE_WIDTH, Cell, Colour, Column, Progress, paint, render_table
from ._owners import OktaOwnerDirectory, OwnerDirectory
from ._stack_state import read_stack_state
from ._tokens import UsageError, cli_settings, fetch_tokens, views

__all__ = ["FAIL_ON", "FORMATS", "register", "render_audit", "run"]

FORMATS: tuple[str, ...] = ("table", "json")
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
        description="Check every token of the org against the rules below; each finding names the rule, "
        "its severity, the token and what to do. Exit 1 when a finding is at or above --fail-on, or when "
        "a rule of that severity could not check everything (say, the credential may not read users).",
        epilog=f"rules:\n{rules}\n\n{DERIVED_HELP}\n\nexamples:\n  {PROG} audit\n"
        f"  pulumi stack export --file state.json && {PROG} audit --stack-state state.json --fail-on medium"
        f"\n\n{SETTINGS_HELP}",
    )
    add_org_url(parser)
    parser.add_argument("--format", choices=FORMATS, help="table (on a terminal) or json")
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
    shown = views(fetch_tokens(settings), context.now, args.token_window)
    progress = Progress(context.stderr, "looking up token owners")
    try:
        report = run_audit(
            shown,
            options,
            org_url=settings.org_url,
            owners=lambda: _owner_directory(settings),
            progress=progress.update,
        )
    finally:
        progress.done()
    fmt = args.format or context.default_format()
    context.stdout.write(render_audit(report, fmt, fail_on=args.fail_on, colour=context.colour))
    return 1 if report.failed(args.fail_on) else 0


def _owner_directory(settings: OktaSettings) -> OwnerDirectory:
    return OktaOwnerDirectory(settings)


# --------------------------------------------------------------------------------------------
# Output


def render_audit(report: AuditReport, fmt: str, *, fail_on: str, colour: bool) -> str:
    """The report as ``table`` or ``json``."""
    if fmt == "json":
        return json_text(_json(report, fail_on))
    return _table(report, fail_on=fail_on, colour=colour)


def _json(report: AuditReport, fail_on: str) -> dict[str, Any]:
    return {
        "org": report.org_url,
        "tokens": report.tokens,
        "rules": list(report.rules),
        "failOn": fail_on,
        "failed": report.failed(fail_on),
        "counts": report.counts(),
        "findings": [finding.to_json() for finding in report.findings],
        "notChecked": [item.to_json() for item in report.not_checked],
    }


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
    verdict = paint("FAILED", "bold-red", colour) if report.failed(fail_on) else "passed"
    return (
        f"{_tokens(report.tokens)} audited in {report.org_url}: {counts}; {verdict} (--fail-on {fail_on}).\n"
    )
