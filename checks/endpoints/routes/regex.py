"""Routes matched by a service's custom regex with `path` and optional `method` groups."""

from __future__ import annotations

import re
from collections.abc import Iterable

from checks.endpoints.normalize import METHODS
from checks.endpoints.routes.common import Route, SourceFile, line_at


def extract_regex(files: Iterable[SourceFile], pattern: str) -> list[Route]:
    regex = re.compile(pattern, re.M)
    routes = []
    for f in files:
        for m in regex.finditer(f.text):
            groups = m.groupdict()
            path = groups.get("path")
            if not path:
                continue
            method = (groups.get("method") or "ANY").upper()
            routes.append(Route(path, method if method in METHODS else "ANY", f.path, line_at(f.text, m.start())))
    return sorted(set(routes))
