"""Counting guard hits in a commit of a source's history, from git objects: whole trees or only changed files.

`git grep` finds candidate lines with pathspecs for the guards' scope; the Python guard expressions
decide every hit, as in a live scan. Counts are kept per file, so a commit near one already counted
is counted from the files that differ between the two (`git diff-tree`), not from its whole tree.
"""

from __future__ import annotations

import re
from pathlib import Path

from checks.history.git import read_blobs
from checks.model import Program
from checks.scan.guards import CompiledGuard, Hit, SourceScan, applicable_guards, compile_guard, record_line_hits
from checks.scan.testcode import TEST_FILE_GLOBS, first_test_line, in_spans, is_test_file, rust_test_lines
from checks.scan.trees import run_git

# Per file: each guard's count there (files without a hit are left out).
FileCounts = dict[str, dict[str, int]]
# Blobs git could not read (mirrors and partial clones lack some): (path, blob id) pairs.
Missing = set[tuple[str, str]]
# git grep's complaint for a blob absent from the object store: "error: 'REV:PATH': unable to read BLOB".
_UNREADABLE = re.compile(r"^error: '[^:']+:(?P<path>.+)': unable to read (?P<blob>[0-9a-f]{7,64})$")
# Changed files beyond which a commit is counted from its whole tree.
MAX_CHANGED = 1000


def compiled_guards(program: Program, source: str) -> list[CompiledGuard]:
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
    return totals(count_files(src, source, sha, program, compiled), compiled)


def totals(files: FileCounts, compiled: list[CompiledGuard]) -> dict[str, int]:
    counts = {c.guard.id: 0 for c in compiled}
    for per_guard in files.values():
        for guard, n in per_guard.items():
            counts[guard] += n
    return counts


def changed_files(src: Path, a: str, b: str) -> set[str] | None:
    """The paths whose content or mode differ between commits `a` and `b`, or None when there are too many."""
    out = run_git(src, "diff-tree", "-r", "-z", "--name-only", "--no-renames", a, b)
    paths = {p.decode(errors="surrogateescape") for p in out.split(b"\0") if p}
    return paths if len(paths) <= MAX_CHANGED else None


def count_files(
    src: Path,
    source: str,
    sha: str,
    program: Program,
    compiled: list[CompiledGuard],
    only: list[str] | None = None,
    missing: Missing | None = None,
) -> FileCounts:
    """Each guard's hits per file at `sha` (only in the files `only` names, when given).

    Blobs git could not read are added to `missing`: they were not searched.
    """
    scan = SourceScan(source, src, "git", "git-grep")
    counts: FileCounts = {}
    if not compiled or only == []:
        return counts
    specs = pathspecs(compiled, program)
    if only is not None:
        specs = [f":(literal){p}" for p in only] + [s for s in specs if s.startswith(":(exclude")]
    # Exit 1 means nothing matched. Symbolic links are not searched (git grep reads no link as a file).
    complaints: list[str] = []
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
        *specs,
        ok=(0, 1),
        stderr=complaints,
    )
    if missing is not None:
        missing.update((m["path"], m["blob"]) for m in map(_UNREADABLE.match, complaints) if m)
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
            per_guard = counts.setdefault(hit.path, {})
            per_guard[hit.guard] = per_guard.get(hit.guard, 0) + 1
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


def describe_missing(source: str, missing: Missing, limit: int = 5) -> list[str]:
    """One warning line per unread blob (at most `limit`, then how many more), for stderr."""
    ordered = sorted(missing)
    lines = [
        f"warning: {source}: blob {blob[:12]} ({path}) is not in the repository's object store "
        "(a mirror or partial clone); its lines were not counted"
        for path, blob in ordered[:limit]
    ]
    if len(ordered) > limit:
        lines.append(f"warning: {source}: {len(ordered) - limit} more unread blobs were not counted")
    return lines
