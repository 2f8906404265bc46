"""The audit report a security team files: a result for every token and rule, the run's metadata, the
STIG and Prowler checks each rule answers, owners by login, and the formats (JSON schema 1, CSV, OCSF,
HTML), each read from the console script's output. The HTML page is rendered in headless Chromium when
it is installed."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cli_support import Run, okta_env, run_cli

from pulumi_okta_token import __version__
from pulumi_okta_token.cli._audit_html import escape_html
from pulumi_okta_token.cli._audit_json import CSV_HEADER, SCHEMA, SCHEMA_VERSION
from pulumi_okta_token.testing import FakeOkta

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
FORMULA = '=HYPERLINK("http://evil.example")'


@dataclass
class Org:
    okta: FakeOkta
    secret: str
    env: dict[str, str]

    def audit(self, *args: str) -> Run:
        """``audit`` with the org's token window given, as the CLI asks for a real org's list (the fake's
        default shape, ``tokenWindow: null``), so ``unused`` is judged for every token."""
        return run_cli("audit", *args, "--token-window", "P30D", env=self.env)


@pytest.fixture(scope="module")
def org() -> Iterator[Org]:
    """An org with a restricted token (the command's own, owned by ops@example.com), an open token of a
    suspended user, a token named as an attack on an HTML page, and one named as a spreadsheet formula."""
    with FakeOkta() as okta:
        ops = okta.org.add_user(login="ops@example.com", roles=["READ_ONLY_ADMIN"])
        gone = okta.org.add_user(login="<b>left</b>@example.com", status="SUSPENDED", roles=[])
        office = okta.org.add_zone(name="office")
        zone = {"connection": "ZONE", "include": [office]}
        admin = okta.org.add_token("pulumi-automation", user_id=ops, network=zone)
        okta.org.add_token("open", user_id=gone, network={"connection": "ANYWHERE"})
        okta.org.add_token(HOSTILE, user_id=ops, network=zone)
        okta.org.add_token(FORMULA, user_id=ops, network=zone)
        yield Org(okta, admin.secret, okta_env(okta.url, admin.secret))


@pytest.fixture(scope="module")
def report(org: Org) -> dict[str, Any]:
    run = org.audit("--format", "json")
    assert run.code == 1, run.stderr
    data: dict[str, Any] = run.json()
    return data


def test_json_has_a_result_for_every_token_and_every_rule_that_ran(report: dict[str, Any]) -> None:
    results = report["results"]

    assert report["tokens"] == 4 and len(report["rules"]) == 6
    assert len(results) == 24
    assert {(r["tokenId"], r["rule"]) for r in results}.__len__() == 24
    assert {r["status"] for r in results} == {"pass", "fail"}
    assert all(r["reason"] for r in results)


def test_json_names_its_schema_and_version(report: dict[str, Any]) -> None:
    assert (
        (report["schema"], report["schemaVersion"])
        == (SCHEMA, SCHEMA_VERSION)
        == (
            "pulumi-okta-token/audit-report",
            1,
        )
    )


def test_the_run_says_when_with_what_against_which_org_and_as_whom(org: Org, report: dict[str, Any]) -> None:
    run = report["run"]

    assert (run["tool"], run["version"], run["org"]) == ("pulumi-okta-token", __version__, org.okta.url)
    assert run["started"].endswith("Z")
    assert run["principal"]["login"] == "ops@example.com" and run["principal"]["kind"] == "api-token"
    assert run["options"]["failOn"] == "high"


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "ocsf", "html"])
def test_no_format_shows_the_credentials_secret(org: Org, fmt: str) -> None:
    run = org.audit("--format", fmt)

    assert run.stdout and org.secret not in run.stdout and org.secret not in run.stderr


def test_rules_map_to_the_stig_and_prowler_checks_with_remediation_links(report: dict[str, Any]) -> None:
    details = {rule["id"]: rule for rule in report["ruleDetails"]}
    controls = {rule: {c["id"] for c in details[rule]["controls"]} for rule in details}

    assert controls["network-anywhere"] == {"V-279689", "apitoken_restricted_to_network_zone"}
    assert controls["owner-super-admin"] == {"V-279690", "apitoken_not_super_admin"}
    assert all(url.startswith("https://") for rule in details.values() for url in rule["remediation"])
    assert all(rule["remediation"] for rule in details.values())


def test_owners_are_shown_by_login(report: dict[str, Any]) -> None:
    open_token = [r for r in report["results"] if r["tokenName"] == "open"]

    assert {r["ownerLogin"] for r in open_token} == {"<b>left</b>@example.com"}
    (inactive,) = [r for r in open_token if r["rule"] == "owner-inactive"]
    assert inactive == {
        **inactive,
        "status": "fail",
        "reason": "owner is SUSPENDED (<b>left</b>@example.com)",
    }


def test_csv_has_one_row_per_result_failing_first_and_neutralises_formulas(org: Org) -> None:
    rows = list(csv.reader(io.StringIO(org.audit("--format", "csv").stdout)))

    assert tuple(rows[0]) == CSV_HEADER and len(rows) == 25
    statuses = [row[0] for row in rows[1:]]
    assert statuses == sorted(statuses, key=lambda s: s != "fail")
    names = {row[4] for row in rows[1:]}
    assert f"'{FORMULA}" in names and FORMULA not in names


def test_ocsf_is_one_detection_finding_per_line_as_prowler_emits_them(org: Org) -> None:
    lines = org.audit("--format", "ocsf").stdout.splitlines()
    findings = [json.loads(line) for line in lines]

    assert len(findings) == 24
    assert {(f["class_uid"], f["category_uid"], f["type_uid"]) for f in findings} == {(2004, 2, 200401)}
    assert {f["status_code"] for f in findings} == {"PASS", "FAIL"}
    (anywhere,) = [
        f
        for f in findings
        if f["metadata"]["event_code"] == "network-anywhere" and f["status_code"] == "FAIL"
    ]
    assert anywhere["severity_id"] == 4 and anywhere["resources"][0]["name"] == "open"
    assert anywhere["unmapped"]["compliance"]["Prowler (Okta)"] == ["apitoken_restricted_to_network_zone"]


def test_a_check_that_could_not_run_fails_closed_and_is_reported_per_token(cli_org: Any) -> None:
    cli_org.okta.set_null_token_window_in_lists()

    run = cli_org.run("audit", "--format", "json", "--rule", "unused", "--fail-on", "low")

    report = run.json()
    assert run.code == 1 and report["verdict"] == "FAILED"
    assert {r["status"] for r in report["results"]} == {"not-checked"}
    assert "--token-window" in report["results"][0]["reason"]
    high = cli_org.run("audit", "--format", "json", "--rule", "unused")
    assert high.code == 0 and high.json()["verdict"] == "INCOMPLETE"


# -- HTML ---------------------------------------------------------------------------------------


def test_escape_html_escapes_markup_quotes_and_control_characters() -> None:
    assert escape_html(HOSTILE) == (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
    )
    assert escape_html("a\x1b[31mb'") == "a\\x1b[31mb&#x27;"
    assert escape_html(None) == ""


@pytest.fixture(scope="module")
def page(org: Org, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(org.audit("--format", "html").stdout)
    return path


def test_the_page_is_self_contained(page: Path) -> None:
    text = page.read_text()

    assert text.startswith("<!DOCTYPE html>")
    for outside in ("<script", "<link", " src=", "@import", "url("):
        assert outside not in text.replace(escape_html(HOSTILE), "")


def test_okta_text_is_escaped_in_the_page(page: Path) -> None:
    text = page.read_text()

    assert HOSTILE not in text and "<b>left</b>" not in text
    assert escape_html(HOSTILE) in text and "&lt;b&gt;left&lt;/b&gt;@example.com" in text


def test_the_summary_comes_first_with_counts_by_severity_and_the_worst_token_first(page: Path) -> None:
    text = page.read_text()
    summary = text[text.index('<section id="summary">') : text.index('<section id="rules">')]

    assert text.index('id="summary"') < text.index('id="rules"') < text.index('id="detail"')
    assert '<div class="verdict FAILED">FAILED</div>' in summary
    assert '<div class="card high"><b>2</b>high severity failing</div>' in summary
    worst = summary[summary.index("Worst tokens first") :]
    assert worst.index(">open<") < worst.index("pulumi-automation") if "pulumi-automation" in worst else True


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NO_CHROMIUM = "chromium is not installed (Debian: apt-get install chromium)"


@pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"), reason=NO_CHROMIUM)
def test_the_page_renders_in_headless_chromium_with_okta_text_as_text(page: Path, tmp_path: Path) -> None:
    # A developer without chromium sees this skipped with its reason; CI (.ci/run installs it) never skips.
    assert CHROMIUM is not None, NO_CHROMIUM
    base = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1280,900"]
    dom = subprocess.run(
        [*base, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    shot = tmp_path / "report.png"
    subprocess.run(
        [*base, f"--screenshot={shot}", page.as_uri()], capture_output=True, timeout=120, check=True
    )

    assert "FAILED" in dom and "Worst tokens first" in dom
    assert "<script>" not in dom.split("</style>", 1)[1]  # the hostile name stayed text
    assert 'alert("x")' in dom
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 10_000
