"""The audit report as JSON (a versioned schema, documented in docs/cli.md) and as CSV (one row per
result).

JSON schema version 1: ``schema``, ``schemaVersion``, ``run`` (tool, version, started, org, principal,
options), ``verdict``, ``failOn``, ``failed``, ``tokens``, ``rules`` (the ids that ran),
``notSelected``, ``ruleDetails`` (each rule's meaning, controls and remediation), ``statusCounts``,
``failingCounts``, ``counts`` (findings by severity), ``results`` (every token x every rule),
``findings`` and ``notChecked``. A later version only adds keys; a key that changes meaning gets a new
``schemaVersion``.
"""

from __future__ import annotations

from typing import Any

from .._text import csv_text, json_text
from ._audit_meta import AuditRun
from ._audit_rules import RULES, Result, Rule
from ._audit_run import AuditReport

__all__ = ["CSV_HEADER", "SCHEMA", "SCHEMA_VERSION", "audit_csv", "audit_json", "report_json", "rule_json"]

SCHEMA = "pulumi-okta-token/audit-report"
SCHEMA_VERSION = 1

CSV_HEADER = (
    "status",
    "severity",
    "rule",
    "token_id",
    "token_name",
    "owner_login",
    "owner_id",
    "reason",
    "stack_resource",
    "stig",
    "prowler",
    "remediation",
)


def rule_json(rule: Rule) -> dict[str, Any]:
    """A rule's meaning: what it finds, what a pass means, what to do, the controls it answers."""
    return {
        "id": rule.id,
        "severity": rule.severity,
        "finds": rule.finds,
        "passes": rule.passes,
        "advice": rule.advice,
        "needsStackState": rule.needs_stack,
        "controls": [
            {"framework": c.framework, "id": c.id, "title": c.title, "url": c.url} for c in rule.controls
        ],
        "remediation": list(rule.remediation),
    }


def result_json(result: Result) -> dict[str, Any]:
    data: dict[str, Any] = {
        "rule": result.rule.id,
        "severity": result.severity,
        "status": result.status,
        "tokenId": result.token_id,
        "tokenName": result.token_name,
        "ownerId": result.owner_id,
        "ownerLogin": result.owner_login,
        "reason": result.reason,
    }
    if result.resource is not None:
        data["resource"] = result.resource
    return data


def report_json(report: AuditReport, run: AuditRun, fail_on: str) -> dict[str, Any]:
    """The whole report as JSON-ready data."""
    return {
        "schema": SCHEMA,
        "schemaVersion": SCHEMA_VERSION,
        "run": run.to_json(),
        "verdict": report.verdict(fail_on),
        "failOn": fail_on,
        "failed": report.failed(fail_on),
        "org": report.org_url,
        "tokens": report.tokens,
        "rules": list(report.rules),
        "notSelected": [{"rule": rule, "reason": reason} for rule, reason in report.not_selected.items()],
        "ruleDetails": [rule_json(RULES[rule]) for rule in (*report.rules, *report.not_selected)],
        "statusCounts": report.status_counts(),
        "failingCounts": report.failing_counts(),
        "counts": report.counts(),
        "results": [result_json(result) for result in report.results],
        "findings": [finding.to_json() for finding in report.findings],
        "notChecked": [item.to_json() for item in report.not_checked],
    }


def audit_json(report: AuditReport, run: AuditRun, fail_on: str) -> str:
    return json_text(report_json(report, run, fail_on))


def audit_csv(report: AuditReport) -> str:
    """One row per result, failing first; formula-like text cells are neutralised."""
    rows = [
        (
            result.status,
            result.severity,
            result.rule.id,
            result.token_id,
            result.token_name,
            result.owner_login,
            result.owner_id,
            result.reason,
            result.resource,
            " ".join(c.id for c in result.rule.controls if c.framework.startswith("DISA")),
            " ".join(c.id for c in result.rule.controls if c.framework.startswith("Prowler")),
            " ".join(result.rule.remediation),
        )
        for _, results in report.worst_first()
        for result in results
    ]
    return csv_text(CSV_HEADER, rows)
