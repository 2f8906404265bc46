"""The README's command-line section stays true to the command: its commands parse, its rules exist."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from pulumi_okta_token.cli import main as main_module
from pulumi_okta_token.cli._audit_rules import RULES

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def _section() -> str:
    start = README.index("\n## Command line: list, generate, audit")
    return README[start : README.index("\n## ", start + 1)]


def _commands() -> list[list[str]]:
    return [shlex.split(line) for line in re.findall(r"^\$ pulumi-okta-token (.*)$", _section(), re.M)]


def test_readme_session_shows_each_command() -> None:
    assert {command[0] for command in _commands()} == {"list", "generate", "audit"}


def test_readme_session_commands_parse_with_the_real_parser() -> None:
    for command in _commands():
        args, extras = main_module._parser().parse_known_args(command)
        assert extras == [] and args.command == command[0]


def test_readme_names_every_audit_rule_and_its_severity() -> None:
    text = " ".join(_section().split())
    for rule in RULES.values():
        assert re.search(rf"`{rule.id}` \([^)]*\b{rule.severity}\)", text), rule.id
