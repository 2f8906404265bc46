"""The audit report as one self-contained HTML page: no script, no external style, font or image, so it
can be attached to a ticket and opened anywhere.

The first screen is the summary a person reads in ten seconds: the verdict, failing results by severity,
the rules that were not selected, and the tokens with the worst results first. Below come the rules
(what each finds, the STIG and Prowler checks it answers, the remediation links) and every token with
every rule's result.

Every text from Okta (token names, logins, reasons quoting them) and from the settings goes through
``escape_html``, the one place this page escapes text.
"""

from __future__ import annotations

from .._text import html_text
from ._audit_meta import AuditRun
from ._audit_rules import RULES, SEVERITIES, Result, Rule
from ._audit_run import AuditReport

__all__ = ["SUMMARY_TOKENS", "audit_html", "escape_html"]

SUMMARY_TOKENS = 10
"""How many of the worst tokens the summary lists."""

_STYLE = """
:root { color-scheme: light; --high: #b42318; --medium: #b54708; --low: #175cd3; --pass: #067647;
        --muted: #475467; --line: #eaecf0; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #101828;
       margin: 0; padding: 24px 32px; max-width: 1200px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; }
h3 { font-size: 15px; margin: 20px 0 6px; }
.meta { color: var(--muted); margin: 0 0 16px; }
.meta { display: flex; flex-wrap: wrap; gap: 2px 18px; }
.verdict { display: inline-block; font-weight: 700; font-size: 18px; padding: 6px 14px; border-radius: 6px;
           color: #fff; }
.verdict.FAILED { background: var(--high); }
.verdict.INCOMPLETE { background: var(--medium); }
.verdict.passed { background: var(--pass); }
.cards { display: flex; gap: 12px; margin: 14px 0; flex-wrap: wrap; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 130px; }
.card b { display: block; font-size: 26px; }
.card.high b { color: var(--high); } .card.medium b { color: var(--medium); }
.card.low b { color: var(--low); } .card.pass b { color: var(--pass); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; text-transform: uppercase; color: var(--muted); letter-spacing: .03em; }
code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, monospace; }
.sev, .status { font-weight: 600; white-space: nowrap; }
.sev.high { color: var(--high); } .sev.medium { color: var(--medium); } .sev.low { color: var(--low); }
.status.fail { color: var(--high); } .status.not-checked { color: var(--medium); }
.status.pass { color: var(--pass); }
.note { background: #fffaeb; border: 1px solid #fedf89; border-radius: 6px; padding: 8px 12px; }
footer { color: var(--muted); margin-top: 32px; font-size: 12px; }
"""


def escape_html(value: object) -> str:
    """Any text as HTML text or attribute value (``_text.html_text``, the one rule for Okta's text)."""
    return html_text(value)


def audit_html(report: AuditReport, run: AuditRun, fail_on: str) -> str:
    """The whole page."""
    title = f"Okta API token audit: {run.org_url}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape_html(title)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>{escape_html(title)}</h1>",
        _meta(run),
        _summary(report, fail_on),
        _rules(report),
        _detail(report),
        "<footer>Written by <code>pulumi-okta-token audit --format html</code> "
        f"{escape_html(run.version)}. The same results as JSON: <code>--format json</code> "
        "(schema version 1); as CSV: <code>--format csv</code>; for a SIEM: <code>--format ocsf</code>."
        "</footer>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _meta(run: AuditRun) -> str:
    items = [
        ("Run", run.started.strftime("%Y-%m-%d %H:%M:%S UTC")),
        ("Org", run.org_url),
        ("As", run.principal.shown),
        ("Options", "; ".join(_option(k, v) for k, v in run.options.items() if v is not None)),
    ]
    shown = "".join(f"<span><b>{escape_html(k)}:</b> {escape_html(v)}</span>" for k, v in items)
    return f'<p class="meta">{shown}</p>'


def _option(key: str, value: object) -> str:
    shown = ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
    return f"{key} {shown}"


def _summary(report: AuditReport, fail_on: str) -> str:
    verdict = report.verdict(fail_on)
    failing = report.failing_counts()
    statuses = report.status_counts()
    cards = "".join(
        f'<div class="card {severity}"><b>{failing[severity]}</b>{severity} severity failing</div>'
        for severity in reversed(SEVERITIES)
    )
    cards += (
        f'<div class="card pass"><b>{statuses["pass"]}</b>passed</div>'
        f'<div class="card"><b>{report.tokens}</b>tokens, {len(report.rules)} rules</div>'
    )
    explained = {
        "FAILED": f"a failing result at or above --fail-on {fail_on}",
        "INCOMPLETE": f"nothing fails at --fail-on {fail_on}, but not every check ran",
        "passed": "every selected rule ran for every token and passed",
    }[verdict]
    lines = [
        '<section id="summary">',
        f'<div class="verdict {verdict}">{verdict}</div> <span>{escape_html(explained)}; '
        f"{statuses['fail']} failed, {statuses['not-checked']} not checked (counted as failing), "
        f"{statuses['pass']} passed.</span>",
        f'<div class="cards">{cards}</div>',
    ]
    if report.not_selected:
        names = ", ".join(f"<code>{escape_html(rule)}</code>" for rule in report.not_selected)
        reasons = "; ".join(sorted({escape_html(reason) for reason in report.not_selected.values()}))
        lines.append(f'<p class="note">Not selected, so not checked: {names} ({reasons}).</p>')
    lines.append(_worst_tokens(report))
    lines.append("</section>")
    return "\n".join(lines)


def _worst_tokens(report: AuditReport) -> str:
    worst = [
        (token_id, results) for token_id, results in report.worst_first() if any(r.failing for r in results)
    ]
    if not worst:
        return "<h2>Tokens</h2><p>No token has a failing result.</p>"
    rows = []
    for token_id, results in worst[:SUMMARY_TOKENS]:
        failing = [r for r in results if r.failing]
        top = max(failing, key=lambda r: SEVERITIES.index(r.severity)).severity
        rules = ", ".join(
            f'<span class="sev {r.severity}">{escape_html(r.rule.id)}</span>'
            + (" (not checked)" if r.status == "not-checked" else "")
            for r in failing
        )
        rows.append(
            f'<tr><td><span class="sev {top}">{top}</span></td>'
            f"<td>{escape_html(results[0].token_name)}<br><code>{escape_html(token_id)}</code></td>"
            f"<td>{escape_html(results[0].owner or '')}</td><td>{rules}</td></tr>"
        )
    more = len(worst) - SUMMARY_TOKENS
    tail = f"<p>{more} more tokens with failing results below.</p>" if more > 0 else ""
    return (
        "<h2>Worst tokens first</h2><table><tr><th>Worst</th><th>Token</th><th>Owner</th>"
        "<th>Failing rules</th></tr>" + "".join(rows) + "</table>" + tail
    )


def _rules(report: AuditReport) -> str:
    rows = []
    for rule_id in (*report.rules, *report.not_selected):
        rule = RULES[rule_id]
        counts = {status: 0 for status in ("fail", "not-checked", "pass")}
        for result in report.results:
            if result.rule.id == rule_id:
                counts[result.status] += 1
        ran = (
            f"{counts['fail']} fail, {counts['not-checked']} not checked, {counts['pass']} pass"
            if rule_id in report.rules
            else "not selected: " + escape_html(report.not_selected[rule_id])
        )
        rows.append(
            f'<tr><td><code>{escape_html(rule.id)}</code></td><td><span class="sev {rule.severity}">'
            f"{rule.severity}</span></td><td>{escape_html(rule.finds)}<br>{ran}</td>"
            f"<td>{_controls(rule)}</td><td>{escape_html(rule.advice)} {_links(rule)}</td></tr>"
        )
    return (
        '<section id="rules"><h2>Rules</h2><table><tr><th>Rule</th><th>Severity</th><th>Finds</th>'
        "<th>Answers</th><th>Remediation</th></tr>" + "".join(rows) + "</table></section>"
    )


def _controls(rule: Rule) -> str:
    if not rule.controls:
        return "&mdash;"
    shown = []
    for control in rule.controls:
        label = f"{escape_html(control.framework)} <code>{escape_html(control.id)}</code>"
        if control.url:
            label = f'<a href="{escape_html(control.url)}">{label}</a>'
        shown.append(f"{label}<br><small>{escape_html(control.title)}</small>")
    return "<br>".join(shown)


def _links(rule: Rule) -> str:
    return " ".join(f'<a href="{escape_html(url)}">[{n}]</a>' for n, url in enumerate(rule.remediation, 1))


def _detail(report: AuditReport) -> str:
    parts = ['<section id="detail"><h2>Every token, every rule</h2>']
    for token_id, results in report.worst_first():
        first = results[0]
        owner = f" &middot; owner {escape_html(first.owner)}" if first.owner else ""
        resource = f" &middot; stack resource {escape_html(first.resource)}" if first.resource else ""
        parts.append(
            f"<h3>{escape_html(first.token_name or '(no name)')} <code>{escape_html(token_id)}</code>"
            f"<small>{owner}{resource}</small></h3>"
        )
        parts.append("<table><tr><th>Status</th><th>Severity</th><th>Rule</th><th>Why</th></tr>")
        parts.extend(_result_row(result) for result in results)
        parts.append("</table>")
    parts.append("</section>")
    return "\n".join(parts)


def _result_row(result: Result) -> str:
    return (
        f'<tr><td><span class="status {result.status}">{result.status}</span></td>'
        f'<td><span class="sev {result.severity}">{result.severity}</span></td>'
        f"<td><code>{escape_html(result.rule.id)}</code></td><td>{escape_html(result.reason)}</td></tr>"
    )
