"""Hostile answers through the console script (issue 17): what Okta, or whatever answers in its place,
sends never becomes code, a stack setting, a formula or a terminal escape.

The fake serves the hostile text on demand (``token_fields=`` and ``error_summary=`` faults). What each
output may hold is checked the way its reader reads it: Python by ``ast``, YAML by a YAML loader, CSV by
a CSV reader, stderr character by character.
"""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path
from typing import Any

import pytest
import yaml
from cli_support import Run, assert_one_clean_error_line, clean_environ, run_cli
from conftest import CliOrg
from test_cli_generate import PROJECT, program_from, record_options, stack_config_tokens

TOKENS = "/api/v1/api-tokens"

CLEAR_AND_CLIPBOARD = "\x1b[2J\x1b]52;c;cHduZWQ=\x07"
"""Clear the screen, then write the terminal's clipboard (OSC 52)."""
RAW_ON_A_TERMINAL = ("\x1b", "\x07", "\x9b", "\r", "\u2028", "\u2029", "\u202e")
INJECTED = "\nimport os; os.system('touch /tmp/pwned')  # "
"""What ends a ``#`` comment and runs at the user's next ``pulumi preview``."""


def hostile_list(cli_org: CliOrg, fields: dict[str, Any], of: str | None = None) -> None:
    """Every list answer carries ``fields`` in each token (or in token ``of`` only)."""
    cli_org.okta.inject_fault("GET", TOKENS, times=None, token_fields=fields, fields_of=of)


def assert_terminal_safe(text: str) -> None:
    assert not any(char in text for char in RAW_ON_A_TERMINAL), repr(text)


def top_level_statements(program: str) -> list[str]:
    """The kinds of what a generated program does at the top: imports, one assignment, ApiToken calls."""
    kinds = []
    for node in ast.parse(program).body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            kinds.append(getattr(node.value.func, "id", "?"))
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            kinds.append("docstring")
        else:
            kinds.append(type(node).__name__)
    return kinds


# --------------------------------------------------------------------------------------------
# 1. generate --format python: nothing from Okta reaches a comment raw


def test_generate_python_refuses_a_user_id_that_is_no_user_id_and_writes_nothing(cli_org: CliOrg) -> None:
    hostile_list(cli_org, {"userId": "00unkw1sfbTw08c0g1d7" + INJECTED}, of=cli_org.admin.id)

    run = cli_org.run("generate")

    line = assert_one_clean_error_line(run)
    assert f"API token '{cli_org.admin.id}'" in line and "userId '00unkw1sfbTw08c0g1d7\\nimport os" in line
    assert "nothing was written" in line


def test_generate_python_refuses_a_created_that_is_no_timestamp_and_writes_nothing(cli_org: CliOrg) -> None:
    hostile_list(cli_org, {"created": "2025-11-0\r" + INJECTED})

    run = cli_org.run("generate")

    line = assert_one_clean_error_line(run)
    assert "created '2025-11-0\\r\\nimport os" in line and cli_org.admin.id in line


def test_generated_program_holds_only_declarations_whatever_text_okta_sends(
    cli_org: CliOrg, tmp_path: Path
) -> None:
    for text in (
        '"""' + INJECTED,
        "\r" + INJECTED,
        "\u2028" + INJECTED,
        "\\" + INJECTED,
        CLEAR_AND_CLIPBOARD,
    ):
        cli_org.add(text)
    hostile_list(cli_org, {"clientName": "\r\n\u2028" + INJECTED + '"""'})

    run = cli_org.run("generate")
    declared = program_from(run.stdout, tmp_path)

    assert run.code == 0, run.stderr
    assert (
        top_level_statements(run.stdout) == ["docstring", "Import", "ImportFrom", "Assign"] + ["ApiToken"] * 6
    )
    assert sorted(inputs["name"] for inputs in declared.inputs.values()) == sorted(
        token.name or "" for token in cli_org.okta.org.tokens()
    )


# --------------------------------------------------------------------------------------------
# 2. generate --format stack-config: no key and no escape sequence from an id


def test_stack_config_never_adds_a_top_level_key_from_an_id(cli_org: CliOrg) -> None:
    left_out = cli_org.add("")  # a blank name: left out, named by its id in a comment
    forged = "00Tforged\nsecretsprovider: hashivault://attacker\nencryptionsalt: v1:forged\n#"
    hostile_list(cli_org, {"id": forged}, of=left_out.id)

    run = cli_org.run("generate", "--format", "stack-config")

    assert run.stdout == "" or set(yaml.safe_load(run.stdout)) == {"config"}
    line = assert_one_clean_error_line(run)  # the listing refuses an entry whose id is no token id
    assert "'00Tforged\\nsecretsprovider: hashivault://" in line


def test_stack_config_shows_an_escape_sequence_in_an_id_escaped_on_stderr(cli_org: CliOrg) -> None:
    left_out = cli_org.add("")
    hostile_list(cli_org, {"id": "00T" + CLEAR_AND_CLIPBOARD}, of=left_out.id)

    run = cli_org.run("generate", "--format", "stack-config")

    assert_terminal_safe(run.stderr)
    assert "00T\\x1b[2J\\x1b]52;c;cHduZWQ=\\x07" in run.stderr


def test_stack_config_quotes_names_so_no_key_or_comment_comes_from_them(cli_org: CliOrg) -> None:
    names = ["a: b\nsecretsprovider: x", "# c\r\nencryptionsalt: y", 'd "\u2028 e', CLEAR_AND_CLIPBOARD]
    for name in names:
        cli_org.add(name)

    run = cli_org.run("generate", "--format", "stack-config")

    assert run.code == 0, run.stderr
    assert set(yaml.safe_load(run.stdout)) == {"config"}
    assert {entry["name"] for entry in stack_config_tokens(run.stdout)} == {*names, "pulumi-automation"}
    assert_terminal_safe(run.stdout)


# --------------------------------------------------------------------------------------------
# 3. list --format csv: one record per token, no cell a spreadsheet would run


def csv_rows(run: Run) -> list[list[str]]:
    assert run.code == 0, run.stderr
    return list(csv.reader(io.StringIO(run.stdout, newline="")))


def assert_no_formula(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\n")), (cell, row)


def test_list_csv_keeps_a_name_with_a_bare_carriage_return_in_one_record(cli_org: CliOrg) -> None:
    cli_org.add("ci\r=1+1")

    rows = csv_rows(cli_org.run("list", "--format", "csv"))

    assert len(rows) == 1 + len(cli_org.okta.org.tokens())
    assert all(len(row) == len(rows[0]) for row in rows)
    assert_no_formula(rows)


def test_list_csv_guards_every_cell_a_spreadsheet_would_run(cli_org: CliOrg) -> None:
    hostile_list(
        cli_org,
        {  # every cell but the id: an entry whose id is no token id makes the listing refuse the list
            "userId": "@SUM(1)",
            "clientName": "+cmd|' /C calc'!A0",
            "created": "-2+3",
            "lastUpdated": "\t=1",
            "expiresAt": "\r=1",
            "tokenWindow": "=P30D",
            "network": {"connection": "=ZONE", "include": ["=nzo"], "exclude": ["-nzo"]},
        },
    )

    rows = csv_rows(cli_org.run("list", "--format", "csv"))

    assert len(rows) == 2
    assert_no_formula(rows)
    assert rows[1][rows[0].index("userId")] == "'@SUM(1)"


def test_list_table_and_json_show_hostile_fields_escaped(cli_org: CliOrg) -> None:
    hostile_list(cli_org, {"userId": CLEAR_AND_CLIPBOARD, "clientName": "Okta\u202e\r\nAPI"})

    table = cli_org.run("list", "--format", "table")
    data = cli_org.run("list", "--format", "json")

    assert table.code == 0 and data.code == 0
    assert_terminal_safe(table.stdout)
    assert data.stdout.isascii() and data.json()[0]["userId"] == CLEAR_AND_CLIPBOARD


# --------------------------------------------------------------------------------------------
# 4. Okta's errorSummary: escaped on stderr, whatever the status


@pytest.mark.parametrize("status", [400, 401, 403, 404, 429, 500, 503])
def test_okta_error_summary_reaches_stderr_escaped_for_every_status(cli_org: CliOrg, status: int) -> None:
    summary = CLEAR_AND_CLIPBOARD + "\r\n\u202e\x1b[32mall tokens revoked\x1b[0m"
    cli_org.okta.inject_fault("GET", TOKENS, status=status, times=None, error_summary=summary)

    for command in ("list", "generate", "audit"):
        run = cli_org.run(command, OKTA_MAX_RETRIES="0")
        line = assert_one_clean_error_line(run)
        assert_terminal_safe(run.stderr)
        assert f"HTTP {status}" in line and "\\x1b[2J\\x1b]52;c;cHduZWQ=\\x07\\r\\n\\u202e" in line


def test_audit_shows_okta_error_summary_escaped_where_it_says_what_it_could_not_check(
    cli_org: CliOrg,
) -> None:
    cli_org.okta.inject_fault(
        "GET", "/api/v1/users/*", status=403, times=None, error_summary=CLEAR_AND_CLIPBOARD
    )

    run = cli_org.run("audit", "--format", "table", "--fail-on", "never")

    assert run.code == 0, run.stderr
    assert_terminal_safe(run.stdout)
    assert "Okta said: \\x1b[2J\\x1b]52;c;cHduZWQ=\\x07" in " ".join(run.stdout.split())


# --------------------------------------------------------------------------------------------
# 15. stack-config that merges into a stack file


STACK_FILE = """\
# the dev stack
encryptionsalt: v1:abcdefgh
config:
    okta:orgName: acme  # the org
    okta:apiToken:
        secure: v1:encrypted
"""


def test_generate_help_suggests_merging_into_the_stack_file_not_appending(cli_org: CliOrg) -> None:
    run = cli_org.run("generate", "--help")

    assert run.code == 0 and ">>" not in run.stdout
    assert "--merge-into Pulumi.dev.yaml" in run.stdout


def test_merge_into_adds_the_tokens_under_the_files_config_keeping_everything_else(
    cli_org: CliOrg, tmp_path: Path
) -> None:
    stack = tmp_path / "Pulumi.dev.yaml"
    stack.write_text(STACK_FILE)

    run = cli_org.run("generate", "--format", "stack-config", "--merge-into", str(stack))

    text = stack.read_text()
    assert (run.code, run.stdout) == (0, ""), run.stderr
    document = yaml.safe_load(text)
    assert document["encryptionsalt"] == "v1:abcdefgh"
    assert document["config"]["okta:orgName"] == "acme"
    assert document["config"]["okta:apiToken"] == {"secure": "v1:encrypted"}
    assert [entry["name"] for entry in document["config"][f"{PROJECT}:tokens"]] == ["pulumi-automation"]
    assert text.count("\nconfig:") == 1 and "# the dev stack" in text and "# the org" in text
    assert f"added {PROJECT}:tokens (1 token) to {stack}" in run.stderr


def test_merge_into_refuses_a_file_that_has_the_tokens_already_and_leaves_it_as_it_was(
    cli_org: CliOrg, tmp_path: Path
) -> None:
    stack = tmp_path / "Pulumi.dev.yaml"
    stack.write_text(STACK_FILE + f"    {PROJECT}:tokens: []\n")
    before = stack.read_bytes()

    run = cli_org.run("generate", "--format", "stack-config", "--merge-into", str(stack))

    line = assert_one_clean_error_line(run)
    assert f"has {PROJECT}:tokens already" in line and "nothing was written" in line
    assert stack.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == [stack.name]


def test_merge_into_refuses_a_stack_file_with_a_key_twice(cli_org: CliOrg, tmp_path: Path) -> None:
    stack = tmp_path / "Pulumi.dev.yaml"
    stack.write_text(STACK_FILE + "config:\n  okta:orgName: other\n")
    before = stack.read_bytes()

    run = cli_org.run("generate", "--format", "stack-config", "--merge-into", str(stack))

    assert "appears twice" in assert_one_clean_error_line(run)
    assert stack.read_bytes() == before


def test_merge_into_makes_a_missing_stack_file(cli_org: CliOrg, tmp_path: Path) -> None:
    stack = tmp_path / "Pulumi.dev.yaml"

    run = cli_org.run("generate", "--format", "stack-config", "--merge-into", str(stack))

    assert run.code == 0, run.stderr
    assert [entry["name"] for entry in stack_config_tokens(stack.read_text())] == ["pulumi-automation"]


def test_merge_into_goes_only_with_the_stack_config_format(cli_org: CliOrg, tmp_path: Path) -> None:
    run = cli_org.run("generate", "--merge-into", str(tmp_path / "Pulumi.dev.yaml"))

    assert "--merge-into writes a stack file: it goes with --format stack-config" in (
        assert_one_clean_error_line(run)
    )
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------------------------
# 17. --revoke-on-destroy keeps the token the command signs in with


def test_revoke_on_destroy_keeps_the_token_the_command_signs_in_with_and_says_why(
    cli_org: CliOrg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_org.add("ci-deployer", days_unused=3)
    options = record_options(monkeypatch)

    run = cli_org.run("generate", "--revoke-on-destroy")
    program_from(run.stdout, tmp_path)

    assert options["ci-deployer"] is None
    assert options["pulumi-automation"] is not None and options["pulumi-automation"].retain_on_delete
    declaration = run.stdout[run.stdout.index('ApiToken(\n    "pulumi-automation"') - 200 :]
    assert "# may be the API token this command signs in with" in declaration
    assert f"kept token {cli_org.admin.id} on destroy" in run.stderr


def test_revoke_on_destroy_in_stack_config_keeps_the_sign_in_token_retained(cli_org: CliOrg) -> None:
    cli_org.add("ci-deployer", days_unused=3)

    run = cli_org.run("generate", "--format", "stack-config", "--revoke-on-destroy")

    retain = {entry["name"]: entry["retain"] for entry in stack_config_tokens(run.stdout)}
    assert retain == {"ci-deployer": False, "pulumi-automation": True}
    assert "Okta's API does not say which token a secret" in run.stdout


def test_revoke_on_destroy_finds_the_sign_in_token_when_lists_carry_no_token_window(cli_org: CliOrg) -> None:
    cli_org.add("ci-deployer", days_unused=3)
    cli_org.okta.set_null_token_window_in_lists()

    run = cli_org.run("generate", "--format", "stack-config", "--revoke-on-destroy")

    retain = {entry["name"]: entry["retain"] for entry in stack_config_tokens(run.stdout)}
    assert retain == {"ci-deployer": False, "pulumi-automation": True}


def test_revoke_on_destroy_with_oauth_keeps_no_token_and_says_why(cli_org: CliOrg) -> None:
    access = cli_org.okta.org.issue_access_token()
    env = {**clean_environ(), "OKTA_ORG_URL": cli_org.okta.url, "OKTA_ACCESS_TOKEN": access}

    run = run_cli("generate", "--format", "stack-config", "--revoke-on-destroy", env=env)

    assert [entry["retain"] for entry in stack_config_tokens(run.stdout)] == [False]
    assert "This command signed in with OAuth, so no token below is its credential" in run.stdout
