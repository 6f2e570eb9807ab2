"""Routes of Express apps, with prefixes followed through `app.use` and module imports."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from checks.endpoints.routes.common import Route, SourceFile, balanced, join_path, line_at

_JS_STR = r"""(?:'([^'\\\n]*)'|"([^"\\\n]*)"|`([^`\\$]*)`)"""
_EXPRESS_ROUTE = re.compile(r"\b([A-Za-z_$][\w$]*)\.(get|post|put|patch|delete|head|options|all)\s*\(\s*" + _JS_STR)
_EXPRESS_CHAIN = re.compile(r"\b([A-Za-z_$][\w$]*)\.route\s*\(\s*" + _JS_STR + r"\s*\)")
_EXPRESS_CHAINED = re.compile(r"\s*\.(get|post|put|patch|delete|head|options|all)\s*\(")
_EXPRESS_USE = re.compile(r"\b[A-Za-z_$][\w$]*\.use\s*\(\s*" + _JS_STR + r"\s*,\s*([^)]*)\)")
_JS_IMPORT = re.compile(
    r"""(?:const|let|var|import)\s+([A-Za-z_$][\w$]*)\s*(?:=\s*require\s*\(\s*|from\s*)['"]([^'"]+)['"]"""
)
_JS_ROUTER = re.compile(r"\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:express\.)?Router\s*\(")


def _js_str(m: re.Match[str], first: int) -> str:
    return next(g for g in (m.group(first), m.group(first + 1), m.group(first + 2)) if g is not None)


def _resolve_module(importer: str, spec: str, known: set[str]) -> str | None:
    if not spec.startswith("."):
        return None
    base = (Path(importer).parent / spec).as_posix()
    parts: list[str] = []
    for part in base.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part and part != ".":
            parts.append(part)
    joined = "/".join(parts)
    for candidate in (
        joined,
        *(joined + ext for ext in (".js", ".ts", ".mjs", ".cjs")),
        *(joined + "/index" + ext for ext in (".js", ".ts")),
    ):
        if candidate in known:
            return candidate
    return None


def extract_express(files: Iterable[SourceFile]) -> list[Route]:
    files = list(files)
    known = {f.path for f in files}
    var_prefix: dict[tuple[str, str], set[str]] = defaultdict(set)  # (file, var) -> prefixes
    file_prefix: dict[str, set[str]] = defaultdict(set)  # module file -> prefixes it is mounted at
    for f in files:
        imports = {m.group(1): m.group(2) for m in _JS_IMPORT.finditer(f.text)}
        for m in _EXPRESS_USE.finditer(f.text):
            prefix = _js_str(m, 1)
            target = m.group(4).strip()
            req = re.match(r"""require\s*\(\s*['"]([^'"]+)['"]""", target)
            module = _resolve_module(f.path, req.group(1), known) if req else None
            if module is None and target in imports:
                module = _resolve_module(f.path, imports[target], known)
            if module is not None:
                file_prefix[module].add(prefix)
            else:
                var_prefix[(f.path, target)].add(prefix)
    routes = []
    for f in files:
        routers = {m.group(1) for m in _JS_ROUTER.finditer(f.text)}
        found = [(m.group(1), m.group(2).upper(), _js_str(m, 3), m.start()) for m in _EXPRESS_ROUTE.finditer(f.text)]
        for m in _EXPRESS_CHAIN.finditer(f.text):
            end = m.end()
            while chained := _EXPRESS_CHAINED.match(f.text, end):
                found.append((m.group(1), chained.group(1).upper(), _js_str(m, 2), m.start()))
                end = balanced(f.text, chained.end() - 1) + 1
        for var, method, path, pos in found:
            if not path.startswith("/"):
                continue
            prefixes = (
                var_prefix.get((f.path, var))
                or (file_prefix.get(f.path) if var in routers or var == "router" else None)
                or {""}
            )
            for prefix in prefixes:
                routes.append(
                    Route(join_path(prefix, path), "ANY" if method == "ALL" else method, f.path, line_at(f.text, pos))
                )
    return sorted(set(routes))
