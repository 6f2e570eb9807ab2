"""Each source's state in a run: live (a tree was given), recorded (its record is used) or absent.

A live tree always wins. An absent source falls back to its record only when the record reads,
matches its schema and, when the source is pinned, was made at the pinned commit (fail closed:
otherwise the source stays absent and its checks are reported as not run).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from checks.model import Program, Source
from checks.records.model import RecordFile, SourceRecord, load_record
from checks.scan.trees import head_commit, is_git_tree


class SourceMode(enum.StrEnum):
    LIVE = "live"
    RECORDED = "recorded"
    ABSENT = "absent"


@dataclass(frozen=True)
class SourceState:
    source: Source
    mode: SourceMode
    path: Path | None = None
    commit: str = ""
    record_file: RecordFile | None = None

    @property
    def id(self) -> str:
        return self.source.id

    @property
    def record(self) -> SourceRecord | None:
        """The record in use: only when the source is recorded."""
        if self.mode is SourceMode.RECORDED and self.record_file is not None:
            return self.record_file.record
        return None

    @property
    def pin_mismatch(self) -> bool:
        """A readable record whose commit is not the source's pin (it is then not used)."""
        record = self.record_file.record if self.record_file else None
        return bool(self.source.pin and record is not None and record.commit != self.source.pin)

    def as_dict(self) -> dict[str, object]:
        record = self.record
        return {
            "state": str(self.mode),
            "commit": self.commit or None,
            "recorded": record.recorded.isoformat() if record else None,
            **({"record": record.file} if record else {}),
        }


def resolve_states(
    program: Program, root: Path, source_paths: Mapping[str, Path | None], history: bool = False
) -> dict[str, SourceState]:
    """Live, recorded or absent for every configured source (history mode reads no record)."""
    out: dict[str, SourceState] = {}
    for source in program.sources:
        path = source_paths.get(source.id)
        if path is not None:
            file = None if history else load_record(root, source)
            commit = head_commit(path) if is_git_tree(path) else ""
            out[source.id] = SourceState(source, SourceMode.LIVE, path, commit, file)
            continue
        if history:
            out[source.id] = SourceState(source, SourceMode.ABSENT)
            continue
        file = load_record(root, source)
        state = SourceState(source, SourceMode.ABSENT, record_file=file)
        if file.record is not None and not state.pin_mismatch:
            state = SourceState(source, SourceMode.RECORDED, None, file.record.commit, file)
        out[source.id] = state
    return out


def recorded_notice(states: Mapping[str, SourceState]) -> str:
    """One line naming the sources read from a record, or "" when none is."""
    return "; ".join(f"{s.id}: {s.record.notice}" for s in states.values() if s.record is not None)
