"""Evidence verification: the file is there, the test is defined, the URL answers."""

from __future__ import annotations

import os
import re
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from checks.evidence.results import (
    BROKEN,
    MISSING,
    REFUSED,
    SHOWN,
    UNCHECKED,
    VERIFIED,
    EvidenceResult,
    EvidenceResults,
    EvidenceStatus,
)
from checks.evidence.test_finders import defines_test
from checks.evidence.url_cache import UrlCache
from checks.load.files import Unreadable, kind_of
from checks.model import Evidence
from checks.net.urls import FetchError, Refused, refuse_statically

if TYPE_CHECKING:
    from checks.model.scope import Scope
    from checks.net.client import Fetcher

# What answers for an evidence item of an absent source: its recorded result, or None.
Recorded = Callable[[Evidence], EvidenceResult | None]

# Importers of this module still find the results, the statuses and the test finder here.
__all__ = [
    "BROKEN",
    "MISSING",
    "REFUSED",
    "SHOWN",
    "UNCHECKED",
    "VERIFIED",
    "EvidenceResult",
    "EvidenceResults",
    "EvidenceStatus",
    "check_url",
    "check_urls",
    "confined",
    "defines_test",
    "verify_evidence",
]


def shown(ref: str, limit: int = 120) -> str:
    """`ref` quoted for a message, cut short: a path of thousands of characters must not fill the report."""
    return repr(ref if len(ref) <= limit else ref[:limit] + "…")


def _resolved(path: Path, folders: dict[Path, Path]) -> Path:
    """`path.resolve()`, with the folders above it resolved once per run: thousands of evidence items
    share a few folders, and resolving walks every component with a system call."""
    real = folders.get(path.parent)
    if real is None:
        real = folders[path.parent] = path.parent.resolve()
    candidate = real / path.name
    return candidate.resolve() if candidate.is_symlink() else candidate


def confined(base: Path, ref: str, folders: dict[Path, Path] | None = None) -> tuple[Path | None, str]:
    """`ref` resolved inside `base`, or (None, why) when it is absolute or escapes by '..' or a symlink.

    `folders` keeps resolved folders between calls of one run (pass the same dict each time).
    """
    if not ref or ref.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:[\\/]", ref) or "\0" in ref:
        return None, f"{shown(ref)} must be a relative path inside the tree"
    if any(part == ".." for part in re.split(r"[\\/]", ref)):
        return None, f"{shown(ref)} must not climb out with '..'"
    memo = {} if folders is None else folders
    candidate = base / ref
    try:
        real_base = memo.get(base) or memo.setdefault(base, base.resolve())
        resolved = candidate.resolve() if candidate == base else _resolved(candidate, memo)
        resolved.relative_to(real_base)
    except ValueError:
        return None, f"{shown(ref)} leaves the tree through a symlink"
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop on Python 3.11/3.12
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else "a symlink loop"
        return None, f"{shown(ref)} cannot be resolved ({why})"
    return resolved, ""


# ---------------------------------------------------------------- URLs


def check_url(fetcher: Fetcher, url: str) -> tuple[EvidenceStatus, str]:
    try:
        response = fetcher.request("HEAD", url)
        if response.status in (403, 405, 501) or response.status >= 500:
            response = fetcher.request("GET", url)
    except Refused as exc:
        return REFUSED, f"{url} {exc}"
    except FetchError as exc:
        return BROKEN, f"{url} {exc}"
    if response.status >= 400:
        return BROKEN, f"{url} answered HTTP {response.status}"
    return VERIFIED, f"HTTP {response.status}"


class _Progress:
    def __init__(self, total: int, enabled: bool) -> None:
        self.total = total
        self.done = 0
        self.enabled = enabled and total >= 10
        self.lock = threading.Lock()

    def step(self) -> None:
        if not self.enabled:
            return
        with self.lock:
            self.done += 1
            filled = int(30 * self.done / self.total)
            sys.stderr.write(
                f"\rgates: checking evidence URLs [{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total}"
            )
            if self.done == self.total:
                sys.stderr.write("\n")
            sys.stderr.flush()


def _progress_wanted(scope: Scope) -> bool:
    return scope.progress or (sys.stderr.isatty() and not os.environ.get("CI"))


def _interleave_hosts(urls: list[str]) -> list[str]:
    """One URL per host in turn: the pool's workers spread over the hosts, not queue behind one host's limit."""
    by_host: dict[str, list[str]] = {}
    for url in urls:
        try:
            host = (urlsplit(url).hostname or "").lower()
        except ValueError:
            host = ""
        by_host.setdefault(host, []).append(url)
    queues = list(by_host.values())
    return [q[i] for i in range(max(map(len, queues))) for q in queues if i < len(q)]


def check_urls(scope: Scope, urls: list[str]) -> dict[str, tuple[EvidenceStatus, str]]:
    program = scope.program
    unique = sorted(set(urls))
    out: dict[str, tuple[EvidenceStatus, str]] = {}
    if not unique:
        return out
    cache = UrlCache(scope.root, program.url_cache_ttl_hours)
    todo = []
    for url in unique:
        cached = cache.get(url)
        if cached is not None:
            out[url] = cached
        else:
            todo.append(url)
    from checks.net.client import Fetcher  # the HTTP client loads only when a URL is checked

    fetcher = Fetcher(program.network, program.allow_hosts)
    progress = _Progress(len(todo), _progress_wanted(scope))

    def one(url: str) -> tuple[str, tuple[EvidenceStatus, str]]:
        result = check_url(fetcher, url)
        if result[0] != REFUSED:
            cache.put(url, *result)
        progress.step()
        return url, result

    if todo:
        todo = _interleave_hosts(todo)
        from concurrent.futures import ThreadPoolExecutor  # only when URLs are fetched

        with ThreadPoolExecutor(max_workers=min(program.network.concurrency, len(todo))) as pool:
            for url, result in pool.map(one, todo):
                out[url] = result
    cache.save()
    return out


# ---------------------------------------------------------------- all evidence


def verify_evidence(scope: Scope, recorded: Recorded | None = None) -> EvidenceResults:
    """Every evidence item's result; `recorded` answers for items of an absent source that has a record."""
    items = [e for inv in scope.invariants for e in inv.evidence]
    urls = [e.ref for e in items if e.kind in ("url", "issue")]
    url_results = {} if scope.offline else check_urls(scope, urls)
    folders: dict[Path, Path] = {}
    results = [_verify_one(scope, e, url_results, recorded, folders) for e in items]
    return EvidenceResults(results)


def _verify_one(
    scope: Scope,
    e: Evidence,
    url_results: dict[str, tuple[EvidenceStatus, str]],
    recorded: Recorded | None = None,
    folders: dict[Path, Path] | None = None,
) -> EvidenceResult:
    if e.kind == "command":
        return EvidenceResult(e, SHOWN, "verification command (shown, never run by the checker)")
    if e.kind in ("url", "issue"):
        try:
            refuse_statically(e.ref, scope.program.allow_hosts)
        except Refused as exc:
            return EvidenceResult(e, REFUSED, f"{e.ref} {exc}", "EVID006")
        if scope.offline:
            return EvidenceResult(e, UNCHECKED, "not checked: --offline", "EVID005")
        status, detail = url_results.get(e.ref, (BROKEN, "not checked"))
        code = {BROKEN: "EVID003", REFUSED: "EVID006"}.get(status, "")
        return EvidenceResult(e, status, detail, code)
    if e.source:
        base = scope.source_paths.get(e.source)
        if base is None:
            replayed = recorded(e) if recorded is not None else None
            if replayed is not None:
                return replayed
            return EvidenceResult(e, UNCHECKED, f"not checked: source {e.source!r} is not present", "EVID005")
    else:
        base = scope.root
    ref, _, test_name = e.ref.partition("::") if e.kind == "test" else (e.ref, "", "")
    files = scope.tracker_files
    if files is not None and not e.source:
        return _verify_at_commit(e, ref, test_name, files)
    target, why = confined(base, ref, folders)
    if target is None:
        return EvidenceResult(e, MISSING, why, "EVID001")
    try:
        kind = kind_of(target)
    except Unreadable as exc:
        # A device, FIFO or socket proves nothing, and a path the system refuses (too long) is not there.
        return EvidenceResult(e, MISSING, f"{shown(ref)} {exc}", "EVID001")
    if kind is None:
        where = f"source {e.source!r}" if e.source else "the tracker"
        return EvidenceResult(e, MISSING, f"{shown(ref)} does not exist in {where}", "EVID001")
    if e.kind == "test":
        if not test_name:
            return EvidenceResult(e, MISSING, f"{shown(e.ref)} must name a test as 'path::name'", "EVID002")
        if kind != "file":
            return EvidenceResult(e, MISSING, f"{shown(ref)} is not a file", "EVID001")
        ok, detail = defines_test(target, test_name)
        return EvidenceResult(
            e, VERIFIED if ok else MISSING, detail or f"test {test_name} is defined", "" if ok else "EVID002"
        )
    return EvidenceResult(e, VERIFIED, "exists")


def _verify_at_commit(e: Evidence, ref: str, test_name: str, files: frozenset[str]) -> EvidenceResult:
    """History mode: a path exists when the commit's tree holds it (tests are only checked for their file)."""
    _, why = confined(Path("/nonexistent-root"), ref)
    if why and "symlink" not in why:
        return EvidenceResult(e, MISSING, why, "EVID001")
    clean = ref.strip("/")
    if clean in files or any(f.startswith(clean + "/") for f in files):
        detail = "exists at this commit" + (f" (test {test_name} not looked up in history)" if test_name else "")
        return EvidenceResult(e, VERIFIED, detail)
    return EvidenceResult(e, MISSING, f"{shown(ref)} does not exist at this commit", "EVID001")
