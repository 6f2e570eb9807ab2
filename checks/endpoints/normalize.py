"""Path templates from every framework in one form, and matching between them.

`{x}`, `:x`, `<x>`, `<conv:x>`, `$X` and `${X}` are one segment (`{}`); `{*x}`, `*x`, `*`,
`<path:x>` and `{x:path}` are the rest of the path (`{*}`). Query, fragment and trailing slash are
ignored; a full URL compares by its path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Generic, TypeVar
from urllib.parse import urlsplit

PARAM = "{}"
REST = "{*}"
T = TypeVar("T")
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


class TemplateIndex(Generic[T]):
    """Items keyed by a path template, for "which of them could match this path" without comparing all.

    A trie over normalized segments: a path walks the literal child equal to its segment and the
    parameter child, and collects every rest-of-path child on the way (`same_endpoint`, indexed).
    """

    def __init__(self, items: Iterable[tuple[str, T]]) -> None:
        self.root: _Node[T] = _Node()
        for order, (path, item) in enumerate(items):
            node = self.root
            for segment in _segments(path):
                node = node.children.setdefault(segment, _Node())
                if segment == REST:
                    break
            node.items.append((order, item))

    def matching(self, path: str) -> list[T]:
        """The items whose template could match `path`, in the order they were given."""
        found: list[tuple[int, T]] = []
        _walk(self.root, _segments(path), 0, found)
        return [item for _, item in sorted(found, key=lambda e: e[0])]


class _Node(Generic[T]):
    __slots__ = ("children", "items")

    def __init__(self) -> None:
        self.children: dict[str, _Node[T]] = {}
        self.items: list[tuple[int, T]] = []


def _segments(path: str) -> list[str]:
    text = normalize(path)
    return [] if text == "/" else text.split("/")[1:]


def _walk(node: _Node[T], segments: list[str], at: int, found: list[tuple[int, T]]) -> None:
    rest = node.children.get(REST)
    if at == len(segments):
        # A template's rest-of-path also matches nothing more.
        found.extend(node.items)
        found.extend(rest.items if rest else ())
        return
    segment = segments[at]
    if segment == REST:
        _collect_below(node, found)
        return
    found.extend(rest.items if rest else ())
    if segment == PARAM:
        for key, child in node.children.items():
            if key != REST:
                _walk(child, segments, at + 1, found)
        return
    for key in (segment, PARAM):
        below = node.children.get(key)
        if below is not None:
            _walk(below, segments, at + 1, found)


def _collect_below(node: _Node[T], found: list[tuple[int, T]]) -> None:
    """Everything at or below `node`: a rest-of-path segment in the path matches it all."""
    found.extend(node.items)
    for child in node.children.values():
        _collect_below(child, found)
