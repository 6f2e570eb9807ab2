"""Where Gates keeps its caches: outside the tracker, in the user's cache directory, one folder per tracker.

A cache inside the repository would be data a pull request controls: a committed `urls.json` that
says "verified" must never count as evidence. So caches live under `$GATES_CACHE_DIR`, else
`$XDG_CACHE_HOME/gates`, else `~/.cache/gates`, keyed by the tracker's resolved path.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def cache_base() -> Path:
    """The user's Gates cache folder, shared by every tracker (for entries keyed by content alone)."""
    return Path(
        os.environ.get("GATES_CACHE_DIR")
        or os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "gates")
    )


def cache_dir(root: Path) -> Path:
    key = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return cache_base() / key
