"""Soak: every output of the console script against list answers whose every text field is hostile at
once, for four families of hostile text. Whatever it prints, nothing from Okta becomes a Python
statement, a YAML key, a JSON key, an HTML element, a spreadsheet formula or a terminal escape, and no
run ends in a traceback. (The provider's side, no unrequested write or revoke, is the engine soak's.)"""

from __future__ import annotations

import ast
import csv
import io
import json
import re

import pytest
import yaml
from cli_support import Run
from conftest import CliOrg

TOKENS = "/api/v1/api-tokens"

PAYLOADS = {
    "code": "\nimport os; os.system('touch /tmp/pwned')  # ",
    "terminal": "\x1b[2J\x1b]52;c;cHduZWQ=\x07\r\u202e\x9b31m",
    "yaml": "x\nsecretsprovider: evil\nencryptionsalt: v1:e\n'\"",
    "sheet-and-page": "=1+1\r<script>alert(1)</script>\"'\u2028",
}
FIELDS = ("name", "userId", "clientName", "created", "lastUpdated", "expiresAt", "tokenWindow")
RAW_ON_A_TERMINAL = ("\x1b", "\x07", "\x9b", "\r", "\u2028", "\u2029", "\u202e")
OUTPUTS = [
    ("list", "table"),
    ("list", "json"),
    ("list", "csv"),
    ("generate", "python"),
    ("generate", "stack-config"),
    ("generate", "import-file"),
    ("audit", "table"),
    ("audit", "json"),
    ("audit", "csv"),
    ("audit", "ocsf"),
    ("audit", "html"),
]
ALLOWED_PYTHON = {"Import", "ImportFrom", "Assign", "ApiToken", "docstring"}


def hostile_answers(cli_org: CliOrg, payload: str) -> None:
    """Every list page and GET carries ``payload`` (with the field's name) in every text field."""
    fields = {field: f"{field}{payload}" for field in FIELDS}
    cli_org.okta.inject_fault("GET", TOKENS, times=None, token_fields=fields)
    cli_org.okta.inject_fault("GET", f"{TOKENS}/*", times=None, token_fields=fields)


def python_statements(program: str) -> set[str]:
    kinds = set()
    for node in ast.parse(program).body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            kinds.add("docstring")
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            kinds.add(getattr(node.value.func, "id", "?"))
        else:
            kinds.add(type(node).__name__)
    return kinds


def check_stdout(command: str, form: str, run: Run) -> None:
    out = run.stdout
    if form == "python":
        assert python_statements(out) <= ALLOWED_PYTHON
        assert "os.system" not in {
            ast.unparse(n) for n in ast.walk(ast.parse(out)) if isinstance(n, ast.Call)
        }
    elif form == "stack-config":
        assert set(yaml.safe_load(out) or {"config": {}}) == {"config"}
    elif form in ("json", "import-file"):
        json.loads(out)
        assert out.isascii()
    elif form == "ocsf":
        for line in out.splitlines():
            json.loads(line)
        assert out.isascii()
    elif form == "csv":
        for row in csv.reader(io.StringIO(out)):
            assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in row), row
    elif form == "html":
        assert "<script" not in out.lower()
        assert not re.search(r"<[a-z]+[^>]*\son[a-z]+=", out, re.I)
    else:  # a table: read on a terminal
        assert not any(char in out for char in RAW_ON_A_TERMINAL), repr(out)


@pytest.mark.parametrize("family", sorted(PAYLOADS))
def test_no_output_turns_hostile_fields_into_code_keys_formulas_or_escapes(
    cli_org: CliOrg, family: str
) -> None:
    cli_org.add("plain")
    hostile_answers(cli_org, PAYLOADS[family])

    for command, form in OUTPUTS:
        run = cli_org.run(command, "--format", form)
        what = f"{command} --format {form}: exit {run.code}\n{run.stderr}"
        assert run.code in (0, 1, 2), what
        assert "Traceback" not in run.stderr, what
        assert not any(char in run.stderr for char in RAW_ON_A_TERMINAL), what
        if run.code != 2:
            check_stdout(command, form, run)
        else:
            assert command == "generate", what  # data is escaped and shown; only code is refused
            assert run.stdout == "", what  # refused: nothing half-written


@pytest.mark.parametrize("family", sorted(PAYLOADS))
def test_the_hostile_text_reaches_the_outputs_intact_as_data(cli_org: CliOrg, family: str) -> None:
    # The soak above is not vacuous: the listing carries the hostile text, and JSON gives it back exactly.
    hostile_answers(cli_org, PAYLOADS[family])

    listed = json.loads(cli_org.run("list", "--format", "json").stdout)

    names = [token["name"] for token in (listed["tokens"] if isinstance(listed, dict) else listed)]
    assert f"name{PAYLOADS[family]}" in names
