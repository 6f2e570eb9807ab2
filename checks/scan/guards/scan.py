"""Scanning sources for guard hits: picking the engine, each source, all sources, in the background."""

from __future__ import annotations

import os
import shutil
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from checks.model import Guard, Program
from checks.scan.guards.compiled import CompiledGuard, compile_guard
from checks.scan.guards.hits import GuardScan, Hit, SourceScan
from checks.scan.guards.python_engine import scan_python
from checks.scan.guards.ripgrep_engine import scan_ripgrep
from checks.scan.testcode import TEST_FILE_GLOBS, first_test_line, in_spans, is_test_file, rust_test_lines
from checks.scan.trees import git_files, is_git_tree, walk_files


def engine_name() -> str:
    choice = os.environ.get("GATES_GUARD_ENGINE", "auto")
    if choice == "python":
        return "python"
    rg = shutil.which("rg")
    if choice == "ripgrep" and rg is None:
        print("gates: GATES_GUARD_ENGINE=ripgrep but rg is not on PATH; using the Python engine", file=sys.stderr)
    return "ripgrep" if rg else "python"


def scan_source(
    source: str, root: Path, guards: Iterable[Guard], program: Program, engine: str | None = None
) -> SourceScan:
    compiled = []
    for g in guards:
        regex, _error = compile_guard(g)
        if regex is not None and (not g.sources or source in g.sources):
            compiled.append(CompiledGuard(g, regex))
    git = is_git_tree(root)
    chosen = engine or engine_name()
    scan = SourceScan(source, root, "git" if git else "walk", chosen)
    if not compiled:
        return scan
    skip_tests = all(c.guard.test_code != "include" for c in compiled)
    rg = shutil.which("rg") if chosen == "ripgrep" else None
    # Outside git, ripgrep walks the tree itself, told the scope as globs: no file list in Python.
    # It does not say how many files it skipped (test files included): skip_counts is False.
    test_globs = TEST_FILE_GLOBS if skip_tests else ()
    if rg and not git and scan_ripgrep(rg, root, source, compiled, program, None, scan, test_globs):
        drop_test_code(root, compiled, scan)
        return scan
    # One file list for both engines: what git tracks or leaves unignored in a work tree, every file
    # otherwise. Test files are left out up front when no guard asks for test code.
    listed: Iterable[str] = (git_files(root) or []) if git else walk_files(root)
    files = list(listed)
    test_files = 0
    if skip_tests:
        kept = [f for f in files if not is_test_file(f)]
        test_files, files = len(files) - len(kept), kept
    if rg and git and scan_ripgrep(rg, root, source, compiled, program, files, scan):
        drop_test_code(root, compiled, scan)
        if test_files:
            scan.skipped["test file"] += test_files
        return scan
    if chosen == "ripgrep":
        scan = SourceScan(source, root, scan.mode, "python")
    scan_python(root, source, files, compiled, program, scan)
    if test_files:
        scan.skipped["test file"] += test_files
    drop_test_code(root, compiled, scan)
    return scan


def drop_test_code(root: Path, compiled: list[CompiledGuard], scan: SourceScan) -> None:
    """Remove hits that fall in test code (test files, Rust test items) for guards that exclude it."""
    include = {c.guard.id for c in compiled if c.guard.test_code == "include"}
    spans: dict[str, list[tuple[int, int]]] = {}
    by_path: dict[str, list[Hit]] = {}
    for hit in [*scan.hits, *(h for h, _ in scan.suppressed), *scan.unreasoned]:
        by_path.setdefault(hit.path, []).append(hit)

    def in_test_code(hit: Hit) -> bool:
        if hit.guard in include:
            return False
        if is_test_file(hit.path):
            return True
        if not hit.path.endswith(".rs"):
            return False
        if hit.path not in spans:
            # Parsed only when some hit of the file lies at or below its first test attribute.
            try:
                data = (root / hit.path).read_bytes()
            except OSError:
                data = b""
            first = first_test_line(data)
            lowest = max(h.line for h in by_path[hit.path])
            spans[hit.path] = rust_test_lines(data) if first is not None and lowest >= first else []
        return in_spans(hit.line, spans[hit.path])

    kept = []
    for hit in scan.hits:
        if in_test_code(hit):
            scan.test_code[hit.guard] += 1
        else:
            kept.append(hit)
    scan.hits = kept
    scan.suppressed = [(h, s) for h, s in scan.suppressed if not in_test_code(h)]
    scan.unreasoned = [h for h in scan.unreasoned if not in_test_code(h)]


def scan_guards(program: Program, source_paths: dict[str, Path | None], progress: bool = False) -> GuardScan:
    result: dict[str, SourceScan | None] = {}
    for source in program.sources:
        if not any(not g.sources or source.id in g.sources for g in program.guards):
            continue
        root = source_paths.get(source.id)
        if root is None:
            result[source.id] = None
            continue
        if progress:
            print(f"gates: scanning {source.id} ({root}) for {len(program.guards)} guards…", file=sys.stderr)
        result[source.id] = scan_source(source.id, root, program.guards, program)
    return GuardScan(result)


class PendingScan:
    """A guard scan running in a background thread; `result()` waits for it (and re-raises its error)."""

    def __init__(self, work: Callable[[], GuardScan]) -> None:
        self._value: GuardScan | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(work,), name="gates-guard-scan", daemon=True)
        self._thread.start()

    def _run(self, work: Callable[[], GuardScan]) -> None:
        try:
            self._value = work()
        except BaseException as exc:  # handed to whoever waits for the result
            self._error = exc

    def result(self) -> GuardScan:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._value is not None
        return self._value


def start_guard_scan(program: Program, source_paths: dict[str, Path | None], progress: bool = False) -> PendingScan:
    """Scan in a background thread: the scan (mostly ripgrep or file reads) overlaps validation and other rules."""
    return PendingScan(lambda: scan_guards(program, source_paths, progress))
