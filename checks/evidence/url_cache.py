"""The URL check cache under `.gates-cache/`: results reused until they are older than the TTL."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

from checks.evidence.results import EvidenceStatus

CACHE_DIR = ".gates-cache"
CACHE_FILE = "urls.json"


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

    def get(self, url: str) -> tuple[EvidenceStatus, str] | None:
        entry = self.entries.get(url)
        if not entry or self.ttl <= 0:
            return None
        checked = entry.get("checked")
        if not isinstance(checked, (int, float)) or time.time() - checked > self.ttl:
            return None
        try:
            status = EvidenceStatus(str(entry.get("status")))
        except ValueError:
            return None  # not a status this checker knows: check the URL again
        return status, str(entry.get("detail", ""))

    def put(self, url: str, status: EvidenceStatus, detail: str) -> None:
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
