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


def scan_python(
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
