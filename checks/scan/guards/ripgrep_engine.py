"""The ripgrep guard engine: ripgrep finds candidate lines fast, the Python guard regexes decide.

In a git work tree the caller's file list (what git tracks or leaves unignored) is filtered to the
guards' scope and handed over as explicit paths. Elsewhere ripgrep walks the tree itself, told the
scope as globs (the program's and the guards' excludes, the guards' paths, test files): the globs
are a superset of the scope, and every file with a candidate line is re-checked against the exact
scope here, so both ways give the hits of the pure-Python engine.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

from checks.model import Program
from checks.scan import rg_prestart
from checks.scan.guards.compiled import CompiledGuard, applicable_guards, record_line_hits
from checks.scan.guards.hits import SourceScan
from checks.scan.trees import inside

# Escaping '#' is refused by older ripgrep releases (it only matters in verbose mode anyway).
_RUST_META = set("\\.+*?()|[]{}^$")
_RG_SEARCHED = re.compile(rb"^(\d+) files searched")
# Explicit paths per ripgrep run: well under the kernel's argument-length limit.
CHUNK_BYTES = 1_000_000
# Globs ripgrep reads as Gates does ('{', '}' and '\' mean something else to ripgrep's globs).
_PLAIN_GLOB = re.compile(r"[^{}\\!]+")


def _rust_literal(text: str) -> str:
    return "".join("\\" + c if c in _RUST_META else c for c in text)


def ripgrep_args(compiled: list[CompiledGuard], program: Program) -> list[str]:
    # --no-ignore: the file list is decided once, by the caller, for both engines (ignore files in a
    # product tree must not hide a prohibited symbol from one engine and not the other).
    args = [
        *rg_prestart.SCAN_SWITCHES,
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


def _rg_glob(glob: str) -> str | None:
    """A Gates glob as a ripgrep glob (anchored at the searched root, as Gates globs are), or None when unsure."""
    glob = glob.strip().removeprefix("./").lstrip("/").rstrip("/")
    if not glob or not _PLAIN_GLOB.fullmatch(glob):
        return None
    return glob if glob.startswith("**/") else "/" + glob


def scope_globs(compiled: list[CompiledGuard], program: Program, test_globs: Iterable[str]) -> list[str]:
    """ripgrep `--glob` arguments selecting a superset of the files in some guard's scope."""
    out: list[str] = []
    paths = {p for c in compiled for p in c.guard.paths}
    if paths and not any(p.strip() in ("**", "**/*", "*/**") for p in paths):
        converted = [_rg_glob(p) for p in sorted(paths)]
        # A Gates glob naming a folder matches the files below it too: '/**' says so to ripgrep.
        if all(converted):
            out += [g for glob in converted if glob for g in (glob, glob + "/**")]
    # Excluded when every guard excludes it (the program's excludes, test files, shared excludes);
    # ripgrep, as Gates, leaves out everything below an excluded folder.
    shared = set.intersection(*(set(c.guard.exclude) for c in compiled)) if compiled else set()
    for glob in dict.fromkeys([*program.scan_exclude, *sorted(shared), *test_globs]):
        excluded = _rg_glob(glob)
        if excluded:
            out.append("!" + excluded)
    return [arg for g in out for arg in ("--glob", g)]


def _chunks(paths: list[str]) -> Iterable[list[str]]:
    chunk: list[str] = []
    size = 0
    for rel in paths:
        if chunk and size + len(rel) + 1 > CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
        chunk.append(rel)
        size += len(rel) + 1
    if chunk:
        yield chunk


def _run(rg: str, root: Path, args: list[str]) -> bytes | None:
    # The same run may already be under way, started before Gates finished starting (see rg_prestart).
    out = rg_prestart.take(rg, str(root), args)
    if out is None:
        try:
            proc = subprocess.run([rg, *args], cwd=root, capture_output=True, timeout=3600)
        except (OSError, subprocess.SubprocessError):
            return None
        if proc.returncode not in (0, 1):
            return None
        out = proc.stdout
    rg_prestart.remember(rg, str(root), args)
    return out


def scan_ripgrep(
    rg: str,
    root: Path,
    source: str,
    compiled: list[CompiledGuard],
    program: Program,
    files: Iterable[str] | None,
    scan: SourceScan,
    test_globs: Iterable[str] = (),
) -> bool:
    """Search the files in some guard's scope; False when ripgrep cannot (the caller falls back to Python).

    `files` is the caller's list (explicit paths), or None to let ripgrep walk the tree with scope globs.
    """
    args = ripgrep_args(compiled, program)
    runs: list[list[str]] = []
    if files is None:
        runs.append([*args, *scope_globs(compiled, program, test_globs), "--", "."])
    else:
        wanted = []
        for rel in files:
            if not applicable_guards(rel, source, compiled, program.scan_exclude):
                continue
            if os.path.islink(root / rel):
                leaves = not inside(root, root / rel)
                scan.skipped["symlink leaving the tree" if leaves else "symlink (target scanned)"] += 1
                continue
            wanted.append(rel)
        runs += [[*args, "--", *chunk] for chunk in _chunks(wanted)]
    stdout = b""
    for run in runs:
        out = _run(rg, root, run)
        if out is None:
            return False
        stdout += out
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
