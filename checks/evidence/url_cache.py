"""The URL check cache in the user cache directory: results reused until they are older than the TTL."""

from __future__ import annotations

import json
import math
import os
import threading
import time
from pathlib import Path

from checks.evidence.results import EvidenceStatus
from checks.load.cache_dir import cache_dir

CACHE_FILE = "urls.json"
# Only what this cache itself writes; anything else in the file is ignored and the URL checked again.
_CACHED = (EvidenceStatus.VERIFIED, EvidenceStatus.BROKEN)


class UrlCache:
    """Results of URL checks under the root, reused until they are older than the TTL."""

    def __init__(self, root: Path, ttl_hours: float) -> None:
        self.file = cache_dir(root) / CACHE_FILE
        self.ttl = ttl_hours * 3600
        self.entries: dict[str, dict[str, object]] = {}
        self.lock = threading.Lock()
        self.dirty = False
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
            if isinstance(data, dict):
                self.entries = {k: v for k, v in data.items() if isinstance(v, dict)}
        except (OSError, ValueError, RecursionError):  # RecursionError: JSON nested too deeply to read
            self.entries = {}

    def get(self, url: str) -> tuple[EvidenceStatus, str] | None:
        entry = self.entries.get(url)
        if not entry or self.ttl <= 0:
            return None
        checked = entry.get("checked")
        now = time.time()
        if isinstance(checked, bool) or not isinstance(checked, (int, float)) or not math.isfinite(checked):
            return None
        if checked > now + 60 or now - checked > self.ttl:
            return None  # from the future (a forged or broken clock) or too old: check again
        status = entry.get("status")
        if status not in _CACHED or not isinstance(entry.get("detail", ""), str):
            return None  # not what this cache writes: check the URL again
        return EvidenceStatus(str(status)), str(entry.get("detail", ""))

    def put(self, url: str, status: EvidenceStatus, detail: str) -> None:
        with self.lock:
            self.entries[url] = {"status": status, "detail": detail, "checked": time.time()}
            self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.file.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.entries, sort_keys=True), encoding="utf-8")
            os.replace(tmp, self.file)
        except OSError:
            pass  # a read-only checkout still gets correct results, only slower next time
