"""Closure over time, and the legacy-symbol burndown, read from git without checking anything out.

The tracker's history: every commit that changed `data/` is evaluated as of its own commit date,
with the data read from git's object store and evidence paths checked against that commit's tree.
The burndown: guard hits in a source repository at sampled commits, counted with `git grep`
against each commit's tree (the Python guard expressions decide every hit, as in a live scan),
plus the exact commits where a count changed, found by bisection between samples that differ.
Results are cached per commit under `.gates-cache/history/`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checks import __version__
from checks.core.context import Context, Options
from checks.core.engine import run
from checks.load.workspace import DATA_FILES
from checks.model import Program
from checks.model.workspace import load_workspace
from checks.rules import all_rules
from checks.scan.guards import CompiledGuard, SourceScan, applicable_guards, compile_guard, record_line_hits
from checks.scan.trees import GitError, run_git

CACHE = Path(".gates-cache") / "history"
HISTORY_CODES = ("DATA", "EXC", "EVID")


@dataclass(frozen=True)
class Commit:
    sha: str
    when: dt.datetime

    def day(self, timezone: str) -> dt.date:
        from checks.load.dates import today_in

        return today_in(timezone, self.when)


def commits(
    root: Path, paths: tuple[str, ...] = (), since: dt.date | None = None, until: dt.date | None = None
) -> list[Commit]:
    """First-parent commits, oldest first, optionally only those touching `paths`."""
    args = ["log", "--first-parent", "--reverse", "--format=%H %cI"]
    if since:
        args.append(f"--since={since.isoformat()}T00:00:00")
    if until:
        args.append(f"--until={until.isoformat()}T23:59:59")
    args.append("HEAD")
    if paths:
        args += ["--", *paths]
    out = []
    for line in run_git(root, *args).decode().splitlines():
        sha, _, when = line.partition(" ")
        out.append(Commit(sha, dt.datetime.fromisoformat(when)))
    return out


def is_repository(root: Path) -> bool:
    try:
        run_git(root, "rev-parse", "--git-dir")
    except GitError:
        return False
    return True


def sample(items: list[Commit], count: int) -> list[Commit]:
    """`count` items evenly over the list, always keeping the first and the last."""
    if count <= 0 or len(items) <= count:
        return list(items)
    if count == 1:
        return [items[-1]]
    picks = {round(i * (len(items) - 1) / (count - 1)) for i in range(count)}
    return [items[i] for i in sorted(picks)]


def read_blobs(root: Path, sha: str, paths: list[str]) -> dict[str, bytes | None]:
    """The contents of `paths` at `sha` in one `git cat-file --batch` call (None where missing)."""
    request = "".join(f"{sha}:{p}\n" for p in paths).encode()
    out = run_git(root, "cat-file", "--batch", data=request)
    result: dict[str, bytes | None] = {}
    pos = 0
    for path in paths:
        end = out.index(b"\n", pos)
        header = out[pos:end].decode(errors="replace")
        pos = end + 1
        if header.endswith(" missing") or header.endswith(" ambiguous"):
            result[path] = None
            continue
        size = int(header.rsplit(" ", 1)[1])
        result[path] = out[pos : pos + size]
        pos += size + 1
    return result


def tree_files(root: Path, sha: str) -> frozenset[str]:
    out = run_git(root, "ls-tree", "-r", "-z", "--name-only", sha)
    return frozenset(p.decode(errors="surrogateescape") for p in out.split(b"\0") if p)


# ---------------------------------------------------------------- caching


class Cache:
    def __init__(self, root: Path, kind: str) -> None:
        self.folder = root / CACHE / kind
        self.hits = 0

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            value = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        self.hits += 1
        return value if isinstance(value, dict) else None

    def put(self, key: str, value: dict[str, Any]) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder.parent.parent / ".gitignore").write_text("*\n", encoding="utf-8")
            (self.folder / f"{key}.json").write_text(json.dumps(value), encoding="utf-8")
        except OSError:
            pass  # a read-only tree still works, only slower next time


# ---------------------------------------------------------------- tracker history


def evaluate_commit(root: Path, commit: Commit, cache: Cache) -> dict[str, Any] | None:
    """The program as it stood at `commit`, evaluated with the commit's date as today."""
    key = f"{commit.sha}-{__version__}"
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
    report = run(ctx, all_rules(), codes)
    closure = report.closure
    point = {
        "commit": commit.sha,
        "date": today.isoformat(),
        "percent": closure.percent,
        "closed": closure.closed,
        "statuses": dict(Counter(i.status for i in closure.invariants)),
        "invariants": {i.id: i.status for i in closure.invariants},
        "active_exceptions": sorted(s.id for s in closure.exceptions if s.waiver.active),
        "exception_states": {s.id: s.state for s in closure.exceptions},
        "findings": report.summary,
        "codes": dict(Counter(f.code for f in report.findings)),
    }
    cache.put(key, point)
    return point


def tracker_history(
    root: Path,
    since: dt.date | None,
    until: dt.date | None,
    max_points: int,
    progress: Callable[[str], None] | None = None,
) -> list[dict[str, Any]]:
    changes = commits(root, ("data",), since, until)
    cache = Cache(root, "tracker")
    points = []
    for i, commit in enumerate(sample(changes, max_points)):
        if progress:
            progress(f"evaluating data at {commit.sha[:10]} ({i + 1} of {min(len(changes), max_points)})")
        point = evaluate_commit(root, commit, cache)
        if point is not None:
            points.append(point)
    return points


# ---------------------------------------------------------------- burndown


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
        if mode == b"120000" or size == b"-":
            continue  # symlinks and submodules are never scanned
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
        counts[hit.guard] += 1
    return counts


def burndown(
    src: Path,
    source: str,
    program: Program,
    since: dt.date | None,
    until: dt.date | None,
    max_points: int,
    cache_root: Path,
    progress: Callable[[str], None] | None = None,
) -> list[dict[str, Any]]:
    """Guard hit counts at evenly sampled commits, plus every commit where a count changed."""
    history = commits(src, (), since, until)
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
                ]
                for c in compiled
            ]
            + [list(program.scan_exclude), program.scan_max_file_bytes, __version__]
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
