"""The legacy-symbol burndown: guard hits in a source at sampled commits, and where each count changed.

Hits are counted with `git grep` against each commit's tree (the Python guard expressions decide
every hit, as in a live scan); the exact commits where a count changed are found by bisection
between samples that differ.
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
from checks.history.git import Commit, commits, sample
from checks.model import Program
from checks.scan.guards import CompiledGuard, SourceScan, applicable_guards, compile_guard, record_line_hits
from checks.scan.testcode import in_spans, is_test_file, rust_test_lines
from checks.scan.trees import run_git


def _compiled(program: Program, source: str) -> list[CompiledGuard]:
    out = []
    for guard in program.guards:
        regex, _error = compile_guard(guard)
        if regex is not None and (not guard.sources or source in guard.sources):
            out.append(CompiledGuard(guard, regex))
    return out


def _grep_args(compiled: list[CompiledGuard]) -> list[str]:
    args = []
    for c in compiled:
        body = c.guard.pattern if c.guard.regex else "\\Q" + c.guard.pattern.replace("\\E", "\\E\\\\E\\Q") + "\\E"
        args += ["-e", ("(?i)" if not c.guard.case_sensitive else "") + body]
    return args


def count_hits(src: Path, source: str, sha: str, program: Program, compiled: list[CompiledGuard]) -> dict[str, int]:
    """Each guard's hits at `sha`, with the same paths, exclusions and suppressions as a live scan."""
    sizes: dict[str, int] = {}
    for entry in run_git(src, "ls-tree", "-r", "-l", "-z", sha).split(b"\0"):
        if not entry:
            continue
        meta, _, raw_path = entry.partition(b"\t")
        mode, _kind, _obj, size = meta.split()
        if mode == b"120000" or not size.isdigit():
            continue  # symlinks, submodules ("-") and blobs missing from a partial clone ("BAD") are not read
        sizes[raw_path.decode(errors="surrogateescape")] = int(size)
    scan = SourceScan(source, src, "git", "git-grep")
    counts = {c.guard.id: 0 for c in compiled}
    if not compiled:
        return counts
    # Exit 1 means nothing matched.
    out = run_git(src, "grep", "-z", "-n", "-I", "-P", "--no-color", *_grep_args(compiled), sha, "--", ok=(0, 1))
    applicable: dict[str, list[CompiledGuard]] = {}
    for line in out.split(b"\n"):
        if not line:
            continue
        name, _, rest = line.partition(b"\0")
        number, _, text = rest.partition(b"\0")
        path = name.decode(errors="surrogateescape").split(":", 1)[1]
        if sizes.get(path, 0) > program.scan_max_file_bytes or path not in sizes:
            continue
        if path not in applicable:
            applicable[path] = applicable_guards(path, source, compiled, program.scan_exclude)
        if applicable[path]:
            record_line_hits(
                source, path, int(number), text.decode("utf-8", errors="replace").rstrip("\r"), applicable[path], scan
            )
    for hit in scan.hits:
        if not _in_test_code(src, sha, hit.path, hit.line, hit.guard, compiled):
            counts[hit.guard] += 1
    return counts


def _in_test_code(src: Path, sha: str, path: str, line: int, guard: str, compiled: list[CompiledGuard]) -> bool:
    """As a live scan decides it: a test file, or a Rust test item in the file as it was at `sha`."""
    if any(c.guard.id == guard and c.guard.test_code == "include" for c in compiled):
        return False
    if is_test_file(path):
        return True
    if not path.endswith(".rs"):
        return False
    return in_spans(line, _rust_spans_at(src, sha, path))


_SPANS: dict[tuple[str, str, str], list[tuple[int, int]]] = {}


def _rust_spans_at(src: Path, sha: str, path: str) -> list[tuple[int, int]]:
    key = (str(src), sha, path)
    if key not in _SPANS:
        _SPANS[key] = rust_test_lines(run_git(src, "cat-file", "blob", f"{sha}:{path}", ok=(0, 128)))
    return _SPANS[key]


def burndown(
    src: Path,
    source: str,
    program: Program,
    since: dt.date | None,
    until: dt.date | None,
    max_points: int,
    cache_root: Path,
    progress: Callable[[str], None] | None = None,
    rev: str = "HEAD",
    keep: tuple[str, ...] = (),
) -> list[dict[str, Any]]:
    """Guard hit counts at evenly sampled commits up to `rev`, plus every commit where a count changed.

    Commits whose id starts with one of `keep` (milestones) are counted too, so they can be marked.
    """
    history = commits(src, (), since, until, rev)
    if not history:
        return []
    compiled = _compiled(program, source)
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
                ]
                for c in compiled
            ]
            # "testcode-1": counts leave test code out (bump when what counts as test code changes).
            + [list(program.scan_exclude), program.scan_max_file_bytes, __version__, "testcode-1"]
        ).encode()
    ).hexdigest()[:16]
    cache = Cache(cache_root, f"burndown-{guard_key}")
    index = {c.sha: i for i, c in enumerate(history)}
    counted: dict[str, dict[str, int]] = {}
    how: dict[str, str] = {}

    def count(commit: Commit) -> dict[str, int]:
        if commit.sha not in counted:
            cached = cache.get(commit.sha)
            if cached is None:
                if progress:
                    progress(f"counting guard hits at {commit.sha[:10]}")
                cached = count_hits(src, source, commit.sha, program, compiled)
                cache.put(commit.sha, cached)
            counted[commit.sha] = {k: int(v) for k, v in cached.items()}
        return counted[commit.sha]

    samples = sample(history, max_points)
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
