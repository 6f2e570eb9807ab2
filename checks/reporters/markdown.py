"""A Markdown summary for PR comments and `$GITHUB_STEP_SUMMARY`: verdict, counts, errors with links."""

from __future__ import annotations

import os
import re
from html import escape

from checks.core.engine import Report
from checks.core.findings import Finding, Severity
from checks.reporters.sarif import help_uri
from checks.reporters.text import one_line

MAX_ROWS = 100


def _cell(text: str) -> str:
    """`text` for one table cell: a line feed or a carriage return (either starts a line) becomes a space."""
    flat = re.sub(r"\r\n|[\r\n]", " ", text)
    return one_line(escape(flat, quote=False).replace("|", "\\|"))


def _file_link(report: Report, f: Finding) -> str:
    head, sep, tail = f.path.partition(":")
    sources = {s.id: s for s in report.ctx.program.sources}
    label = f"{f.path}:{f.line}" if f.line else f.path
    if sep and head in sources:
        # A source finding links to the commit it was found at: the pin, not a moving HEAD.
        repo, rel, sha = sources[head].repository, tail, sources[head].pin
    else:
        repo, rel, sha = report.ctx.program.repository, f.path, os.environ.get("GITHUB_SHA", "")
    if repo and re.match(r"^https://", repo) and not rel.startswith("http"):
        anchor = f"#L{f.line}" if f.line else ""
        return f"[`{_cell(label)}`]({repo}/blob/{sha or 'HEAD'}/{rel}{anchor})"
    return f"`{_cell(label)}`"


def _rule_link(report: Report, f: Finding) -> str:
    uri = help_uri(report, f.code.lower())
    return f"[{f.code}]({uri})" if uri else f.code


def format_report(report: Report) -> str:
    s = report.summary
    closure = report.closure
    icon = "✅" if closure.closed else ("❌" if s["error"] else "⚠️")
    lines = [
        f"## {icon} Gates: {_cell(report.ctx.program.title)}",
        "",
        f"**{_cell(closure.verdict)}** ({closure.percent}% of invariants closed, as of {report.ctx.today.isoformat()})"
        if closure.evaluated
        else f"**{_cell(closure.verdict)}** (as of {report.ctx.today.isoformat()})",
        "",
        "| errors | warnings | info |",
        "|---:|---:|---:|",
        f"| {s['error']} | {s['warning']} | {s['info']} |",
        "",
    ]
    errors = [f for f in report.findings if f.severity is Severity.ERROR]
    if errors:
        lines += ["### Errors", "", "| rule | where | message |", "|---|---|---|"]
        for f in errors[:MAX_ROWS]:
            lines.append(f"| {_rule_link(report, f)} | {_file_link(report, f)} | {_cell(f.message)} |")
        if len(errors) > MAX_ROWS:
            lines.append(f"| | | … and {len(errors) - MAX_ROWS} more (see the full report) |")
        lines.append("")
    warnings = [f for f in report.findings if f.severity is Severity.WARNING]
    if warnings:
        lines += ["<details><summary>Warnings</summary>", "", "| rule | where | message |", "|---|---|---|"]
        lines += [
            f"| {_rule_link(report, f)} | {_file_link(report, f)} | {_cell(f.message)} |" for f in warnings[:MAX_ROWS]
        ]
        lines += ["", "</details>", ""]
    active = [x for x in closure.exceptions if x.waiver.active]
    if active:
        lines += ["### Exceptions", "", "| id | state | days left | owner |", "|---|---|---:|---|"]
        lines += [
            f"| {_cell(x.id)} | {x.state} | {'' if x.days_left is None else x.days_left} | {_cell(x.waiver.owner)} |"
            for x in active
        ]
        lines.append("")
    return "\n".join(lines)
