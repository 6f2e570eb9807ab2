"""Per-commit history results cached as JSON in the user cache directory, each entry checked before use."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from checks.load.cache_dir import cache_dir


class Cache:
    """`check` decides whether a cached value has the shape its writer gives it; one that does not is recomputed."""

    def __init__(self, root: Path, kind: str, check: Callable[[dict[str, Any]], bool] | None = None) -> None:
        self.folder = cache_dir(root) / "history" / kind
        self.check = check
        self.hits = 0

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            value = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return None
        if not isinstance(value, dict) or (self.check is not None and not self.check(value)):
            return None
        self.hits += 1
        return value

    def put(self, key: str, value: dict[str, Any]) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / f"{key}.json").write_text(json.dumps(value), encoding="utf-8")
        except OSError:
            pass  # a read-only tree still works, only slower next time
