"""Bad input through the console script: one clear line on stderr, exit 2, no traceback, no secret."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from cli_support import Run, assert_one_clean_error_line, clean_environ, okta_env, run_cli
from conftest import CliOrg


def error_of(run: Run, secret: str = "") -> str:
    line = assert_one_clean_error_line(run)
    if secret:
        assert secret not in run.stderr
    return line


# --------------------------------------------------------------------------------------------
# The command line


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (("list", "--format", "xml"), "argument --format: invalid choice: 'xml'"),
        (("generate", "--format", "hcl"), "argument --format: invalid choice: 'hcl'"),
        (("audit", "--format", "xml"), "argument --format: invalid choice: 'xml'"),
        (("audit", "--rule", "no-such-rule"), "argument --rule: invalid choice: 'no-such-rule'"),
        (("audit", "--ignore", "nope"), "argument --ignore: invalid choice: 'nope'"),
        (("audit", "--fail-on", "critical"), "argument --fail-on: invalid choice: 'critical'"),
        (("list", "--network", "vpn"), "argument --network: invalid choice: 'vpn'"),
        (("audit", "--expiring-days", "-1"), "argument --expiring-days: takes a whole number of days"),
        (("list", "--token-window", "30 days"), "argument --token-window: takes an ISO-8601 duration"),
        (("deploy",), "invalid choice: 'deploy'"),
    ],
)
def test_unknown_names_are_refused_with_one_line(cli_org: CliOrg, args: tuple[str, ...], names: str) -> None:
    line = error_of(cli_org.run(*args))

    assert names in line and line.endswith("(see --help)")


def test_owner_filter_takes_only_a_user_id(cli_org: CliOrg) -> None:
    line = error_of(cli_org.run("list", "--owner", "alice@example.com"))

    assert "--owner takes an Okta user id" in line


def test_rule_needing_a_stack_state_without_one_is_a_usage_error(cli_org: CliOrg) -> None:
    line = error_of(cli_org.run("audit", "--rule", "missing"))

    assert "--rule missing needs --stack-state FILE" in line


def test_a_credential_given_as_an_argument_is_refused_and_never_echoed(cli_org: CliOrg) -> None:
    secret = "00notAnArgumentSecretValue1234567890abcdefgh"

    line = error_of(cli_org.run("list", "--api-token", secret), secret)
    also = error_of(cli_org.run("list", f"--token={secret}"), secret)

    assert "--api-token (values not shown)" in line and "environment only" in line
    assert "--token (values not shown)" in also


def test_help_of_each_command_shows_an_example_and_exits_0(cli_org: CliOrg) -> None:
    for command in ("list", "generate", "audit"):
        run = cli_org.run(command, "--help")
        assert run.code == 0 and "example" in run.stdout and f"pulumi-okta-token {command}" in run.stdout
    assert "expiresAt - tokenWindow" in cli_org.run("list", "--help").stdout


def test_no_command_prints_help_and_exits_2() -> None:
    run = run_cli(env=clean_environ())

    assert run.code == 2 and "list" in run.stdout and "audit" in run.stdout


# --------------------------------------------------------------------------------------------
# Configuration


def test_no_org_names_the_variable_and_the_option() -> None:
    line = error_of(run_cli("list", env={**clean_environ(), "OKTA_API_TOKEN": "00abc"}), "00abc")

    assert "No Okta org is configured" in line and "--org-url" in line and "OKTA_ORG_URL" in line


def test_no_credential_names_the_variables(cli_org: CliOrg) -> None:
    line = error_of(run_cli("list", env={**clean_environ(), "OKTA_ORG_URL": cli_org.okta.url}))

    assert "No Okta credential is configured" in line and "OKTA_API_TOKEN" in line


def test_org_url_option_replaces_the_environments_org(cli_org: CliOrg) -> None:
    env = {**cli_org.env, "OKTA_ORG_URL": "https://elsewhere.okta.com", "OKTA_ORG_NAME": "elsewhere"}

    run = run_cli("list", "--org-url", cli_org.okta.url, env=env)

    assert run.code == 0 and run.json()[0]["name"] == "pulumi-automation"


def test_org_url_with_user_info_is_refused_without_showing_it(cli_org: CliOrg) -> None:
    line = error_of(
        cli_org.run("list", "--org-url", "https://admin:hunter2pass@acme.okta.com"), "hunter2pass"
    )

    assert line.startswith("pulumi-okta-token list: error: --org-url holds user info")


def test_plain_http_to_another_host_is_refused(cli_org: CliOrg) -> None:
    line = error_of(cli_org.run("list", "--org-url", "http://acme.okta.com"))

    assert "--org-url uses plain http" in line


# --------------------------------------------------------------------------------------------
# Okta's answers


def test_a_refused_credential_exits_2_and_says_to_check_it(cli_org: CliOrg) -> None:
    secret = "00wrongWrongWrongWrongWrongWrongWrong12"

    for command in ("list", "generate", "audit"):
        line = error_of(run_cli(command, env=okta_env(cli_org.okta.url, secret)), secret)
        assert "Okta did not accept the credential" in line and "HTTP 401" in line


def test_a_credential_without_the_tokens_scope_exits_2_naming_it(cli_org: CliOrg) -> None:
    access = cli_org.okta.org.issue_access_token(scopes=["okta.users.read"])
    env = {**clean_environ(), "OKTA_ORG_URL": cli_org.okta.url, "OKTA_ACCESS_TOKEN": access}

    line = error_of(run_cli("audit", env=env), access)

    assert "okta.apiTokens.read" in line and "HTTP 403" in line


def test_a_rate_limited_org_exits_2_after_the_retries(cli_org: CliOrg) -> None:
    cli_org.okta.inject_fault("GET", "/api/v1/api-tokens", status=429, times=None)

    line = error_of(cli_org.run("list", OKTA_MAX_RETRIES="0"), cli_org.admin.secret)

    assert "rate limit" in line and "HTTP 429" in line


def test_an_org_that_does_not_answer_exits_2(cli_org: CliOrg) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]

    line = error_of(run_cli("list", env=okta_env(f"http://127.0.0.1:{port}", cli_org.admin.secret)))

    assert "no answer from the org" in line


def test_an_org_without_tokens_has_nothing_to_generate(cli_org: CliOrg) -> None:
    access = cli_org.okta.org.issue_access_token()
    cli_org.okta.org.revoke_token(cli_org.admin.id)
    env = {**clean_environ(), "OKTA_ORG_URL": cli_org.okta.url, "OKTA_ACCESS_TOKEN": access}

    generated = run_cli("generate", env=env)
    audited = run_cli("audit", "--format", "json", env=env)

    assert "nothing to generate" in error_of(generated) and "has no API tokens" in generated.stderr
    assert (audited.code, audited.json()["tokens"], audited.json()["findings"]) == (0, 0, [])


# --------------------------------------------------------------------------------------------
# --stack-state


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("{not json", "is not JSON (line 1, column 2)"),
        ("", "is not JSON"),
        ('["a", "list"]', "is JSON but not a stack export"),
        ('{"version": 3, "checkpoint": {}}', "is JSON but not a stack export"),
        (
            json.dumps(
                {"version": 3, "deployment": {"resources": [{"type": "pulumi:pulumi:Stack", "urn": "u"}]}}
            ),
            "holds no ApiToken resource (type pulumi-python:dynamic/okta:ApiToken)",
        ),
        (
            json.dumps(
                {
                    "deployment": {
                        "resources": [
                            {
                                "type": "pulumi-python:dynamic/okta:ApiToken",
                                "urn": "a::b::c::x",
                                "id": "../../x",
                            }
                        ]
                    }
                }
            ),
            "the ApiToken 'x' has an id that is not an API token id",
        ),
    ],
)
def test_malformed_stack_state_is_refused_before_asking_okta(
    cli_org: CliOrg, tmp_path: Path, content: str, says: str
) -> None:
    state = tmp_path / "state.json"
    state.write_text(content)
    cli_org.okta.clear_journal()

    line = error_of(cli_org.run("audit", "--stack-state", str(state)))

    assert says in line and "pulumi stack export" in line
    assert cli_org.okta.journal == []


def test_stack_state_that_cannot_be_read_names_the_file(cli_org: CliOrg, tmp_path: Path) -> None:
    line = error_of(cli_org.run("audit", "--stack-state", str(tmp_path / "absent.json")))

    assert "absent.json: cannot read the file (No such file or directory)" in line
