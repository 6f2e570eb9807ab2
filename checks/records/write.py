"""Writing a source record: the evaluation at one commit as schema-versioned JSON with deterministic bytes."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from checks import __version__
from checks.endpoints.records import Catalog
from checks.evidence.results import EvidenceResults
from checks.load.adr import AdrFacts
from checks.load.schema import validate_data
from checks.model import Invariant, Program
from checks.records.model import RECORD_SCHEMA, guard_definition
from checks.scan.guards.hits import Hit, SourceScan


class RecordError(Exception):
    """The record would not match its own schema (a bug, never the user's data)."""


def _hit(h: Hit, **extra: object) -> dict[str, object]:
    return {
        "guard": h.guard,
        "path": h.path,
        "line": h.line,
        "column": h.column,
        "text": h.text,
        "excerpt": h.line_text,
        **extra,
    }


def _scan(scan: SourceScan, program: Program) -> dict[str, Any]:
    counted: dict[str, int] = {}
    for h in scan.hits:
        counted[h.guard] = counted.get(h.guard, 0) + 1
    suppressed: dict[str, int] = {}
    for h, _ in scan.suppressed:
        suppressed[h.guard] = suppressed.get(h.guard, 0) + 1
    return {
        "mode": scan.mode,
        "engine": scan.engine,
        "files_scanned": scan.files_scanned,
        "skipped": dict(sorted((k, n) for k, n in scan.skipped.items() if n)) if scan.skip_counts else None,
        "guards": {
            g.id: {
                "hits": counted.get(g.id, 0),
                "suppressed": suppressed.get(g.id, 0),
                "test_code_skipped": scan.test_code.get(g.id, 0),
                "definition": guard_definition(g, program),
            }
            for g in program.guards
            if not g.sources or scan.source in g.sources
        },
    }


def build_record(
    program: Program,
    invariants: tuple[Invariant, ...],
    source: str,
    commit: str,
    recorded: dt.date,
    scan: SourceScan,
    catalog: Catalog,
    evidence: EvidenceResults,
    burndown: dict[str, Any] | None = None,
    runbooks: dict[str, Any] | None = None,
    adr: tuple[str, AdrFacts] | None = None,
) -> dict[str, Any]:
    """The record's content: everything a check needs to stand in for the absent source."""
    unreasoned = set(scan.unreasoned)
    endpoints: dict[str, Any] = {}
    for service in program.services:
        cat = catalog.services.get(service.id)
        if service.source != source or cat is None or not cat.live:
            continue
        endpoints[service.id] = {
            "kind": cat.kind,
            "endpoints": [e.as_dict() for e in sorted(set(cat.endpoints))],
            "problems": sorted({p.message for p in catalog.problems if p.service == service.id}),
        }
    ours = {e.id for inv in invariants for e in inv.evidence if e.source == source and e.kind in ("path", "test")}
    results = sorted(
        (r for r in evidence.results if r.evidence.id in ours and r.evidence.source == source),
        key=lambda r: (r.evidence.id, r.evidence.ref),
    )
    body: dict[str, Any] = {
        "schema": RECORD_SCHEMA,
        "source": source,
        "commit": commit,
        "recorded": recorded.isoformat(),
        "tool": f"gates {__version__}",
        "scan": _scan(scan, program),
        "hits": [_hit(h, **({"unreasoned": True} if h in unreasoned else {})) for h in sorted(scan.hits)],
        "suppressed": [_hit(h, reason=s.reason) for h, s in sorted(scan.suppressed, key=lambda x: x[0])],
        "endpoints": endpoints,
        "evidence": [
            {
                "id": r.evidence.id,
                "kind": r.evidence.kind,
                "ref": r.evidence.ref,
                "status": str(r.status),
                "detail": r.detail,
                "code": r.code,
            }
            for r in results
        ],
    }
    if burndown is not None:
        body["burndown"] = burndown
    if runbooks is not None:
        body["runbooks"] = runbooks
    if adr is not None:
        body["adr"] = {"path": adr[0], "title": adr[1].title, "status": adr[1].status, "date": adr[1].date}
    errors = validate_data(body, "record")
    if errors:
        raise RecordError(f"the record does not match its schema: {errors[0]}")
    return body


def dump_record(body: dict[str, Any]) -> str:
    """Stable bytes: sorted keys, two-space indent, UTF-8, one trailing newline."""
    return json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_record(root: Path, rel: str, text: str) -> Path:
    """Write the record atomically under the tracker root."""
    file = root / rel
    file.parent.mkdir(parents=True, exist_ok=True)
    tmp = file.with_name(file.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, file)
    return file
