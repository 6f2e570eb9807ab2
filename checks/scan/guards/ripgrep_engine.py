"""The ripgrep guard engine: ripgrep finds candidate lines fast, the Python guard regexes decide."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

from checks.model import Program
from checks.scan.guards.compiled import CompiledGuard, applicable_guards, record_line_hits
from checks.scan.guards.hits import SourceScan
from checks.scan.trees import inside

# Escaping '#' is refused by older ripgrep releases (it only matters in verbose mode anyway).
_RUST_META = set("\\.+*?()|[]{}^$")
_RG_SEARCHED = re.compile(rb"^(\d+) files searched")
CHUNK = 2000


def _rust_literal(text: str) -> str:
    return "".join("\\" + c if c in _RUST_META else c for c in text)


def ripgrep_args(compiled: list[CompiledGuard], program: Program) -> list[str]:
    # --no-ignore: the file list is decided once, by the caller, for both engines (ignore files in a
    # product tree must not hide a prohibited symbol from one engine and not the other).
    args = [
        "--no-ignore",
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
    if all(not c.guard.regex and c.guard.case_sensitive for c in compiled):
        # Plain literals: ripgrep's fixed-string search is its fastest path.
        args.append("--fixed-strings")
        for c in compiled:
            args += ["-e", c.guard.pattern]
        return args
    for c in compiled:
        # A superset prefilter: ripgrep finds candidate lines, the Python regex decides.
        # ASCII word boundaries: ripgrep's Unicode \b is many times slower, and next to the ASCII word
        # characters guards are made of it only adds candidates (a superset), which Python re-checks.
        body = c.guard.pattern.replace("\\b", "(?-u:\\b)") if c.guard.regex else _rust_literal(c.guard.pattern)
        args += ["-e", ("(?i)" if not c.guard.case_sensitive else "") + body]
    return args


def scan_ripgrep(
    rg: str,
    root: Path,
    source: str,
    compiled: list[CompiledGuard],
    program: Program,
    files: Iterable[str],
    scan: SourceScan,
) -> bool:
    """Run ripgrep over the files in some guard's scope; False when it cannot (the caller falls back to Python)."""
    wanted = []
    for rel in files:
        if not applicable_guards(rel, source, compiled, program.scan_exclude):
            continue
        if os.path.islink(root / rel):
            leaves = not inside(root, root / rel)
            scan.skipped["symlink leaving the tree" if leaves else "symlink (target scanned)"] += 1
            continue
        wanted.append(rel)
    stdout = b""
    # Explicit paths in chunks that stay well under the argument-length limit.
    for start in range(0, len(wanted), CHUNK):
        try:
            proc = subprocess.run(
                [rg, *ripgrep_args(compiled, program), "--", *wanted[start : start + CHUNK]],
                cwd=root,
                capture_output=True,
                timeout=3600,
            )
        except (OSError, subprocess.SubprocessError):
            return False
        if proc.returncode not in (0, 1):
            return False
        stdout += proc.stdout
    searched = 0
    cache: dict[str, list[CompiledGuard]] = {}
    for raw in stdout.split(b"\n"):
        if not raw:
            continue
        name, nul, rest = raw.partition(b"\0")
        if not nul:
            counted = _RG_SEARCHED.match(raw)
            if counted:
                searched += int(counted.group(1))
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
    scan.files_scanned = searched
    scan.skip_counts = False
    return True
