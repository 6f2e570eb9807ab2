"""Repo guards: find prohibited symbols in the retained paths of each source tree.

Two engines sit behind one interface and give the same hits: ripgrep, when it is on PATH, finds
candidate lines fast; the pure-Python engine reads the files itself. Either way the Python guard
regexes decide what is a hit and where its column is, so the engines cannot disagree on precision.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from checks.model import Guard, Program
from checks.scan.globs import matches_any
from checks.scan.regexsafety import unsafe_regex
from checks.scan.trees import git_files, inside, is_git_tree, walk_files

_IDENT = re.compile(r"\w", re.UNICODE)
_SUPPRESSION = re.compile(r"gates:\s*allow\s+(?P<ids>[\w.,-]+)(?:\s+reason\s*=\s*\"(?P<reason>[^\"]*)\")?")
# Escaping '#' is refused by older ripgrep releases (it only matters in verbose mode anyway).
_RUST_META = set("\\.+*?()|[]{}^$")
MAX_LINE_CHARS = 400
_RG_SEARCHED = re.compile(rb"^(\d+) files searched")


@dataclass(frozen=True, order=True)
class Hit:
    source: str
    path: str
    line: int
    column: int
    guard: str
    text: str
    line_text: str = field(compare=False)


@dataclass(frozen=True)
class Suppression:
    source: str
    path: str
    line: int
    guard: str
    reason: str
    text: str


@dataclass
class SourceScan:
    source: str
    root: Path
    mode: str  # "git" or "walk"
    engine: str  # "ripgrep" or "python"
    files_scanned: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    hits: list[Hit] = field(default_factory=list)
    suppressed: list[tuple[Hit, Suppression]] = field(default_factory=list)
    unreasoned: list[Hit] = field(default_factory=list)
    # ripgrep skips binary, oversized and symlinked files without telling how many.
    skip_counts: bool = True


@dataclass
class GuardScan:
    sources: dict[str, SourceScan | None]

    @property
    def hits(self) -> list[Hit]:
        return sorted(h for s in self.sources.values() if s for h in s.hits)

    @property
    def suppressions(self) -> list[tuple[Hit, Suppression]]:
        return [x for s in self.sources.values() if s for x in s.suppressed]


def compile_guard(guard: Guard) -> tuple[re.Pattern[str] | None, str | None]:
    """The guard's exact matcher, or an error message when its pattern is not a valid regex."""
    if not guard.pattern:
        return None, "is empty"
    if guard.regex:
        unsafe = unsafe_regex(guard.pattern, 0 if guard.case_sensitive else re.IGNORECASE)
        if unsafe:
            return None, unsafe
    body = guard.pattern if guard.regex else re.escape(guard.pattern)
    if guard.word:
        # Word-bounded means "not part of a longer identifier": only sides where the symbol itself
        # begins or ends with an identifier character get a boundary, so '/sync/x' still matches
        # inside 'wss://host/sync/x' while 'open_in_memory' is not 'in_memory'.
        left = not guard.regex and not _IDENT.match(guard.pattern[0])
        right = not guard.regex and not _IDENT.match(guard.pattern[-1])
        body = ("" if left else r"(?<!\w)") + f"(?:{body})" + ("" if right else r"(?!\w)")
    try:
        return re.compile(body, 0 if guard.case_sensitive else re.IGNORECASE), None
    except re.error as exc:
        return None, f"is not a valid regular expression: {exc}"


def _rust_literal(text: str) -> str:
    return "".join("\\" + c if c in _RUST_META else c for c in text)


@dataclass(frozen=True)
class CompiledGuard:
    guard: Guard
    regex: re.Pattern[str]


def applicable_guards(
    path: str, source: str, compiled: Iterable[CompiledGuard], global_exclude: tuple[str, ...]
) -> list[CompiledGuard]:
    if global_exclude and matches_any(path, global_exclude):
        return []
    return [
        c
        for c in compiled
        if (not c.guard.sources or source in c.guard.sources)
        and matches_any(path, c.guard.paths)
        and not matches_any(path, c.guard.exclude)
    ]


def record_line_hits(
    source: str, path: str, lineno: int, text: str, guards: list[CompiledGuard], scan: SourceScan
) -> None:
    found = [(m, c.guard) for c in guards for m in c.regex.finditer(text)]
    if not found:
        return
    suppression = _SUPPRESSION.search(text)
    allowed = set(suppression.group("ids").split(",")) if suppression else set()
    reason = (suppression.group("reason") or "").strip() if suppression else ""
    shown = text.strip()
    if len(shown) > MAX_LINE_CHARS:
        shown = shown[:MAX_LINE_CHARS] + "…"
    for match, guard in found:
        hit = Hit(source, path, lineno, match.start() + 1, guard.id, match.group(0)[:200], shown)
        if guard.id in allowed and reason:
            scan.suppressed.append((hit, Suppression(source, path, lineno, guard.id, reason, shown)))
        else:
            if guard.id in allowed:
                scan.unreasoned.append(hit)
            scan.hits.append(hit)


# ---------------------------------------------------------------- engines


def _scan_python(
    root: Path, source: str, files: Iterable[str], compiled: list[CompiledGuard], program: Program, scan: SourceScan
) -> None:
    """Read each applicable file; a bytes prefilter skips files with no candidate at all."""
    parts = []
    for c in compiled:
        flags = "" if c.guard.case_sensitive else "(?i)"
        parts.append(f"{flags}{c.guard.pattern if c.guard.regex else re.escape(c.guard.pattern)}")
    try:
        prefilter = re.compile("|".join(f"(?:{p})" for p in parts).encode())
    except re.error:
        prefilter = re.compile(b"")
    limit = program.scan_max_file_bytes
    for rel in files:
        guards = applicable_guards(rel, source, compiled, program.scan_exclude)
        if not guards:
            continue
        full = root / rel
        try:
            st = full.lstat()
        except OSError:
            continue
        if os.path.islink(full):
            scan.skipped["symlink leaving the tree" if not inside(root, full) else "symlink (target scanned)"] += 1
            continue
        if not full.is_file():
            continue
        if st.st_size > limit:
            scan.skipped["over the size limit"] += 1
            continue
        try:
            data = full.read_bytes()
        except OSError:
            scan.skipped["unreadable"] += 1
            continue
        if b"\0" in data:
            scan.skipped["binary"] += 1
            continue
        scan.files_scanned += 1
        last_line_start = -1
        for match in prefilter.finditer(data):
            start = data.rfind(b"\n", 0, match.start()) + 1
            if start == last_line_start:
                continue
            last_line_start = start
            end = data.find(b"\n", match.start())
            end = len(data) if end == -1 else end
            lineno = data.count(b"\n", 0, start) + 1
            text = data[start:end].decode("utf-8", errors="replace").rstrip("\r")
            record_line_hits(source, rel, lineno, text, guards, scan)


def _ripgrep_args(compiled: list[CompiledGuard], program: Program, git: bool) -> list[str]:
    args = [
        "--no-config",
        "--no-heading",
        "--with-filename",
        "--line-number",
        "--null",
        "--hidden",
        "--stats",
        "--no-messages",
        "--glob",
        "!.git",
        "--max-filesize",
        str(program.scan_max_file_bytes),
    ]
    if not git:
        args.append("--no-ignore")
    if all(not c.guard.regex and c.guard.case_sensitive for c in compiled):
        # Plain literals: ripgrep's fixed-string search is its fastest path.
        args.append("--fixed-strings")
        for c in compiled:
            args += ["-e", c.guard.pattern]
        return args
    for c in compiled:
        # A superset prefilter: ripgrep finds candidate lines, the Python regex decides.
        body = c.guard.pattern if c.guard.regex else _rust_literal(c.guard.pattern)
        args += ["-e", ("(?i)" if not c.guard.case_sensitive else "") + body]
    return args


def _scan_ripgrep(
    rg: str, root: Path, source: str, compiled: list[CompiledGuard], program: Program, git: bool, scan: SourceScan
) -> bool:
    """Run ripgrep over the tree; False when it cannot (the caller falls back to Python)."""
    try:
        proc = subprocess.run(
            [rg, *_ripgrep_args(compiled, program, git), "--", "."], cwd=root, capture_output=True, timeout=3600
        )
    except (OSError, subprocess.SubprocessError):
        return False
    if proc.returncode not in (0, 1):
        return False
    cache: dict[str, list[CompiledGuard]] = {}
    for raw in proc.stdout.split(b"\n"):
        if not raw:
            continue
        name, nul, rest = raw.partition(b"\0")
        if not nul:
            searched = _RG_SEARCHED.match(raw)
            if searched:
                scan.files_scanned = int(searched.group(1))
            continue
        number, _, text = rest.partition(b":")
        rel = os.fsdecode(name)
        rel = rel[2:] if rel.startswith("./") else rel
        if rel not in cache:
            cache[rel] = applicable_guards(rel, source, compiled, program.scan_exclude)
        guards = cache[rel]
        if not guards:
            continue
        record_line_hits(source, rel, int(number), text.decode("utf-8", errors="replace").rstrip("\r"), guards, scan)
    scan.skip_counts = False
    return True


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
    if chosen == "ripgrep":
        rg = shutil.which("rg")
        if rg and _scan_ripgrep(rg, root, source, compiled, program, git, scan):
            return scan
        scan = SourceScan(source, root, scan.mode, "python")
    files: Iterable[str] = (git_files(root) or []) if git else walk_files(root)
    _scan_python(root, source, files, compiled, program, scan)
    return scan


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
