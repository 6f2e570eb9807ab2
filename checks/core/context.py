"""What every rule sees: the loaded program, the options and lazily computed shared results.

Expensive work (tree scans, catalog extraction, URL checks) runs at most once per run and only
when a selected rule asks for it.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from checks.load.dates import today_in
from checks.model import Program
from checks.model.options import Options, resolve_sources
from checks.model.scope import Scope
from checks.model.workspace import Workspace
from checks.policy.coverage import Covers
from checks.policy.waivers import WaiverState, evaluate_all

__all__ = ["Context", "Options", "resolve_sources"]

if TYPE_CHECKING:
    from checks.endpoints.drift import DriftAnalysis
    from checks.evidence.verify import EvidenceResults
    from checks.records import SourceState
    from checks.scan.guards import GuardScan, PendingScan


class Context:
    def __init__(
        self, workspace: Workspace, options: Options | None = None, guard_scan: PendingScan | None = None
    ) -> None:
        self.workspace = workspace
        self.options = options or Options()
        # A guard scan started before validation (see start_guard_scan), so it overlaps the rest.
        self._guard_future = guard_scan

    @property
    def root(self) -> Path:
        return self.workspace.root

    @property
    def program(self) -> Program:
        return self.workspace.program

    @cached_property
    def today(self) -> dt.date:
        return self.options.today or today_in(self.workspace.program.timezone)

    @cached_property
    def source_paths(self) -> dict[str, Path | None]:
        return resolve_sources(self.workspace.program, self.root, self.options)

    @cached_property
    def source_states(self) -> dict[str, SourceState]:
        """Per source: live (a tree is given), recorded (its record stands in) or absent."""
        from checks.records import resolve_states

        history = self.options.tracker_files is not None
        return resolve_states(self.workspace.program, self.root, self.source_paths, history)

    @cached_property
    def waiver_states(self) -> dict[int, WaiverState]:
        return evaluate_all(self.workspace.waivers, self.workspace.program, self.today)

    @cached_property
    def scope(self) -> Scope:
        return Scope(
            root=self.root,
            program=self.program,
            invariants=self.workspace.invariants,
            today=self.today,
            source_paths=self.source_paths,
            offline=self.options.offline,
            progress=self.options.progress,
            tracker_files=self.options.tracker_files,
        )

    @cached_property
    def covers(self) -> Covers:
        return Covers(self.program, self.workspace.waivers, self.waiver_states)

    @cached_property
    def guard_scan(self) -> GuardScan:
        """The live scan of present sources, with each recorded source's scan replayed from its record."""
        from checks.records import recorded_scan

        if self._guard_future is not None:
            scan = self._guard_future.result()
        else:
            from checks.scan.guards import scan_guards

            scan = scan_guards(self.program, self.source_paths, self.options.progress)
        for source_id, state in self.source_states.items():
            if state.record is not None and source_id in scan.sources and scan.sources[source_id] is None:
                scan.sources[source_id] = recorded_scan(state.record, self.program, self.root)
        return scan

    @cached_property
    def drift(self) -> DriftAnalysis:
        from checks.endpoints.drift import analyse
        from checks.records import recorded_catalogs, recorded_runbooks

        states = self.source_states
        return analyse(self.scope, recorded_catalogs(states, self.program), recorded_runbooks(states))

    @cached_property
    def evidence(self) -> EvidenceResults:
        from checks.evidence.verify import verify_evidence
        from checks.records import evidence_lookup

        return verify_evidence(self.scope, evidence_lookup(self.source_states))
