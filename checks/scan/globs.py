"""Path globs with gitignore-like folder semantics, compiled once.

`*` and `?` stay inside one folder, `**` crosses folders, and a glob that names a folder also
matches everything below it (`vendor` excludes `vendor/x/y.rs`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache


# Unbounded: a program names a few thousand distinct globs at most (one set per exception, guard and
# service), and a bounded cache smaller than that evicts every entry before it is used again.
@cache
def glob_regex(glob: str) -> re.Pattern[str]:
    glob = glob.strip().lstrip("./") if glob.startswith("./") else glob.strip()
    glob = glob.lstrip("/")
    out = []
    i = 0
    while i < len(glob):
        c = glob[i]
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            end = glob.find("]", i + 1)
            if end == -1:
                out.append(re.escape(c))
                i += 1
            else:
                body = glob[i + 1 : end].replace("\\", "\\\\")
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = end + 1
        else:
            out.append(re.escape(c))
            i += 1
    body = "".join(out).rstrip("/")
    return re.compile(f"(?:{body})(?:/.*)?", re.DOTALL)


def matches(path: str, glob: str) -> bool:
    return glob_regex(glob).fullmatch(path) is not None


def matches_any(path: str, globs: Iterable[str]) -> bool:
    if not isinstance(globs, tuple):
        globs = tuple(globs)
    return bool(globs) and _any_regex(globs).fullmatch(path) is not None


@cache
def _any_regex(globs: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for a set of globs: a path is matched once, not once per glob."""
    return re.compile("|".join(f"(?:{glob_regex(g).pattern})" for g in globs), re.DOTALL)
