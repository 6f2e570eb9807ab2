"""The options of one run (from the command line or a site build), and where each source's tree is.

Kept apart from `checks.core.context` so a run can resolve its sources and start scanning them
before the rules and everything they read are imported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from checks.model.program import Program


@dataclass
class Options:
    today: dt.date | None = None
    offline: bool = False
    strict: bool = False
    sources: dict[str, str] = field(default_factory=dict)
    progress: bool = False
    # Colour in human-readable output (the command line decides: --color, NO_COLOR, a terminal).
    color: bool = False
    # History mode: the tracker as it stood at a commit (its file list), with every source absent.
    tracker_files: frozenset[str] | None = None


def resolve_sources(program: Program, root: Path, options: Options) -> dict[str, Path | None]:
    """Each configured source's tree, or None when it is absent (given on the command line wins)."""
    if options.tracker_files is not None:
        return dict.fromkeys((s.id for s in program.sources), None)
    out: dict[str, Path | None] = {}
    for source in program.sources:
        raw = options.sources.get(source.id, source.path)
        if raw is None:
            out[source.id] = None
            continue
        path = Path(raw).expanduser()
        if not path.is_absolute():
            path = (Path.cwd() if source.id in options.sources else root) / path
        out[source.id] = path.resolve() if path.is_dir() else None
    return out
