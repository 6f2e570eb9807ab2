"""Recorded source evaluations: a source's guard hits, endpoints, runbooks, evidence and burndown at one commit.

`gates record` writes one JSON file per source; a run without the source's tree reads it instead
of reporting the source's checks as not run. It sits below the engine: the run's context decides
per source whether it is live, recorded or absent, and hands the replayed results to the analyses.
"""

from checks.records.model import (
    RECORD_SCHEMA,
    GuardStats,
    RecordedEvidence,
    RecordedHit,
    RecordedService,
    RecordFile,
    SourceRecord,
    guard_definition,
    load_record,
    record_target,
)
from checks.records.replay import evidence_lookup, recorded_catalogs, recorded_runbooks, recorded_scan, stale_guards
from checks.records.runbooks import runbooks_body, source_patterns, stale_runbooks
from checks.records.state import SourceMode, SourceState, recorded_notice, resolve_states
from checks.records.write import RecordError, build_record, dump_record, write_record

__all__ = [
    "RECORD_SCHEMA",
    "GuardStats",
    "RecordError",
    "RecordFile",
    "RecordedEvidence",
    "RecordedHit",
    "RecordedService",
    "SourceMode",
    "SourceRecord",
    "SourceState",
    "build_record",
    "dump_record",
    "evidence_lookup",
    "guard_definition",
    "load_record",
    "record_target",
    "recorded_catalogs",
    "recorded_notice",
    "recorded_runbooks",
    "recorded_scan",
    "resolve_states",
    "runbooks_body",
    "source_patterns",
    "stale_guards",
    "stale_runbooks",
    "write_record",
]
