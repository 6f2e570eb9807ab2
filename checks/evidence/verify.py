"""Evidence verification: the file is there, the test is defined, the URL answers."""

from __future__ import annotations

import json
import os
import re
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from checks.model import Evidence
from checks.net.urls import FetchError, Refused, refuse_statically

if TYPE_CHECKING:
    from checks.model.scope import Scope
    from checks.net.client import Fetcher

CACHE_DIR = ".gates-cache"
CACHE_FILE = "urls.json"
MAX_TEST_FILE = 4 * 1024 * 1024

VERIFIED = "verified"
MISSING = "missing"
BROKEN = "broken"
REFUSED = "refused"
UNCHECKED = "unchecked"
SHOWN = "shown"


@dataclass(frozen=True)
class EvidenceResult:
    evidence: Evidence
    status: str  # verified, missing, broken, refused, unchecked, shown
    detail: str
    code: str = ""  # the EVID rule that reports it, if any

    @property
    def verified(self) -> bool:
        return self.status == VERIFIED

    def as_dict(self) -> dict[str, str]:
        e = self.evidence
        return {
            "id": e.id,
            "invariant": e.invariant,
            "class": e.class_id,
            "kind": e.kind,
            "ref": e.ref,
            "source": e.source,
            "status": self.status,
            "detail": self.detail,
            "code": self.code,
        }


@dataclass
class EvidenceResults:
    results: list[EvidenceResult]

    def for_invariant(self, invariant: str) -> list[EvidenceResult]:
        return [r for r in self.results if r.evidence.invariant == invariant]

    def for_class(self, class_id: str) -> list[EvidenceResult]:
        return [r for r in self.results if r.evidence.class_id == class_id]


# ---------------------------------------------------------------- paths and tests


def confined(base: Path, ref: str) -> tuple[Path | None, str]:
    """`ref` resolved inside `base`, or (None, why) when it is absolute or escapes by '..' or a symlink."""
    if not ref or ref.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:[\\/]", ref) or "\0" in ref:
        return None, f"{ref!r} must be a relative path inside the tree"
    if any(part == ".." for part in re.split(r"[\\/]", ref)):
        return None, f"{ref!r} must not climb out with '..'"
    candidate = base / ref
    try:
        resolved = candidate.resolve()
        resolved.relative_to(base.resolve())
    except (ValueError, OSError, RuntimeError):
        return None, f"{ref!r} leaves the tree through a symlink"
    return resolved, ""


_RUST_TEST_ATTR = re.compile(
    r"#\[\s*(?:[\w:]+::)?(?:test|rstest|test_case|tokio::test|async_std::test|wasm_bindgen_test)\b"
)


def _rust_test(text: str, name: str) -> bool:
    for m in re.finditer(r"\bfn\s+" + re.escape(name) + r"\s*(?:<[^>]*>)?\s*\(", text):
        before = text[max(0, m.start() - 600) : m.start()]
        attrs = re.findall(r"#\[[^\]]*\]", before.rsplit(";", 1)[-1].rsplit("}", 1)[-1])
        if any(_RUST_TEST_ATTR.match(a) for a in attrs):
            return True
        # Inside a #[cfg(test)] module: the nearest such module before the fn encloses it.
        for mod in re.finditer(r"#\[cfg\(test\)\]\s*(?:pub\s+)?mod\s+\w+\s*\{", text[: m.start()]):
            depth = text.count("{", mod.end() - 1, m.start()) - text.count("}", mod.end() - 1, m.start())
            if depth > 0:
                return True
    return False


def _python_test(text: str, name: str) -> bool:
    parts = name.split("::")
    func = parts[-1]
    if not func.startswith("test"):
        return False
    if len(parts) == 2:
        cls = re.search(r"^class\s+" + re.escape(parts[0]) + r"\b[^\n]*:\s*$", text, re.M)
        if not cls:
            return False
        text = text[cls.end() :]
        return re.search(r"^[ \t]+(?:async\s+)?def\s+" + re.escape(func) + r"\s*\(", text, re.M) is not None
    return re.search(r"^(?:[ \t]*)(?:async\s+)?def\s+" + re.escape(func) + r"\s*\(", text, re.M) is not None


def _js_test(text: str, name: str) -> bool:
    quoted = "|".join(f"{q}{re.escape(name)}{q}" for q in ("'", '"', "`"))
    return re.search(r"\b(?:test|it)(?:\.(?:only|concurrent))?\s*\(\s*(?:" + quoted + r")", text) is not None


def _go_test(text: str, name: str) -> bool:
    if not name.startswith("Test"):
        return False
    return re.search(r"^func\s+" + re.escape(name) + r"\s*\(\s*\w+\s+\*testing\.T\s*\)", text, re.M) is not None


TEST_FINDERS = {
    ".rs": _rust_test,
    ".py": _python_test,
    ".js": _js_test,
    ".jsx": _js_test,
    ".ts": _js_test,
    ".tsx": _js_test,
    ".mjs": _js_test,
    ".cjs": _js_test,
    ".go": _go_test,
}


def defines_test(file: Path, name: str) -> tuple[bool, str]:
    finder = TEST_FINDERS.get(file.suffix)
    if finder is None:
        return False, f"tests in {file.suffix or 'extension-less'} files are not recognised"
    try:
        if file.stat().st_size > MAX_TEST_FILE:
            return False, "file is over the size limit"
        text = file.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return False, f"cannot be read ({exc.strerror})"
    return (True, "") if finder(text, name) else (False, f"no test {name!r} is defined in it")


# ---------------------------------------------------------------- URLs


class UrlCache:
    """Results of URL checks under the root, reused until they are older than the TTL."""

    def __init__(self, root: Path, ttl_hours: float) -> None:
        self.file = root / CACHE_DIR / CACHE_FILE
        self.ttl = ttl_hours * 3600
        self.entries: dict[str, dict[str, object]] = {}
        self.lock = threading.Lock()
        self.dirty = False
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
            if isinstance(data, dict):
                self.entries = {k: v for k, v in data.items() if isinstance(v, dict)}
        except (OSError, ValueError):
            self.entries = {}

    def get(self, url: str) -> tuple[str, str] | None:
        entry = self.entries.get(url)
        if not entry or self.ttl <= 0:
            return None
        checked = entry.get("checked")
        if not isinstance(checked, (int, float)) or time.time() - checked > self.ttl:
            return None
        return str(entry.get("status")), str(entry.get("detail", ""))

    def put(self, url: str, status: str, detail: str) -> None:
        with self.lock:
            self.entries[url] = {"status": status, "detail": detail, "checked": time.time()}
            self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            (self.file.parent / ".gitignore").write_text("*\n", encoding="utf-8")
            tmp = self.file.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.entries, sort_keys=True), encoding="utf-8")
            os.replace(tmp, self.file)
        except OSError:
            pass  # a read-only checkout still gets correct results, only slower next time


def check_url(fetcher: Fetcher, url: str) -> tuple[str, str]:
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


def check_urls(scope: Scope, urls: list[str]) -> dict[str, tuple[str, str]]:
    program = scope.program
    unique = sorted(set(urls))
    out: dict[str, tuple[str, str]] = {}
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

    def one(url: str) -> tuple[str, tuple[str, str]]:
        result = check_url(fetcher, url)
        if result[0] != REFUSED:
            cache.put(url, *result)
        progress.step()
        return url, result

    if todo:
        with ThreadPoolExecutor(max_workers=min(program.network.concurrency, len(todo))) as pool:
            for url, result in pool.map(one, todo):
                out[url] = result
    cache.save()
    return out


# ---------------------------------------------------------------- all evidence


def verify_evidence(scope: Scope) -> EvidenceResults:
    items = [e for inv in scope.invariants for e in inv.evidence]
    urls = [e.ref for e in items if e.kind in ("url", "issue")]
    url_results = {} if scope.offline else check_urls(scope, urls)
    results = []
    for e in items:
        results.append(_verify_one(scope, e, url_results))
    return EvidenceResults(results)


def _verify_one(scope: Scope, e: Evidence, url_results: dict[str, tuple[str, str]]) -> EvidenceResult:
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
            return EvidenceResult(e, UNCHECKED, f"not checked: source {e.source!r} is not present", "EVID005")
    else:
        base = scope.root
    ref, _, test_name = e.ref.partition("::") if e.kind == "test" else (e.ref, "", "")
    files = scope.tracker_files
    if files is not None and not e.source:
        return _verify_at_commit(e, ref, test_name, files)
    target, why = confined(base, ref)
    if target is None:
        return EvidenceResult(e, MISSING, why, "EVID001")
    if not target.exists():
        where = f"source {e.source!r}" if e.source else "the tracker"
        return EvidenceResult(e, MISSING, f"{ref!r} does not exist in {where}", "EVID001")
    if e.kind == "test":
        if not test_name:
            return EvidenceResult(e, MISSING, f"{e.ref!r} must name a test as 'path::name'", "EVID002")
        if not target.is_file():
            return EvidenceResult(e, MISSING, f"{ref!r} is not a file", "EVID001")
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
    return EvidenceResult(e, MISSING, f"{ref!r} does not exist at this commit", "EVID001")
