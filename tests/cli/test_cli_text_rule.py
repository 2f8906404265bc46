"""One rule for text from Okta (``_text``): the command's modules write JSON and CSV, and make text safe
for a terminal or a comment, only through it, so the next output format cannot forget it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import pulumi_okta_token.cli
from pulumi_okta_token import errors

CLI = Path(pulumi_okta_token.cli.__file__).parent
MODULES = sorted(CLI.glob("*.py"))

WRITERS = ("main.py", "_args.py", "list_cmd.py", "generate.py", "audit.py", "_output.py")
"""The modules that write to stdout or stderr: each takes what it writes of Okta's text from ``_text``."""

OWN_ESCAPING = {"json.dumps", "json.dump", "csv.writer", "csv.DictWriter", "unicodedata.category", "repr"}
"""Calls that write JSON or CSV, or escape text, on their own (reading JSON, as ``_stack_state`` does a
stack export, is no writing)."""


def _imports(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add("." * node.level + node.module)
    return names


def _calls(tree: ast.Module) -> set[str]:
    called = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                called.add(f"{func.value.id}.{func.attr}")
            elif isinstance(func, ast.Name):
                called.add(func.id)
    return called


@pytest.mark.parametrize("module", MODULES, ids=lambda path: path.name)
def test_no_cli_module_writes_json_or_csv_or_escapes_text_on_its_own(module: Path) -> None:
    assert not OWN_ESCAPING & _calls(ast.parse(module.read_text()))


@pytest.mark.parametrize("name", WRITERS)
def test_every_cli_module_that_writes_takes_its_escaping_from_text(name: str) -> None:
    assert ".._text" in _imports(ast.parse((CLI / name).read_text()))


def test_okta_api_errors_are_one_terminal_safe_line() -> None:
    error = errors.Forbidden(status=403, error_summary="\x1b[2J\r\nforged", error_causes=["\u202eb"])

    assert str(error) == "\\x1b[2J\\r\\nforged (HTTP 403); causes: \\u202eb"
    assert error.error_summary == "\x1b[2J\r\nforged"
