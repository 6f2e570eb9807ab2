"""The tracker's history: each commit that changed `data/`, evaluated as of its own commit date."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from checks import __version__
from checks.core.context import Context, Options
from checks.core.engine import run
from checks.history.cache import Cache
from checks.history.git import Commit, commits, read_blobs, sample, tree_files
from checks.load.workspace import DATA_FILES
from checks.model.workspace import load_workspace
from checks.rules import all_rules

HISTORY_CODES = ("DATA", "EXC", "EVID")
# Bumped whenever a point's shape changes, so cached points from an older shape are recomputed.
POINT_FORMAT = 2


def evaluate_commit(root: Path, commit: Commit, cache: Cache) -> dict[str, Any] | None:
    """The program as it stood at `commit`, evaluated with the commit's date as today."""
    key = f"{commit.sha}-{__version__}-{POINT_FORMAT}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    blobs = read_blobs(root, commit.sha, list(DATA_FILES.values()))
    if blobs[DATA_FILES["program"]] is None:
        return None
    overrides = {name: blobs[rel] for name, rel in DATA_FILES.items() if blobs[rel] is not None}
    workspace = load_workspace(root, overrides)  # type: ignore[arg-type]
    today = commit.day(workspace.program.timezone)
    ctx = Context(workspace, Options(today=today, offline=True, tracker_files=tree_files(root, commit.sha)))
    codes = {r.code for r in all_rules() if r.family in HISTORY_CODES}
    # Only the rules that read nothing but the data files at that commit run (the sources, runbooks
    # and catalog of that day are not at hand), so the point states no closure verdict.
    report = run(ctx, all_rules(), codes, closure=False)
    closure = report.closure
    point = {
        "commit": commit.sha,
        "date": today.isoformat(),
        "closure_evaluated": False,
        "percent": None,
        "closed": None,
        "active_exceptions": sorted(s.id for s in closure.exceptions if s.waiver.active),
        "exception_states": {s.id: s.state for s in closure.exceptions},
        "findings": report.summary,
        "codes": dict(Counter(f.code for f in report.findings)),
    }
    cache.put(key, point)
    return point


def _point_shape(point: dict[str, Any]) -> bool:
    """What `evaluate_commit` writes; a cached point of another shape (forged, older) is recomputed."""
    findings, states, codes = point.get("findings"), point.get("exception_states"), point.get("codes")
    return (
        isinstance(point.get("commit"), str)
        and isinstance(point.get("date"), str)
        and point.get("closure_evaluated") is False
        and point.get("percent") is None
        and isinstance(point.get("active_exceptions"), list)
        and all(isinstance(x, str) for x in point["active_exceptions"])
        and isinstance(states, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in states.items())
        and isinstance(findings, dict)
        and all(type(findings.get(k)) is int for k in ("error", "warning", "info"))
        and isinstance(codes, dict)
        and all(isinstance(k, str) and type(v) is int for k, v in codes.items())
    )


def tracker_history(
    root: Path,
    since: dt.date | None,
    until: dt.date | None,
    max_points: int,
    progress: Callable[[int, int], None] | None = None,
) -> list[dict[str, Any]]:
    """Each sampled commit that changed data/, evaluated; `progress(done, total)` after each one."""
    changes = commits(root, ("data",), since, until)
    cache = Cache(root, "tracker", _point_shape)
    points = []
    chosen = sample(changes, max_points)
    for i, commit in enumerate(chosen):
        point = evaluate_commit(root, commit, cache)
        if point is not None:
            points.append(point)
        if progress:
            progress(i + 1, len(chosen))
    return points
