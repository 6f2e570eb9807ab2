"""GitHub Actions workflow commands: one annotation per error and warning, one notice summing up the info."""

from __future__ import annotations

from checks.core.engine import Report

_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation_path(path: str, sources: set[str]) -> str:
    """Findings in a named source are shown as `source:path`; the annotation needs the plain path."""
    head, sep, tail = path.partition(":")
    return tail if sep and head in sources else path


def format_report(report: Report) -> str:
    lines = []
    sources = {s.id for s in report.ctx.program.sources}
    infos = [f for f in report.findings if f.severity.value == "info"]
    # GitHub shows at most 10 annotations per level and step: info findings would crowd out nothing
    # useful, so they are summed up in one notice instead of one each.
    for f in report.findings:
        if f.severity.value == "info":
            continue
        props = [f"file={_prop(annotation_path(f.path, sources))}"]
        if f.line:
            props.append(f"line={f.line}")
        if f.column:
            props.append(f"col={f.column}")
        props.append(f"title={_prop(f'{f.code} {f.rule}')}")
        lines.append(f"::{_LEVELS[f.severity.value]} {','.join(props)}::{_data(f.message)}")
    if infos:
        codes = sorted({f.code for f in infos})
        lines.append(
            f"::notice title=gates info::{len(infos)} info finding{'s' if len(infos) != 1 else ''} "
            f"({_data(', '.join(codes))}); run 'gates check' locally to see them"
        )
    s = report.summary
    lines.append(f"gates: {s['error']} error(s), {s['warning']} warning(s), {s['info']} info; {report.closure.verdict}")
    return "\n".join(lines) + "\n"
