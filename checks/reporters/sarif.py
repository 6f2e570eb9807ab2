"""SARIF 2.1.0: rules from the registry, one result per finding, fingerprints that survive unrelated edits."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from typing import Any

from checks import __version__
from checks.core.engine import Report
from checks.rules import all_rules

_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def split_path(path: str, sources: set[str]) -> tuple[str, str]:
    """(uriBaseId, relative path): source findings are relative to that source's root."""
    head, sep, tail = path.partition(":")
    if sep and head in sources:
        return head.upper(), tail
    return "%SRCROOT%", path


def fingerprint(code: str, path: str, subject: str, message: str) -> str:
    # Line numbers and counts (days left, ages) change with unrelated edits and time; leave them out.
    stable = re.sub(r"[0-9]+", "#", message)
    return hashlib.sha256(f"{code}\0{path}\0{subject}\0{stable}".encode()).hexdigest()[:32]


def help_uri(report: Report, anchor: str) -> str | None:
    site = report.ctx.program.site_url
    return f"{site.rstrip('/')}/rules/#{anchor}" if site else None


def format_report(report: Report) -> str:
    rules = all_rules()
    index = {r.code: i for i, r in enumerate(rules)}
    sources = {s.id for s in report.ctx.program.sources}
    descriptors = []
    for r in rules:
        body = r.doc.split("\n", 1)[1].strip() if "\n" in r.doc else r.summary
        descriptor: dict[str, Any] = {
            "id": r.code,
            "name": "".join(part.capitalize() for part in r.slug.split("-")),
            "shortDescription": {"text": r.summary},
            "fullDescription": {"text": body.split("\n\n", 1)[0]},
            "help": {"text": r.doc, "markdown": r.doc},
            "defaultConfiguration": {"level": _LEVELS[r.severity.value]},
            "properties": {"family": r.family, "slug": r.slug},
        }
        uri = help_uri(report, r.anchor)
        if uri:
            descriptor["helpUri"] = uri
        descriptors.append(descriptor)
    seen: Counter[str] = Counter()
    results = []
    for f in report.findings:
        base, rel = split_path(f.path, sources)
        location: dict[str, Any] = {"artifactLocation": {"uri": rel, "uriBaseId": base}}
        if f.line > 0:
            region: dict[str, int] = {"startLine": f.line}
            if f.column > 0:
                region["startColumn"] = f.column
            location["region"] = region
        key = fingerprint(f.code, f.path, f.subject, f.message)
        seen[key] += 1
        result: dict[str, Any] = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": _LEVELS[f.severity.value],
            "message": {"text": f.message},
            "locations": [{"physicalLocation": location}],
            "partialFingerprints": {"gatesFinding/v1": f"{key}:{seen[key]}"},
        }
        props = {k: v for k, v in (("subject", f.subject), ("invariant", f.invariant)) if v}
        if props:
            result["properties"] = props
        results.append(result)
    driver: dict[str, Any] = {
        "name": "gates",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": descriptors,
    }
    if report.ctx.program.repository:
        driver["informationUri"] = report.ctx.program.repository
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "automationDetails": {"id": f"gates/{report.ctx.program.id}/"},
                "results": results,
                "properties": {"today": report.ctx.today.isoformat(), "closed": report.closure.closed},
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
