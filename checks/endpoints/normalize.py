"""Path templates from every framework in one form, and matching between them.

`{x}`, `:x`, `<x>`, `<conv:x>`, `$X` and `${X}` are one segment (`{}`); `{*x}`, `*x`, `*`,
`<path:x>` and `{x:path}` are the rest of the path (`{*}`). Query, fragment and trailing slash are
ignored; a full URL compares by its path.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

PARAM = "{}"
REST = "{*}"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")

_REST_SEGMENT = re.compile(r"^(?:\{\*[^}]*\}|\*[A-Za-z0-9_]*|<path:[^>]+>|\{[^}:]+:path\}|\.\.\.)$")
_PARAM_SEGMENT = re.compile(
    r"^(?:\{[^}]*\}|:[A-Za-z_][A-Za-z0-9_]*\??(?:\([^)]*\))?|<[^>]+>|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?)$"
)


@lru_cache(maxsize=65536)
def normalize(path: str) -> str:
    """The canonical template of `path` (a path or a full URL)."""
    text = path.strip()
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", text):
        try:
            text = urlsplit(text).path or "/"
        except ValueError:
            return ""
    text = text.split("#", 1)[0].split("?", 1)[0]
    segments = []
    for segment in text.split("/"):
        if not segment:
            continue
        if _REST_SEGMENT.match(segment):
            segments.append(REST)
            break
        segments.append(PARAM if _PARAM_SEGMENT.match(segment) else segment)
    return "/" + "/".join(segments)


@lru_cache(maxsize=65536)
def same_endpoint(a: str, b: str) -> bool:
    """True when some concrete path could match both templates."""
    left = normalize(a).split("/")[1:]
    right = normalize(b).split("/")[1:]
    left = [] if left == [""] else left
    right = [] if right == [""] else right
    for i in range(max(len(left), len(right))):
        x = left[i] if i < len(left) else None
        y = right[i] if i < len(right) else None
        if REST in (x, y):
            return True
        if x is None or y is None:
            return False
        if x != y and PARAM not in (x, y):
            return False
    return True


def same_method(a: str, b: str) -> bool:
    return a in ("", "ANY") or b in ("", "ANY") or a.upper() == b.upper()
