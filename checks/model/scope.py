"""What the derived analyses read: the tracker, its program, the source trees and the run's switches.

Catalog extraction, drift and evidence verification take a `Scope` rather than the rule context, so
they sit below the engine and never import it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from checks.model.invariants import Invariant
from checks.model.program import Program


@dataclass(frozen=True)
class Scope:
    root: Path
    program: Program
    invariants: tuple[Invariant, ...]
    today: dt.date
    source_paths: Mapping[str, Path | None]
    offline: bool = False
    progress: bool = False
    # History mode: the tracker as it stood at a commit (its file list), with every source absent.
    tracker_files: frozenset[str] | None = None
