"""A source record as typed values: the committed JSON file read, validated and confined to the tracker."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checks.endpoints.doc_refs import RecordedRunbooks
from checks.load.adr import AdrFacts
from checks.load.dates import parse_date
from checks.load.schema import validate_data
from checks.model import Guard, Program, Source
from checks.records.runbooks import parse_runbooks

RECORD_SCHEMA = 1
MAX_RECORD_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class RecordedHit:
    guard: str
    path: str
    line: int
    column: int
    text: str
    excerpt: str
    unreasoned: bool = False
    reason: str = ""


@dataclass(frozen=True)
class RecordedEvidence:
    id: str
    kind: str
    ref: str
    status: str
    detail: str
    code: str


@dataclass(frozen=True)
class RecordedService:
    kind: str
    endpoints: tuple[tuple[str, str, str, str], ...]  # (method, path, origin, condition)
    problems: tuple[str, ...]


@dataclass(frozen=True)
class GuardStats:
    hits: int
    suppressed: int
    test_code_skipped: int
    definition: str


@dataclass(frozen=True)
class SourceRecord:
    source: str
    commit: str
    recorded: dt.date
    tool: str
    file: str  # the record file, relative to the tracker root
    mode: str
    engine: str
    files_scanned: int
    skipped: dict[str, int] | None
    guards: dict[str, GuardStats]
    hits: tuple[RecordedHit, ...]
    suppressed: tuple[RecordedHit, ...]
    endpoints: dict[str, RecordedService]
    evidence: dict[str, RecordedEvidence]
    burndown: list[dict[str, Any]] = field(default_factory=list)
    runbooks: RecordedRunbooks | None = None  # None: the record holds no runbooks
    # The program's ADR when it lives in this source: its path and the facts it states (never its text).
    adr: tuple[str, AdrFacts] | None = None

    @property
    def label(self) -> str:
        """`source@commit`, the commit abbreviated to seven digits."""
        return f"{self.source}@{self.commit[:7]}"

    @property
    def notice(self) -> str:
        return f"as recorded at {self.label} on {self.recorded.isoformat()}"


@dataclass(frozen=True)
class RecordFile:
    """A source's record file as found: missing, unreadable (why, and the line when known) or loaded."""

    source: str
    path: str
    exists: bool
    record: SourceRecord | None = None
    problem: str = ""
    line: int = 0


def guard_definition(guard: Guard, program: Program) -> str:
    """A fingerprint of what decides a guard's hits: a different one means the record is out of date."""
    body = [
        guard.pattern,
        guard.regex,
        guard.word,
        guard.case_sensitive,
        list(guard.paths),
        list(guard.exclude),
        list(guard.sources),
        guard.test_code,
        list(guard.files),
        list(program.scan_exclude),
        program.scan_max_file_bytes,
    ]
    return hashlib.sha256(json.dumps(body).encode()).hexdigest()[:16]


def record_target(root: Path, rel: str) -> Path | None:
    """The record file `rel` under `root`, or None when it is absolute or leaves the tree."""
    if not rel or rel.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", rel) or "\0" in rel:
        return None
    if any(part == ".." for part in re.split(r"[\\/]", rel)):
        return None
    target = root / rel
    try:
        target.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):
        return None
    return target


def _hit(raw: dict[str, Any]) -> RecordedHit:
    return RecordedHit(
        raw["guard"],
        raw["path"],
        raw["line"],
        raw["column"],
        raw["text"],
        raw["excerpt"],
        bool(raw.get("unreasoned", False)),
        str(raw.get("reason", "")),
    )


def parse_record(data: dict[str, Any], file: str) -> SourceRecord:
    """The record from schema-valid data."""
    recorded = parse_date(data["recorded"])
    assert recorded is not None  # the schema's date format
    scan = data["scan"]
    burndown = data.get("burndown")
    return SourceRecord(
        source=data["source"],
        commit=data["commit"],
        recorded=recorded,
        tool=data["tool"],
        file=file,
        mode=scan["mode"],
        engine=scan["engine"],
        files_scanned=scan["files_scanned"],
        skipped=dict(scan["skipped"]) if scan["skipped"] is not None else None,
        guards={
            g: GuardStats(s["hits"], s["suppressed"], s["test_code_skipped"], s["definition"])
            for g, s in scan["guards"].items()
        },
        hits=tuple(_hit(h) for h in data["hits"]),
        suppressed=tuple(_hit(h) for h in data["suppressed"]),
        endpoints={
            s: RecordedService(
                e["kind"],
                tuple((x["method"], x["path"], x["origin"], x.get("condition", "")) for x in e["endpoints"]),
                tuple(e["problems"]),
            )
            for s, e in data["endpoints"].items()
        },
        evidence={
            e["id"]: RecordedEvidence(e["id"], e["kind"], e["ref"], e["status"], e["detail"], e["code"])
            for e in data["evidence"]
        },
        burndown=list(burndown["points"]) if isinstance(burndown, dict) else [],
        runbooks=parse_runbooks(data["runbooks"]) if "runbooks" in data else None,
        adr=(
            (data["adr"]["path"], AdrFacts(data["adr"]["title"], data["adr"]["status"], data["adr"]["date"]))
            if "adr" in data
            else None
        ),
    )


def load_record(root: Path, source: Source) -> RecordFile:
    """Read and validate the source's record file; an unusable one says why (it is then not used)."""
    rel = source.record_path
    target = record_target(root, rel)
    if target is None:
        return RecordFile(source.id, rel, True, problem=f"path {rel!r} must be a relative path inside the tracker")
    if not target.is_file():
        return RecordFile(source.id, rel, False)
    try:
        if target.stat().st_size > MAX_RECORD_BYTES:
            return RecordFile(source.id, rel, True, problem=f"is over {MAX_RECORD_BYTES // (1024 * 1024)} MiB")
        raw = target.read_bytes()
    except OSError as exc:
        return RecordFile(source.id, rel, True, problem=f"cannot be read ({exc.strerror or exc})")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return RecordFile(source.id, rel, True, problem="is not UTF-8")
    except json.JSONDecodeError as exc:
        return RecordFile(source.id, rel, True, problem=f"is not valid JSON ({exc.msg})", line=exc.lineno)
    except RecursionError:
        return RecordFile(source.id, rel, True, problem="is nested too deeply to read")
    errors = validate_data(data, "record")
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        return RecordFile(source.id, rel, True, problem=f"does not match the record schema: {errors[0]}{more}")
    if data["source"] != source.id:
        return RecordFile(source.id, rel, True, problem=f"records source {data['source']!r}, not {source.id!r}")
    return RecordFile(source.id, rel, True, record=parse_record(data, rel))
