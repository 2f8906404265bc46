"""The CLI's page (docs/cli.md) stays true to the command: its commands parse, its rules exist with their
severities and the published checks they answer."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from pulumi_okta_token.cli import audit
from pulumi_okta_token.cli import main as main_module
from pulumi_okta_token.cli._audit_rules import RULES

PAGE = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text()


def _section(title: str) -> str:
    start = PAGE.index(f"\n## {title}")
    end = PAGE.find("\n## ", start + 1)
    return PAGE[start : end if end != -1 else None]


def _commands() -> list[list[str]]:
    session = _section("A session against the fake Okta")
    return [shlex.split(line) for line in re.findall(r"^\$ pulumi-okta-token (.*)$", session, re.M)]


def test_readme_session_shows_each_command() -> None:
    assert {command[0] for command in _commands()} == {"list", "generate", "audit"}


def test_readme_session_commands_parse_with_the_real_parser() -> None:
    for command in _commands():
        args, extras = main_module._parser().parse_known_args(command)
        assert extras == [] and args.command == command[0]


def test_readme_names_every_audit_rule_and_its_severity() -> None:
    text = " ".join(_section("Commands").split())
    for rule in RULES.values():
        assert re.search(rf"`{rule.id}` \([^)]*\b{rule.severity}\)", text), rule.id


def test_the_rules_table_gives_each_rule_its_severity_and_the_checks_it_answers() -> None:
    rows = {
        row[0].strip("|` "): row
        for row in (line.split(" | ") for line in _section("What the audit checks").splitlines())
        if row[0].startswith("| `")
    }
    for rule in RULES.values():
        row = rows[rule.id]
        assert row[1] == rule.severity, rule.id
        answers = {control.id for control in rule.controls}
        assert {answer for answer in answers if answer not in row[3]} == set(), rule.id
        assert (row[3].strip(" |") == "—") == (not answers), rule.id


def test_every_audit_format_is_documented() -> None:
    table = _section("Audit formats")
    for fmt in audit.FORMATS:
        assert f"| `{fmt}` |" in table
