"""Per-commit history results cached as JSON under `.gates-cache/history/`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CACHE = Path(".gates-cache") / "history"


class Cache:
    def __init__(self, root: Path, kind: str) -> None:
        self.folder = root / CACHE / kind
        self.hits = 0

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            value = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        self.hits += 1
        return value if isinstance(value, dict) else None

    def put(self, key: str, value: dict[str, Any]) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder.parent.parent / ".gitignore").write_text("*\n", encoding="utf-8")
            (self.folder / f"{key}.json").write_text(json.dumps(value), encoding="utf-8")
        except OSError:
            pass  # a read-only tree still works, only slower next time
