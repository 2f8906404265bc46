"""The audit report as an OCSF finding stream: one OCSF 1.1 *Detection Finding* (class 2004) per result,
one JSON object per line (JSON Lines), shaped as Prowler emits its findings so a SIEM that ingests
Prowler's OCSF output ingests this too.

Mapping: ``metadata.event_code`` is the rule id; ``status_code`` is ``PASS``, ``FAIL``, or ``MANUAL`` for
a result that could not be checked (``unmapped.status`` keeps ``not-checked``, and ``status_detail``
says why); ``severity_id`` 2, 3, 4 for low, medium, high; ``resources[0]`` is the token (uid = its
id); ``unmapped.compliance`` maps each framework to the check ids the rule answers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from .._okta_time import format_okta_time
from .._text import json_line
from ._audit_meta import AuditRun
from ._audit_rules import Result
from ._audit_run import AuditReport

__all__ = ["OCSF_VERSION", "audit_ocsf", "ocsf_finding"]

OCSF_VERSION = "1.1.0"

_SEVERITY_IDS = {"low": 2, "medium": 3, "high": 4}
_STATUS_CODES = {"pass": "PASS", "fail": "FAIL", "not-checked": "MANUAL"}


def ocsf_finding(result: Result, run: AuditRun) -> dict[str, Any]:
    """One result as an OCSF Detection Finding."""
    rule = result.rule
    when = _epoch(run.started)
    host = urlsplit(run.org_url).netloc
    compliance: dict[str, list[str]] = {}
    for control in rule.controls:
        compliance.setdefault(control.framework, []).append(control.id)
    resource_data: dict[str, Any] = {"owner_id": result.owner_id, "owner_login": result.owner_login}
    if result.resource is not None:
        resource_data["stack_resource"] = result.resource
    return {
        "message": f"{rule.id}: {result.reason}",
        "metadata": {
            "event_code": rule.id,
            "product": {
                "name": "pulumi-okta-token",
                "uid": "pulumi-okta-token",
                "vendor_name": "pulumi-okta-token",
                "version": run.version,
            },
            "profiles": ["cloud", "datetime"],
            "tenant_uid": run.org_url,
            "version": OCSF_VERSION,
        },
        "severity_id": _SEVERITY_IDS[result.severity],
        "severity": result.severity.capitalize(),
        "status": "New",
        "status_id": 1,
        "status_code": _STATUS_CODES[result.status],
        "status_detail": result.reason,
        "activity_id": 1,
        "activity_name": "Create",
        "type_uid": 200401,
        "type_name": "Detection Finding: Create",
        "category_uid": 2,
        "category_name": "Findings",
        "class_uid": 2004,
        "class_name": "Detection Finding",
        "time": when,
        "time_dt": format_okta_time(run.started),
        "finding_info": {
            "uid": f"pulumi-okta-token-{host}-{rule.id}-{result.resource or result.token_id}",
            "title": rule.finds,
            "desc": f"finds {rule.finds}; passes when {rule.passes}",
            "created_time": when,
            "created_time_dt": format_okta_time(run.started),
            "types": ["Okta API token"],
        },
        "resources": [
            {
                "uid": result.token_id,
                "name": result.token_name,
                "type": "OktaApiToken",
                "group": {"name": "okta"},
                "data": resource_data,
            }
        ],
        "cloud": {"provider": "okta", "account": {"uid": run.org_url, "type": "Okta org"}},
        "remediation": {"desc": rule.advice, "references": [*rule.remediation, *_urls(rule.controls)]},
        "risk_details": rule.finds,
        "unmapped": {
            "status": result.status,
            "compliance": compliance,
            "principal": run.principal.to_json(),
        },
    }


def audit_ocsf(report: AuditReport, run: AuditRun) -> str:
    """Every result as one OCSF finding per line, the failing ones first."""
    lines = [
        json_line(ocsf_finding(result, run)) for _, results in report.worst_first() for result in results
    ]
    return "".join(f"{line}\n" for line in lines)


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def _urls(controls: Any) -> list[str]:
    return [control.url for control in controls if control.url]
