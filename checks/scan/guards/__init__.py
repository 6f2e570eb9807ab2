"""Repo guards: find prohibited symbols in the retained paths of each source tree.

Two engines sit behind one interface and give the same hits: ripgrep, when it is on PATH, finds
candidate lines fast; the pure-Python engine reads the files itself. Either way the Python guard
regexes decide what is a hit and where its column is, so the engines cannot disagree on precision.
"""

from checks.scan.guards.compiled import (
    MAX_LINE_CHARS,
    CompiledGuard,
    applicable_guards,
    compile_guard,
    record_line_hits,
)
from checks.scan.guards.hits import GuardScan, Hit, SourceScan, Suppression
from checks.scan.guards.scan import PendingScan, engine_name, scan_guards, scan_source, start_guard_scan

__all__ = [
    "MAX_LINE_CHARS",
    "CompiledGuard",
    "GuardScan",
    "Hit",
    "PendingScan",
    "SourceScan",
    "Suppression",
    "applicable_guards",
    "compile_guard",
    "engine_name",
    "record_line_hits",
    "scan_guards",
    "scan_source",
    "start_guard_scan",
]
