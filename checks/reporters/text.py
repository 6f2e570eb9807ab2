"""Plain text: one finding per line as path:line:col, which sources came from a record, then a summary line."""

from __future__ import annotations

from checks.core.engine import Report
from checks.records import recorded_notice


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def format_report(report: Report) -> str:
    lines = []
    for f in report.findings:
        where = f"{f.path}:{f.line}:{f.column}" if f.line else f.path
        lines.append(f"{where}: {f.severity.value} {f.code} {f.rule}: {f.message}")
    notice = recorded_notice(report.ctx.source_states)
    if notice:
        lines.append(notice)
    s = report.summary
    closure = report.closure
    lines.append(
        f"{_plural(s['error'], 'error')}, {_plural(s['warning'], 'warning')}, {s['info']} info · "
        f"{closure.headline} · "
        f"today {report.ctx.today.isoformat()}"
    )
    return "\n".join(lines) + "\n"
