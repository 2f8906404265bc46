"""``pulumi-okta-token audit`` through the console script: each rule, the exit code, the formats.

One org holds a token for each rule (and clean ones); the audit runs once per format over it and each
test reads one rule's findings.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from cli_support import Run, okta_env, run_cli
from conftest import CliOrg

from pulumi_okta_token.testing import FakeOkta, PluginEngine

API_TOKEN_TYPE = "pulumi-python:dynamic/okta:ApiToken"
MISSING_ID = "00TgoneGoneGone00001"


@dataclass
class AuditedOrg:
    okta: FakeOkta
    env: dict[str, str]
    ids: dict[str, str]
    state: Path

    def run(self, *args: str) -> Run:
        return run_cli("audit", *args, env=self.env)


def export(resources: list[tuple[str, str, str | None]]) -> dict[str, Any]:
    """A ``pulumi stack export`` holding ``ApiToken`` resources ``(resource name, token id, token name)``."""
    return {
        "version": 3,
        "deployment": {
            "manifest": {"time": "2026-01-01T00:00:00Z", "version": "v3.200.0"},
            "resources": [
                {
                    "urn": "urn:pulumi:dev::okta-api-tokens::pulumi:pulumi:Stack::okta-api-tokens-dev",
                    "custom": False,
                    "type": "pulumi:pulumi:Stack",
                },
                *(
                    {
                        "urn": f"urn:pulumi:dev::okta-api-tokens::{API_TOKEN_TYPE}::{name}",
                        "custom": True,
                        "id": token_id,
                        "type": API_TOKEN_TYPE,
                        "outputs": {"token_id": token_id, "name": token_name},
                    }
                    for name, token_id, token_name in resources
                ),
            ],
        },
    }


REAL_ORG_WINDOW = ("--token-window", "P30D")
"""A real org's list (as the fake's) gives no tokenWindow: ``unused`` needs the org's window given."""


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AuditedOrg]:
    """An org with one token per rule and a stack state managing two of its tokens and a gone one."""
    now = datetime.now(timezone.utc)
    with FakeOkta() as okta:
        org = okta.org
        admin_user = org.add_user(login="ops@example.com")
        office = org.add_zone(name="office")
        zone = {"connection": "ZONE", "include": [office]}

        def add(name: str, days_unused: float = 0, **fields: Any) -> str:
            fields.setdefault("user_id", admin_user)
            fields.setdefault("network", zone)
            return org.add_token(name, last_used=now - timedelta(days=days_unused), **fields).id

        admin = org.add_token("pulumi-automation", user_id=admin_user, network=zone)
        ids = {
            "admin": admin.id,
            "clean": add("clean"),
            "anywhere": add("open-to-all", network={"connection": "ANYWHERE"}),
            "exclude": add("deny-list", network={"connection": "ZONE", "exclude": [office]}),
            "expiring": add("about-to-expire", days_unused=26),
            "unused": add("idle", days_unused=21),
        }
        state = tmp_path_factory.mktemp("state") / "state.json"
        managed = [("automation", admin.id, "pulumi-automation"), ("clean", ids["clean"], "clean")]
        state.write_text(json.dumps(export([*managed, ("gone", MISSING_ID, "old-ci")])))
        yield AuditedOrg(okta, okta_env(okta.url, admin.secret), ids, state)


@pytest.fixture(scope="module")
def findings(audited: AuditedOrg) -> dict[str, Any]:
    """The JSON report of one audit with every rule (unused after 20 days, so ``idle`` is found). The fake
    lists tokens as a real org does (``tokenWindow: null``): the org's window is given, as the CLI asks."""
    run = audited.run(
        "--format", "json", "--unused-days", "20", "--stack-state", str(audited.state), *REAL_ORG_WINDOW
    )
    assert "Traceback" not in run.stderr
    report: dict[str, Any] = run.json()
    report["exit"] = run.code
    return report


def found(report: dict[str, Any], rule: str) -> dict[str, str]:
    """``{token id: severity}`` of the findings of ``rule``."""
    return {item["tokenId"]: item["severity"] for item in report["findings"] if item["rule"] == rule}


def test_network_anywhere_is_high_for_a_token_usable_from_any_ip(
    audited: AuditedOrg, findings: dict[str, Any]
) -> None:
    assert found(findings, "network-anywhere") == {audited.ids["anywhere"]: "high"}


def test_network_exclude_only_is_medium_for_a_deny_list_token(
    audited: AuditedOrg, findings: dict[str, Any]
) -> None:
    assert found(findings, "network-exclude-only") == {audited.ids["exclude"]: "medium"}


def test_expiring_is_medium_for_a_token_expiring_within_seven_days(
    audited: AuditedOrg, findings: dict[str, Any]
) -> None:
    (finding,) = [item for item in findings["findings"] if item["rule"] == "expiring"]

    assert (finding["tokenId"], finding["severity"]) == (audited.ids["expiring"], "medium")
    assert finding["detail"].startswith("expires in 3 days")


def test_unused_is_low_for_a_token_last_used_before_unused_days(
    audited: AuditedOrg, findings: dict[str, Any]
) -> None:
    assert found(findings, "unused") == {audited.ids["unused"]: "low", audited.ids["expiring"]: "low"}


def test_unmanaged_is_low_for_each_token_the_stack_does_not_manage(
    audited: AuditedOrg, findings: dict[str, Any]
) -> None:
    managed = {audited.ids["admin"], audited.ids["clean"]}

    assert found(findings, "unmanaged") == dict.fromkeys(set(audited.ids.values()) - managed, "low")


def test_missing_is_high_for_a_stack_resource_whose_token_is_gone(findings: dict[str, Any]) -> None:
    (finding,) = [item for item in findings["findings"] if item["rule"] == "missing"]

    assert (finding["tokenId"], finding["severity"], finding["resource"]) == (MISSING_ID, "high", "gone")
    assert finding["tokenName"] == "old-ci"


def test_every_finding_names_rule_severity_token_and_what_to_do(findings: dict[str, Any]) -> None:
    for item in findings["findings"]:
        assert {"rule", "severity", "tokenId", "tokenName", "detail", "advice"} <= set(item)
        assert item["advice"]


def test_findings_come_highest_severity_first(findings: dict[str, Any]) -> None:
    order = {"high": 0, "medium": 1, "low": 2}
    severities = [order[item["severity"]] for item in findings["findings"]]

    assert severities == sorted(severities)


def test_a_restricted_recently_used_managed_token_has_no_finding_but_its_owners_role(
    audited: AuditedOrg, findings: dict[str, Any]
) -> None:
    rules = {item["rule"] for item in findings["findings"] if item["tokenId"] == audited.ids["clean"]}

    assert rules <= {"owner-super-admin"}


def test_audit_with_a_high_finding_exits_1(findings: dict[str, Any]) -> None:
    assert findings["failed"] is True and findings["exit"] == 1


def test_fail_on_never_exits_0_with_findings(audited: AuditedOrg) -> None:
    run = audited.run("--fail-on", "never", "--rule", "network-anywhere")

    assert run.code == 0 and run.json()["counts"]["high"] == 1


def test_fail_on_decides_which_severity_fails(audited: AuditedOrg) -> None:
    only_low = ("--rule", "unused", "--unused-days", "20")

    assert audited.run(*only_low).code == 0
    assert audited.run(*only_low, "--fail-on", "low").code == 1


def test_ignore_leaves_a_rule_out(audited: AuditedOrg) -> None:
    run = audited.run("--rule", "network-anywhere", "--rule", "expiring", "--ignore", "network-anywhere")

    assert {item["rule"] for item in run.json()["findings"]} == {"expiring"}
    assert run.code == 0


def test_without_stack_state_the_stack_rules_are_not_selected_and_the_report_never_says_passed(
    audited: AuditedOrg,
) -> None:
    run = audited.run(
        "--format", "json", "--ignore", "owner-inactive", "--ignore", "owner-super-admin", *REAL_ORG_WINDOW
    )

    report = run.json()
    assert report["rules"] == ["network-anywhere", "network-exclude-only", "expiring", "unused"]
    assert [item["rule"] for item in report["notSelected"]] == ["unmanaged", "missing"]
    assert {item["reason"] for item in report["notSelected"]} == {
        "needs --stack-state FILE (the JSON of `pulumi stack export`)"
    }
    assert {result["rule"] for result in report["results"]} == set(report["rules"])
    assert report["notChecked"] == []


def test_an_audit_with_nothing_failing_says_incomplete_not_passed_when_stack_rules_were_left_out(
    audited: AuditedOrg,
) -> None:
    selected = ("--rule", "network-anywhere", "--fail-on", "never", "--format", "table")
    complete = audited.run(*selected)
    everything = audited.run("--fail-on", "never", "--format", "table")

    assert complete.code == everything.code == 0
    assert complete.stdout.rstrip().endswith("passed (--fail-on never).")
    assert everything.stdout.rstrip().endswith("INCOMPLETE (--fail-on never).")
    assert "Not selected:\n  unmanaged  needs --stack-state FILE" in everything.stdout


def test_audit_table_fits_100_columns_and_says_what_to_do(audited: AuditedOrg) -> None:
    run = audited.run("--format", "table", "--stack-state", str(audited.state))

    assert max(len(line) for line in run.stdout.splitlines()) <= 100
    assert run.stdout.splitlines()[0].split() == ["SEVERITY", "RULE", "TOKEN", "NAME", "DETAIL"]
    assert "What to do:" in run.stdout and "FAILED (--fail-on high)" in run.stdout
    assert "\x1b[" not in run.stdout  # no colour off a terminal


def test_audit_of_the_stack_that_adopted_every_token_finds_nothing_unmanaged_or_missing(
    cli_org: CliOrg, tmp_path: Path
) -> None:
    cli_org.add("ci-deployer")
    program = {token.id: {"token_id": token.id} for token in cli_org.okta.org.tokens()}
    with PluginEngine({"okta:orgUrl": cli_org.okta.url, "okta:apiToken": cli_org.admin.secret}) as engine:
        ops = engine.up(program).ops()
        state = tmp_path / "state.json"
        state.write_text(json.dumps(engine.state_json()))

    run = cli_org.run(
        "audit", "--format", "json", "--rule", "unmanaged", "--rule", "missing", "--stack-state", str(state)
    )

    assert set(ops.values()) == {"create"}
    assert (run.code, run.json()["findings"]) == (0, [])


def test_audit_over_hundreds_of_tokens_reports_each_rule(cli_org: CliOrg) -> None:
    owners = [cli_org.okta.org.add_user() for _ in range(12)]
    for number in range(300):
        network = [{"connection": "ANYWHERE"}, {"connection": "ZONE", "exclude": ["ALL_IP_ZONES"]}][
            number % 2
        ]
        cli_org.add(
            f"svc-{number:03d}", days_unused=number % 29, user_id=owners[number % 12], network=network
        )
    cli_org.okta.set_page_cap(100)

    run = cli_org.run(
        "audit",
        "--format",
        "json",
        "--fail-on",
        "never",
        "--ignore",
        "owner-inactive",
        "--ignore",
        "owner-super-admin",
    )

    report = run.json()
    assert (run.code, report["tokens"]) == (0, 301)
    assert report["counts"] == {"high": 150, "medium": 150 + 60, "low": 0}  # 60: 23 to 28 days unused
    assert len(found(report, "network-anywhere")) == len(found(report, "network-exclude-only")) == 150
    assert len(found(report, "expiring")) == 60


# --------------------------------------------------------------------------------------------
# Owner rules, against the fake's users endpoints


def test_owner_rules_find_inactive_and_super_admin_owners_each_looked_up_once(cli_org: CliOrg) -> None:
    org = cli_org.okta.org
    suspended = org.add_user(status="SUSPENDED", roles=["READ_ONLY_ADMIN"])  # type: ignore[call-arg]
    helpdesk = org.add_user(roles=["HELP_DESK_ADMIN"])  # type: ignore[call-arg]
    quiet = cli_org.add("quiet", user_id=suspended)
    fine = cli_org.add("fine", user_id=helpdesk)
    cli_org.add("fine-too", user_id=helpdesk)
    cli_org.okta.clear_journal()

    report = cli_org.run(
        "audit", "--format", "json", "--rule", "owner-inactive", "--rule", "owner-super-admin"
    ).json()

    assert found(report, "owner-inactive") == {quiet.id: "high"}
    assert found(report, "owner-super-admin") == {cli_org.admin.id: "medium"}
    assert fine.id not in {item["tokenId"] for item in report["findings"]}
    assert len(cli_org.okta.calls("GET", f"/api/v1/users/{helpdesk}")) == 1
    assert len(cli_org.okta.calls("GET", f"/api/v1/users/{helpdesk}/roles")) == 1


def test_owner_rules_without_users_scopes_are_not_checked_and_fail_the_audit(cli_org: CliOrg) -> None:
    access = cli_org.okta.org.issue_access_token(scopes=["okta.apiTokens.read"])
    env = {**okta_env(cli_org.okta.url, ""), "OKTA_ACCESS_TOKEN": access}
    del env["OKTA_API_TOKEN"]

    run = run_cli(
        "audit", "--format", "json", "--rule", "owner-inactive", "--rule", "owner-super-admin", env=env
    )

    report = run.json()
    reasons = {item["rule"]: item["reason"] for item in report["notChecked"]}
    assert run.code == 1 and report["findings"] == []
    assert "okta.users.read" in reasons["owner-inactive"]
    assert "okta.roles.read" in reasons["owner-super-admin"]


def test_audit_over_hundreds_of_tokens_looks_up_each_owner_once(cli_org: CliOrg) -> None:
    org = cli_org.okta.org
    statuses = ["ACTIVE", "SUSPENDED", "DEPROVISIONED", "ACTIVE"]
    owners = [
        org.add_user(status=statuses[number % 4], roles=["READ_ONLY_ADMIN"] if number % 3 else [])  # type: ignore[call-arg]
        for number in range(12)
    ]
    for number in range(300):
        cli_org.add(f"svc-{number:03d}", user_id=owners[number % 12])
    cli_org.okta.set_page_cap(100)
    cli_org.okta.clear_journal()

    run = cli_org.run("audit", "--format", "json", "--rule", "owner-inactive", "--rule", "owner-super-admin")

    report = run.json()
    inactive = {owners[number] for number in range(12) if statuses[number % 4] != "ACTIVE"}
    assert len(found(report, "owner-inactive")) == 25 * len(inactive)
    assert found(report, "owner-super-admin") == {cli_org.admin.id: "medium"}
    assert run.code == 1 and report["notChecked"] == []
    for owner in [*owners, cli_org.admin_user]:
        assert len(cli_org.okta.calls("GET", f"/api/v1/users/{owner}")) == 1
        assert len(cli_org.okta.calls("GET", f"/api/v1/users/{owner}/roles")) == 1
