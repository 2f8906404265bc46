"""``pulumi-okta-token list`` through the console script, against the fake Okta."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

from cli_support import SCRIPT, okta_env, run_cli
from conftest import CliOrg

from pulumi_okta_token._okta_time import parse_okta_time

OKTA_FIELDS = {
    "id",
    "name",
    "userId",
    "clientName",
    "created",
    "lastUpdated",
    "expiresAt",
    "tokenWindow",
    "network",
}


def test_console_script_is_installed() -> None:
    assert SCRIPT.is_file()


def test_list_json_gives_okta_field_names_plus_last_used_and_days_left(cli_org: CliOrg) -> None:
    cli_org.add("ci-deployer", network={"connection": "ANYWHERE"})

    run = cli_org.run("list", "--format", "json")

    assert run.code == 0, run.stderr
    tokens = {token["name"]: token for token in run.json()}
    assert set(tokens) == {"pulumi-automation", "ci-deployer"}
    assert set(tokens["ci-deployer"]) == OKTA_FIELDS | {"lastUsed", "daysLeft"}
    assert tokens["ci-deployer"]["network"] == {"connection": "ANYWHERE"}


def test_list_derives_last_used_as_expires_at_minus_token_window(cli_org: CliOrg) -> None:
    cli_org.okta.set_full_list_entries()  # the window comes in the list only when entries are whole
    token = cli_org.add("nightly", days_unused=10)

    (listed,) = [item for item in cli_org.run("list", "--format", "json").json() if item["id"] == token.id]

    assert listed["tokenWindow"] == "P30D"
    last_used = parse_okta_time(listed["lastUsed"])
    assert last_used == parse_okta_time(listed["expiresAt"]) - timedelta(days=30)
    assert abs(datetime.now(timezone.utc) - timedelta(days=10) - last_used) < timedelta(minutes=5)
    assert listed["daysLeft"] == 19


def test_list_defaults_to_json_when_stdout_is_not_a_terminal(cli_org: CliOrg) -> None:
    run = cli_org.run("list")

    assert [token["name"] for token in run.json()] == ["pulumi-automation"]


def test_list_table_is_aligned_within_100_columns(cli_org: CliOrg) -> None:
    cli_org.add("a-token-with-a-very-long-name-that-a-table-has-to-cut-somewhere-" * 3)
    cli_org.add("ci", network={"connection": "ZONE", "exclude": ["ALL_IP_ZONES"]})

    run = cli_org.run("list", "--format", "table")

    assert run.code == 0, run.stderr
    header, *rows, total = run.lines
    assert header.split() == ["ID", "NAME", "OWNER", "NETWORK", "LAST", "USED", "DAYS", "LEFT"]
    assert max(len(line) for line in run.lines) <= 100
    assert {line.index(cli_org.admin_user) for line in rows} == {header.index("OWNER")}
    assert "not in any zone" in run.stdout and "…" in run.stdout
    assert total == f"3 tokens in {cli_org.okta.url}"


def test_list_table_shows_control_characters_in_names_escaped(cli_org: CliOrg) -> None:
    cli_org.add("evil\x1b[2J\nname")

    run = cli_org.run("list", "--format", "table")

    assert "\x1b" not in run.stdout
    assert "evil\\x1b[2J\\nname" in run.stdout


def test_list_csv_has_okta_field_names_and_a_row_per_token(cli_org: CliOrg) -> None:
    cli_org.add("=cmd|' /C calc'!A0", network={"connection": "ANYWHERE"})

    run = cli_org.run("list", "--format", "csv")

    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert run.code == 0, run.stderr
    assert [row["name"] for row in rows] == ["'=cmd|' /C calc'!A0", "pulumi-automation"]
    assert rows[1]["network.connection"] == "ZONE" and rows[1]["network.include"].startswith("nzo")
    assert rows[1]["daysLeft"] == "30"


def test_list_name_filter_takes_a_glob(cli_org: CliOrg) -> None:
    cli_org.add("ci-deployer")
    cli_org.add("ci-tester")
    cli_org.add("backup")

    names = [token["name"] for token in cli_org.run("list", "--name", "ci-*").json()]

    assert names == ["ci-deployer", "ci-tester"]


def test_list_owner_filter_keeps_that_users_tokens(cli_org: CliOrg) -> None:
    other = cli_org.okta.org.add_user()
    cli_org.add("theirs", user_id=other)

    names = [token["name"] for token in cli_org.run("list", "--owner", other).json()]

    assert names == ["theirs"]


def test_list_network_filter_keeps_that_connection(cli_org: CliOrg) -> None:
    cli_org.add("open", network={"connection": "ANYWHERE"})

    anywhere = [token["name"] for token in cli_org.run("list", "--network", "anywhere").json()]
    zone = [token["name"] for token in cli_org.run("list", "--network", "zone").json()]

    assert (anywhere, zone) == (["open"], ["pulumi-automation"])


def test_list_follows_pages_through_hundreds_of_tokens(cli_org: CliOrg) -> None:
    for number in range(350):
        cli_org.add(f"svc-{number:03d}")
    cli_org.okta.set_page_cap(50)

    run = cli_org.run("list", "--format", "json")

    assert len(run.json()) == 351
    assert len(cli_org.okta.calls("GET", "/api/v1/api-tokens*")) == 8


def test_list_shows_last_use_unknown_when_the_list_has_no_token_window(cli_org: CliOrg) -> None:
    cli_org.okta.set_null_token_window_in_lists()

    listed = cli_org.run("list", "--format", "json").json()
    table = cli_org.run("list", "--format", "table").stdout

    assert [(token["tokenWindow"], token["lastUsed"]) for token in listed] == [(None, None)]
    assert "unknown" in table


def test_list_token_window_option_stands_in_for_a_missing_window(cli_org: CliOrg) -> None:
    cli_org.okta.set_null_token_window_in_lists()
    token = cli_org.add("nightly", days_unused=3)

    listed = cli_org.run("list", "--token-window", "P30D").json()

    (entry,) = [item for item in listed if item["id"] == token.id]
    assert parse_okta_time(entry["lastUsed"]) == parse_okta_time(entry["expiresAt"]) - timedelta(days=30)


def test_list_of_an_org_without_tokens_is_empty_and_succeeds(cli_org: CliOrg) -> None:
    access = cli_org.okta.org.issue_access_token()
    cli_org.okta.org.revoke_token(cli_org.admin.id)
    env = {**okta_env(cli_org.okta.url, ""), "OKTA_ACCESS_TOKEN": access}
    del env["OKTA_API_TOKEN"]

    as_json = run_cli("list", "--format", "json", env=env)
    as_table = run_cli("list", "--format", "table", env=env)

    assert (as_json.code, as_json.stdout) == (0, "[]\n")
    assert (as_table.code, as_table.stdout) == (0, f"No API tokens to list in {cli_org.okta.url}.\n")


def test_python_dash_m_runs_the_same_command(cli_org: CliOrg) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "pulumi_okta_token", "list", "--format", "json"],
        env=cli_org.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert "pulumi-automation" in done.stdout
