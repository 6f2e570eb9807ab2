"""Plain text: one finding per line as path:line[:col], errors first, which sources came from a record, a summary."""

from __future__ import annotations

import re

from checks.core.engine import Report
from checks.core.findings import Finding, Severity
from checks.records import recorded_notice

_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
_COLOURS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_BOLD, _RESET = "\033[1m", "\033[0m"
# Data-derived text never starts a line of its own or carries terminal escapes.
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def one_line(text: str) -> str:
    """`text` with newlines and other control characters shown as escapes, so it stays on its line."""
    return _CONTROL.sub(lambda m: repr(m.group(0))[1:-1], text)


def openable(report: Report, path: str) -> str:
    """A source finding's path under the source's root as given on the command line (`../oa/apps/x.rs`).

    `source:path` stays for a source that is recorded or absent: there is no file to open then.
    """
    head, sep, tail = path.partition(":")
    given = report.ctx.options.sources.get(head) if sep else None
    return f"{given.rstrip('/')}/{tail}" if given else path


def location(report: Report, f: Finding) -> str:
    where = openable(report, f.path)
    if f.line:
        where += f":{f.line}"
        if f.column:
            where += f":{f.column}"
    return where


def format_report(report: Report) -> str:
    colour = report.ctx.options.color
    lines = []
    for f in sorted(report.findings, key=lambda f: (_ORDER[f.severity], f.sort_key)):
        level = f.severity.value
        if colour:
            level = f"{_COLOURS[f.severity]}{level}{_RESET}"
            code = f"{_BOLD}{f.code}{_RESET}"
        else:
            code = f.code
        lines.append(f"{one_line(location(report, f))}: {level} {code} {f.rule}: {one_line(f.message)}")
    notice = recorded_notice(report.ctx.source_states) if report.closure.evaluated else ""
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
