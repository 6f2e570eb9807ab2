"""Routes of FastAPI and Flask apps, with router and blueprint prefixes."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from checks.endpoints.routes.common import Route, SourceFile, balanced, join_path, line_at, split_args
from checks.endpoints.routes.conditions import both, python_condition

_PY_STR = r"""(?:[rbuf]{0,2})(?:"([^"\\\n]*)"|'([^'\\\n]*)')"""
_PY_DECORATOR = re.compile(
    r"^[ \t]*@\s*([A-Za-z_][A-Za-z0-9_]*)\.(get|post|put|patch|delete|head|options|route|api_route|websocket)\s*\(\s*"
    + _PY_STR,
    re.M,
)
_PY_ROUTER_PREFIX = re.compile(
    r"\b([A-Za-z_][A-Za-z0-9_]*)\s*(?::\s*[A-Za-z_.]+)?\s*=\s*(?:[A-Za-z_.]*\.)?(?:APIRouter|Blueprint)\s*\(", re.M
)
_PY_ADD_ROUTE = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)\.(add_api_route|add_url_rule)\s*\(")
_PY_INCLUDE = re.compile(r"\.(?:include_router|register_blueprint)\s*\(")


def _py_kw(args: list[str], name: str) -> str | None:
    for a in args:
        m = re.match(rf"{name}\s*=\s*" + _PY_STR + r"\s*$", a)
        if m:
            return m.group(1) if m.group(1) is not None else m.group(2)
    return None


def extract_python(files: Iterable[SourceFile]) -> list[Route]:
    files = list(files)
    own_prefix: dict[tuple[str, str], str] = {}  # (file, router var) -> prefix from its constructor
    # router var -> (prefix, condition) pairs it is included under
    mounted: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for f in files:
        for m in _PY_ROUTER_PREFIX.finditer(f.text):
            open_at = m.end() - 1
            args = split_args(f.text[open_at + 1 : balanced(f.text, open_at)])
            own_prefix[(f.path, m.group(1))] = _py_kw(args, "prefix") or _py_kw(args, "url_prefix") or ""
        for m in _PY_INCLUDE.finditer(f.text):
            open_at = m.end() - 1
            args = split_args(f.text[open_at + 1 : balanced(f.text, open_at)])
            if args:
                var = args[0].split(".")[-1].strip()
                prefix = _py_kw(args, "prefix") or _py_kw(args, "url_prefix") or ""
                mounted[var].add((prefix, python_condition(f.text, m.start())))
    routes = []
    for f in files:
        for m in _PY_DECORATOR.finditer(f.text):
            var, kind = m.group(1), m.group(2)
            path = m.group(3) if m.group(3) is not None else m.group(4)
            open_at = f.text.find("(", m.start())
            args = split_args(f.text[open_at + 1 : balanced(f.text, open_at)])
            if kind in ("route", "api_route"):
                methods_arg = next((a for a in args if a.startswith("methods")), "")
                methods = [x.upper() for x in re.findall(r"['\"]([A-Za-z]+)['\"]", methods_arg)]
                methods = methods or (["GET"] if kind == "route" else ["ANY"])
            elif kind == "websocket":
                methods = ["GET"]
            else:
                methods = [kind.upper()]
            base = own_prefix.get((f.path, var), "")
            routes += _mounted(f, m.start(), join_path(base, path), methods, mounted.get(var) or {("", "")})
        for m in _PY_ADD_ROUTE.finditer(f.text):
            # app.add_api_route("/x", handler, methods=[...]) and app.add_url_rule("/x", view_func=..., methods=[...])
            open_at = m.end() - 1
            args = split_args(f.text[open_at + 1 : balanced(f.text, open_at)])
            literal = re.fullmatch(_PY_STR, args[0]) if args else None
            if not literal:
                continue
            path = literal.group(1) if literal.group(1) is not None else literal.group(2)
            methods_arg = next((a for a in args if a.startswith("methods")), "")
            methods = [x.upper() for x in re.findall(r"['\"]([A-Za-z]+)['\"]", methods_arg)] or ["GET"]
            var = m.group(1)
            base = own_prefix.get((f.path, var), "")
            routes += _mounted(f, m.start(), join_path(base, path), methods, mounted.get(var) or {("", "")})
    return sorted(set(routes))


def _mounted(f: SourceFile, pos: int, path: str, methods: list[str], mounts: set[tuple[str, str]]) -> list[Route]:
    """The route at `pos` under each (prefix, condition) its router is included with, for each method."""
    here = python_condition(f.text, pos)
    return [
        Route(join_path(outer, path), method, f.path, line_at(f.text, pos), both(condition, here))
        for outer, condition in mounts
        for method in methods
    ]
