"""The legacy-symbol burndown: guard hits in a source at sampled commits, and where each count changed.

Hits are counted from git objects (checks/history/counting.py), each commit once: the first in
full, every other from the nearest commit already counted and the files that differ. The exact
commits where a count changed are found by bisection between samples that differ.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from checks import __version__
from checks.history.cache import Cache
from checks.history.counting import FileCounts, Missing, changed_files, compiled_guards, count_files, totals
from checks.history.git import Commit, commits, sample
from checks.model import Program
from checks.scan.guards import applicable_guards


def _counts_shape(value: dict[str, Any]) -> bool:
    """A cached count is guard id -> a non-negative whole number, nothing else."""
    return all(isinstance(k, str) and type(v) is int and v >= 0 for k, v in value.items())


def burndown(
    src: Path,
    source: str,
    program: Program,
    since: dt.date | None,
    until: dt.date | None,
    max_points: int,
    cache_root: Path,
    progress: Callable[[int, int], None] | None = None,
    rev: str = "HEAD",
    keep: tuple[str, ...] = (),
    missing: Missing | None = None,
) -> list[dict[str, Any]]:
    """Guard hit counts at evenly sampled commits up to `rev`, plus every commit where a count changed.

    Commits whose id starts with one of `keep` (milestones) are counted too, so they can be marked.
    Blobs git could not read are added to `missing`; counts made without them are not cached.
    `progress(done, total)` follows the commits counted: the samples first, and the total grows as
    bisection asks for more.
    """
    unread: Missing = set() if missing is None else missing
    history = commits(src, (), since, until, rev)
    if not history:
        return []
    compiled = compiled_guards(program, source)
    guard_key = hashlib.sha256(
        json.dumps(
            [
                [
                    c.guard.id,
                    c.guard.pattern,
                    c.guard.regex,
                    c.guard.word,
                    c.guard.case_sensitive,
                    c.guard.paths,
                    c.guard.exclude,
                    c.guard.sources,
                    c.guard.test_code,
                    list(c.guard.files),
                ]
                for c in compiled
            ]
            # "testcode-1": counts leave test code out (bump when what counts as test code changes).
            + [list(program.scan_exclude), program.scan_max_file_bytes, __version__, "testcode-1"]
        ).encode()
    ).hexdigest()[:16]
    cache = Cache(cache_root, f"burndown-{guard_key}", _counts_shape)
    index = {c.sha: i for i, c in enumerate(history)}
    counted: dict[str, dict[str, int]] = {}
    how: dict[str, str] = {}

    per_file: dict[str, FileCounts] = {}

    def files_at(commit: Commit) -> FileCounts:
        # From the nearest commit counted per file: only the files that differ are counted again.
        base = min(per_file, key=lambda sha: abs(index[sha] - index[commit.sha]), default=None)
        changed = changed_files(src, base, commit.sha) if base is not None else None
        if base is None or changed is None:
            files = count_files(src, source, commit.sha, program, compiled, missing=unread)
        else:
            files = {p: c for p, c in per_file[base].items() if p not in changed}
            scoped = [p for p in sorted(changed) if applicable_guards(p, source, compiled, program.scan_exclude)]
            files.update(count_files(src, source, commit.sha, program, compiled, scoped, unread))
        per_file[commit.sha] = files
        return files

    samples = sample(history, max_points)
    # Samples and milestones are known up front; bisection adds to them as counts differ.
    planned = {c.sha for c in samples} | {c.sha for c in history if any(k and c.sha.startswith(k) for k in keep)}

    def count(commit: Commit) -> dict[str, int]:
        if commit.sha not in counted:
            planned.add(commit.sha)
            cached = cache.get(commit.sha)
            if cached is None:
                cached = totals(files_at(commit), compiled)
                if not unread:
                    # A count that could not read every blob (nor any count built on it) is not kept.
                    cache.put(commit.sha, cached)
            counted[commit.sha] = {k: int(v) for k, v in cached.items()}
            if progress:
                progress(len(counted), len(planned))
        return counted[commit.sha]

    for commit in samples:
        count(commit)
        how[commit.sha] = "sample"

    def bisect(lo: int, hi: int) -> None:
        # Counts differ between history[lo] and history[hi]: find each commit where they change.
        if hi - lo <= 1:
            how.setdefault(history[hi].sha, "change")
            return
        mid = (lo + hi) // 2
        middle = count(history[mid])
        if middle != count(history[lo]):
            bisect(lo, mid)
        if middle != count(history[hi]):
            bisect(mid, hi)

    for a, b in itertools.pairwise(samples):
        if count(a) != count(b):
            bisect(index[a.sha], index[b.sha])
    for commit in history:
        if any(k and commit.sha.startswith(k) for k in keep):
            count(commit)
            how.setdefault(commit.sha, "milestone")
    points = []
    for commit in history:
        if commit.sha in how:
            points.append(
                {
                    "commit": commit.sha,
                    "date": commit.day(program.timezone).isoformat(),
                    "found_by": how[commit.sha],
                    "counts": counted[commit.sha],
                }
            )
    return points
