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
from checks.history.git import Commit, commits, read_blobs, sample
from checks.model import Program
from checks.scan.guards import CompiledGuard, Hit, SourceScan, applicable_guards, compile_guard, record_line_hits
from checks.scan.testcode import TEST_FILE_GLOBS, first_test_line, in_spans, is_test_file, rust_test_lines
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


def _git_glob(glob: str) -> str | None:
    """A Gates glob as a git glob pathspec body, or None when git would read it differently."""
    glob = glob.strip().removeprefix("./").lstrip("/").rstrip("/")
    return glob if glob and "\\" not in glob else None


def pathspecs(compiled: list[CompiledGuard], program: Program) -> list[str]:
    """`git grep` pathspecs selecting a superset of the files in some guard's scope (Python re-checks each hit).

    Included: the guards' paths (everything when one guard scans "**"); excluded: the program's
    excludes, the excludes every guard shares, and test files when no guard counts test code. A
    Gates glob naming a folder matches what is below it, hence each glob twice (`G` and `G/**`).
    """
    specs: list[str] = []
    paths = {p for c in compiled for p in c.guard.paths}
    included = [_git_glob(p) for p in sorted(paths)]
    if paths and "**" not in paths and all(included):
        specs += [f":(glob){g}{tail}" for g in included if g for tail in ("", "/**")]
    else:
        specs.append(":(glob)**")
    shared = set.intersection(*(set(c.guard.exclude) for c in compiled)) if compiled else set()
    tests = TEST_FILE_GLOBS if all(c.guard.test_code != "include" for c in compiled) else ()
    for glob in dict.fromkeys([*program.scan_exclude, *sorted(shared), *tests]):
        converted = _git_glob(glob)
        if converted:
            tails = ("",) if converted.endswith("/**") else ("", "/**")
            specs += [f":(exclude,glob){converted}{tail}" for tail in tails]
    return specs


def _blobs(src: Path, sha: str, paths: list[str]) -> dict[str, tuple[int, str]]:
    """Size and blob id at `sha` of the files with a candidate line only (never a listing of the whole tree).

    Symbolic links, submodules and blobs missing from a partial clone are left out: they are not read.
    """
    found: dict[str, tuple[int, str]] = {}
    for start in range(0, len(paths), 1000):
        chunk = paths[start : start + 1000]
        out = run_git(src, "--literal-pathspecs", "ls-tree", "-r", "-l", "-z", sha, "--", *chunk)
        for entry in out.split(b"\0"):
            meta, _, raw_path = entry.partition(b"\t")
            if not entry or meta.count(b" ") < 3:
                continue
            mode, _kind, obj, size = meta.split()
            if mode != b"120000" and size.isdigit():
                found[raw_path.decode(errors="surrogateescape")] = (int(size), obj.decode())
    return found


def count_hits(src: Path, source: str, sha: str, program: Program, compiled: list[CompiledGuard]) -> dict[str, int]:
    """Each guard's hits at `sha`, with the same paths, exclusions and suppressions as a live scan."""
    scan = SourceScan(source, src, "git", "git-grep")
    counts = {c.guard.id: 0 for c in compiled}
    if not compiled:
        return counts
    # Exit 1 means nothing matched. Symbolic links are not searched (git grep reads no link as a file).
    out = run_git(
        src,
        "grep",
        "-z",
        "-n",
        "-I",
        "-P",
        "--no-color",
        *_grep_args(compiled),
        sha,
        "--",
        *pathspecs(compiled, program),
        ok=(0, 1),
    )
    lines: list[tuple[str, int, bytes]] = []
    for raw in out.split(b"\n"):
        if not raw:
            continue
        name, _, rest = raw.partition(b"\0")
        number, _, text = rest.partition(b"\0")
        lines.append((name.decode(errors="surrogateescape").split(":", 1)[1], int(number), text))
    blobs = _blobs(src, sha, sorted({path for path, _, _ in lines}))
    applicable: dict[str, list[CompiledGuard]] = {}
    for path, lineno, text in lines:
        if path not in blobs or blobs[path][0] > program.scan_max_file_bytes:
            continue
        if path not in applicable:
            applicable[path] = applicable_guards(path, source, compiled, program.scan_exclude)
        if applicable[path]:
            record_line_hits(
                source, path, lineno, text.decode("utf-8", errors="replace").rstrip("\r"), applicable[path], scan
            )
    include = {c.guard.id for c in compiled if c.guard.test_code == "include"}
    spans = _rust_spans(src, sha, [h for h in scan.hits if h.guard not in include], blobs)
    for hit in scan.hits:
        in_test = hit.guard not in include and (is_test_file(hit.path) or in_spans(hit.line, spans.get(hit.path, [])))
        if not in_test:
            counts[hit.guard] += 1
    return counts


# Per blob: the first line a test item could start on, and its test spans once parsed (None before).
_BLOB_SPANS: dict[str, tuple[int | None, list[tuple[int, int]] | None]] = {}


def _rust_spans(
    src: Path, sha: str, hits: list[Hit], blobs: dict[str, tuple[int, str]]
) -> dict[str, list[tuple[int, int]]]:
    """The Rust test items of the files with hits, as a live scan finds them, per file at `sha`.

    Keyed by blob id, so a file unchanged between commits is read and parsed once, and parsed at
    all only when one of its hits lies at or below its first test attribute.
    """
    lowest: dict[str, int] = {}
    for hit in hits:
        if hit.path.endswith(".rs") and not is_test_file(hit.path):
            lowest[hit.path] = max(lowest.get(hit.path, 0), hit.line)
    out: dict[str, list[tuple[int, int]]] = {}
    unread = []
    for path, line in lowest.items():
        known = _BLOB_SPANS.get(blobs[path][1])
        if known is None or (known[1] is None and known[0] is not None and line >= known[0]):
            unread.append(path)
        else:
            out[path] = known[1] or []
    for path, data in (read_blobs(src, sha, sorted(unread)) if unread else {}).items():
        first = first_test_line(data or b"")
        parsed = rust_test_lines(data) if data and first is not None and lowest[path] >= first else None
        _BLOB_SPANS[blobs[path][1]] = (first, parsed)
        out[path] = parsed or []
    return out


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
    cache = Cache(cache_root, f"burndown-{guard_key}", _counts_shape)
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
