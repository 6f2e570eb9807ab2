"""Where Gates keeps its caches: outside the tracker, in the user's cache directory, one folder per tracker.

A cache inside the repository would be data a pull request controls: a committed `urls.json` that
says "verified", or a marker that says "already validated", must never count. So caches live under
`$GATES_CACHE_DIR`, else `$XDG_CACHE_HOME/gates`, else `~/.cache/gates`, keyed by the tracker's
resolved path; and when that folder lies inside a tracker this process reads (a home directory that
is the checkout, a cache variable pointing into it), a private folder that lasts one run is used instead.
"""

from __future__ import annotations

import atexit
import hashlib
import os
from pathlib import Path

_TREES: set[Path] = set()
_SCRATCH: list[Path] = []


def _configured() -> Path:
    return Path(
        os.environ.get("GATES_CACHE_DIR")
        or os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "gates")
    )


def exclude_tree(root: Path) -> None:
    """Never use a cache folder inside `root`: what is there is what a pull request committed."""
    try:
        _TREES.add(root.resolve())
    except (OSError, RuntimeError):
        _TREES.add(root.absolute())


def _scratch() -> Path:
    if not _SCRATCH:
        import shutil  # rare: only when the cache folder lies inside a tracker
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="gates-cache-"))
        atexit.register(shutil.rmtree, folder, True)
        _SCRATCH.append(folder)
    return _SCRATCH[0]


def cache_base() -> Path:
    """The user's Gates cache folder, shared by every tracker (for entries keyed by content alone)."""
    base = _configured()
    if _TREES:
        try:
            real = base.resolve()
        except (OSError, RuntimeError):
            return _scratch()
        if any(real == tree or tree in real.parents for tree in _TREES):
            return _scratch()
    return base


def cache_dir(root: Path) -> Path:
    exclude_tree(root)
    key = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return cache_base() / key
