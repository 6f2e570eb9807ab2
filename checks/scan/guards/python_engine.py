"""The pure-Python guard engine: reads each applicable file itself."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from checks.model import Program
from checks.scan.guards.compiled import CompiledGuard, applicable_guards, record_line_hits
from checks.scan.guards.hits import SourceScan
from checks.scan.trees import inside


def build_prefilter(compiled: list[CompiledGuard]) -> re.Pattern[bytes]:
    """One bytes regex matching every line any guard could hit: a superset, the guards decide.

    Flags are scoped per guard (`(?i:...)`): a global `(?i)` in the middle of an alternation is an
    error, and falling back to an empty pattern would make every byte a candidate.
    """
    parts = []
    for c in compiled:
        body = c.guard.pattern if c.guard.regex else re.escape(c.guard.pattern)
        parts.append(f"(?:{body})" if c.guard.case_sensitive else f"(?i:{body})")
    try:
        return re.compile("|".join(parts).encode())
    except re.error:
        # A pattern only the text engine accepts: one candidate per line start, never per byte.
        return re.compile(rb"(?m)^")


def scan_python(
    root: Path, source: str, files: Iterable[str], compiled: list[CompiledGuard], program: Program, scan: SourceScan
) -> None:
    """Read each applicable file; a bytes prefilter skips files with no candidate at all."""
    prefilter = build_prefilter(compiled)
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
