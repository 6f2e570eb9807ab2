"""A record replayed as the analyses' own results: a guard scan, service catalogs and evidence results."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path

from checks.endpoints.doc_refs import RecordedRunbooks
from checks.endpoints.records import CatalogProblem, Endpoint, ServiceCatalog
from checks.evidence.results import UNCHECKED, EvidenceResult, EvidenceStatus
from checks.model import Evidence, Program
from checks.records.model import RecordedHit, SourceRecord, guard_definition
from checks.records.state import SourceState
from checks.scan.guards.hits import Hit, SourceScan, Suppression


def _applies(program: Program, guard_id: str, source: str) -> bool:
    guard = program.guard(guard_id)
    return guard is not None and (not guard.sources or source in guard.sources)


def _hit(record: SourceRecord, h: RecordedHit) -> Hit:
    return Hit(record.source, h.path, h.line, h.column, h.guard, h.text, h.excerpt)


def recorded_scan(record: SourceRecord, program: Program, root: Path) -> SourceScan:
    """The guard scan the record holds, for the guards the program still has for this source."""
    scan = SourceScan(
        record.source,
        root / record.file,
        "recorded",
        f"{record.mode}, {record.engine} at {record.label} on {record.recorded.isoformat()}",
    )
    scan.files_scanned = record.files_scanned
    scan.skip_counts = record.skipped is not None
    scan.skipped = Counter(record.skipped or {})
    for h in record.hits:
        if not _applies(program, h.guard, record.source):
            continue
        hit = _hit(record, h)
        scan.hits.append(hit)
        if h.unreasoned:
            scan.unreasoned.append(hit)
    for h in record.suppressed:
        if _applies(program, h.guard, record.source):
            scan.suppressed.append(
                (_hit(record, h), Suppression(record.source, h.path, h.line, h.guard, h.reason, h.excerpt))
            )
    scan.test_code = Counter(
        {g: s.test_code_skipped for g, s in record.guards.items() if _applies(program, g, record.source)}
    )
    return scan


def stale_guards(record: SourceRecord, program: Program) -> list[str]:
    """Guards for this source that were added, changed or removed since the record was made."""
    out = []
    current = {g.id: g for g in program.guards if not g.sources or record.source in g.sources}
    for guard_id, guard in sorted(current.items()):
        stats = record.guards.get(guard_id)
        if stats is None:
            out.append(f"guard {guard_id!r} was added")
        elif stats.definition != guard_definition(guard, program):
            out.append(f"guard {guard_id!r} changed")
    out += [f"guard {g!r} was removed" for g in sorted(set(record.guards) - set(current))]
    return out


def recorded_catalogs(
    states: Mapping[str, SourceState], program: Program
) -> dict[str, tuple[ServiceCatalog, list[CatalogProblem]]]:
    """Each service of a recorded source that the record holds: its catalog and extraction problems."""
    out: dict[str, tuple[ServiceCatalog, list[CatalogProblem]]] = {}
    for service in program.services:
        state = states.get(service.source) if service.source else None
        record = state.record if state else None
        entry = record.endpoints.get(service.id) if record else None
        if record is None or entry is None:
            continue
        endpoints = sorted(
            {
                Endpoint(service.id, path, method, origin, condition)
                for method, path, origin, condition in entry.endpoints
            }
        )
        catalog = ServiceCatalog(
            service.id,
            endpoints,
            entry.kind,
            False,
            source=record.source,
            commit=record.commit,
            generated=record.recorded.isoformat(),
            record=record.file,
        )
        out[service.id] = (catalog, [CatalogProblem(service.id, p) for p in entry.problems])
    return out


def recorded_runbooks(states: Mapping[str, SourceState]) -> dict[str, RecordedRunbooks]:
    """The runbooks each recorded source's record holds, replayed by the runbook scan."""
    return {
        source_id: state.record.runbooks
        for source_id, state in states.items()
        if state.record is not None and state.record.runbooks is not None
    }


def evidence_lookup(states: Mapping[str, SourceState]) -> Callable[[Evidence], EvidenceResult | None]:
    """For an item of an absent source: its recorded result, or unchecked when the record has none."""

    def lookup(e: Evidence) -> EvidenceResult | None:
        state = states.get(e.source)
        record = state.record if state else None
        if record is None:
            return None
        found = record.evidence.get(e.id)
        if found is None or found.kind != e.kind or found.ref != e.ref:
            return EvidenceResult(
                e,
                UNCHECKED,
                f"not checked: source {e.source!r} is absent and its record ({record.label}) holds no result "
                "for this item as written; re-record it",
                "EVID005",
            )
        return EvidenceResult(e, EvidenceStatus(found.status), f"{found.detail} ({record.notice})", found.code)

    return lookup
