"""Route declarations extracted from source trees by framework presets.

The extractors read source text, not ASTs: they find route calls, resolve string constants across
files, and follow the prefixes that nesting adds (axum `.nest`, FastAPI `prefix=`, Flask
`url_prefix=`, Express `app.use`). Each route keeps the file and line it was declared at.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from checks.endpoints.normalize import METHODS


@dataclass(frozen=True, order=True)
class Route:
    path: str
    method: str
    file: str
    line: int


@dataclass(frozen=True)
class SourceFile:
    path: str  # relative to the source root
    text: str


def _line_at(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _join(prefix: str, path: str) -> str:
    if not prefix:
        return path
    if path in ("", "/"):
        return prefix.rstrip("/") or "/"
    return prefix.rstrip("/") + "/" + path.lstrip("/")


# ---------------------------------------------------------------- Rust / axum

_RUST_STRING = r'(?:r#*"(?:[^"\\]|\\.)*?"#*|"(?:[^"\\]|\\.)*")'
_RUST_CONST = re.compile(
    r"\b(?:pub(?:\([^)]*\))?\s+)?(?:const|static)\s+([A-Z_][A-Z0-9_]*)\s*:\s*&\s*(?:'static\s+)?str\s*=\s*("
    + _RUST_STRING
    + r")\s*;",
    re.S,
)
_RUST_FN = re.compile(r"\bfn\s+([a-z_][a-z0-9_]*)\s*(?:<[^>{]*>)?\s*\(")
_AXUM_METHOD = re.compile(r"\b(get|post|put|patch|delete|head|options|trace|any)(?:_service)?\s*\(")
_AXUM_ON = re.compile(r"MethodFilter::([A-Z]+)")


def _rust_unquote(token: str) -> str:
    token = token.strip()
    if token.startswith("r"):
        return token.lstrip("r").strip("#")[1:-1]
    return bytes(token[1:-1], "utf-8").decode("unicode_escape", errors="replace")


def _skip_string(text: str, i: int) -> int:
    """Index after the string or char literal starting at `i` (Rust, Python and JS quoting)."""
    quote = text[i]
    j = i + 1
    while j < len(text):
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c == quote:
            return j + 1
        if quote == "'" and j - i > 3 and text[i:].startswith("'") and c == "\n":
            return i + 1  # a Rust lifetime, not a char literal
        j += 1
    return j


def _balanced(text: str, open_at: int) -> int:
    """Index of the bracket that closes the one at `open_at`, skipping strings and comments."""
    pairs = {"(": ")", "{": "}", "[": "]"}
    stack = [pairs[text[open_at]]]
    i = open_at + 1
    while i < len(text) and stack:
        c = text[i]
        if c in '"`':
            i = _skip_string(text, i)
            continue
        if c == "'" and i + 2 < len(text) and (text[i + 2] == "'" or text[i + 1] == "\\"):
            i = _skip_string(text, i)
            continue
        if text.startswith("//", i):
            end = text.find("\n", i)
            i = len(text) if end == -1 else end
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = len(text) if end == -1 else end + 2
            continue
        if c in pairs:
            stack.append(pairs[c])
        elif stack and c == stack[-1]:
            stack.pop()
            if not stack:
                return i
        i += 1
    return len(text) - 1


def _statement_end(text: str, start: int) -> int:
    """Index of the `;` that ends the statement starting at `start` (brackets and strings skipped)."""
    i = start
    while i < len(text):
        c = text[i]
        if c in '"`':
            i = _skip_string(text, i)
            continue
        if c in "([{":
            i = _balanced(text, i) + 1
            continue
        if c == ";":
            return i
        i += 1
    return len(text)


def _split_args(args: str) -> list[str]:
    out, depth, start, i = [], 0, 0, 0
    while i < len(args):
        c = args[i]
        if c in '"`':
            i = _skip_string(args, i)
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth == 0:
            out.append(args[start:i])
            start = i + 1
        i += 1
    out.append(args[start:])
    return [a.strip() for a in out]


def _rust_path_value(arg: str, consts: dict[str, str]) -> str | None:
    arg = arg.strip().lstrip("&")
    if re.fullmatch(_RUST_STRING, arg, re.S):
        return _rust_unquote(arg)
    name = arg.split("::")[-1].strip()
    return consts.get(name)


def _rust_functions(text: str) -> list[tuple[str, int, int]]:
    """(name, body start, body end) of each fn with a body."""
    out = []
    for m in _RUST_FN.finditer(text):
        paren = text.find("(", m.end() - 1)
        close = _balanced(text, paren)
        brace = text.find("{", close)
        semi = text.find(";", close)
        if brace == -1 or (semi != -1 and semi < brace):
            continue
        out.append((m.group(1), brace, _balanced(text, brace)))
    return out


def extract_axum(files: Iterable[SourceFile], unresolved: list[tuple[str, int, str]] | None = None) -> list[Route]:
    """Routes of axum routers; paths the extractor cannot resolve are appended to `unresolved`."""
    files = list(files)
    consts: dict[str, str] = {}
    for f in files:
        for m in _RUST_CONST.finditer(f.text):
            consts[m.group(1)] = _rust_unquote(m.group(2))

    # Routes and nest/merge calls, each attributed to the function whose body holds it.
    routes: list[tuple[str, str, int, str, str, list[str]]] = []  # fn, path, line, file, method, inline prefixes
    edges: dict[str, list[tuple[str, str]]] = defaultdict(list)  # callee fn -> [(caller fn, prefix)]
    for f in files:
        text = f.text
        functions = _rust_functions(text)

        def owner(pos: int, functions: list[tuple[str, int, int]] = functions) -> str:
            inside = [fn for fn in functions if fn[1] <= pos <= fn[2]]
            return min(inside, key=lambda fn: fn[2] - fn[1])[0] if inside else ""

        nests: list[tuple[int, int, str]] = []  # inline nest spans: (start, end, prefix)
        for m in re.finditer(r"\.(nest|merge)\s*\(", text):
            open_at = m.end() - 1
            close = _balanced(text, open_at)
            args = _split_args(text[open_at + 1 : close])
            prefix = ""
            target = args[-1] if args else ""
            if m.group(1) == "nest" and len(args) >= 2:
                prefix = _rust_path_value(args[0], consts) or ""
            nests.append((open_at, close, prefix))
            called = re.match(r"(?:[A-Za-z_][A-Za-z0-9_]*::)*([a-z_][a-z0-9_]*)\s*\(", target)
            if called:
                edges[called.group(1)].append((owner(m.start()), prefix))
            else:
                var = re.fullmatch(r"[a-z_][a-z0-9_]*", target)
                let_re = r"\blet\s+(?:mut\s+)?" + re.escape(target) + r"\s*(?::[^=]+)?=\s*"
                lets = list(re.finditer(let_re, text[: m.start()])) if var else []
                if lets:
                    let = lets[-1]
                    called_let = re.match(r"(?:[A-Za-z_][A-Za-z0-9_]*::)*([a-z_][a-z0-9_]*)\s*\(", text[let.end() :])
                    if called_let and called_let.group(1) != "new":
                        edges[called_let.group(1)].append((owner(m.start()), prefix))
                    else:
                        # `let r = Router::new().route(..);` then `.nest(P, r)`: routes in that statement get P.
                        nests.append((let.start(), _statement_end(text, let.end()), prefix))
        for m in re.finditer(r"\.route(?:_service)?\s*\(", text):
            open_at = m.end() - 1
            close = _balanced(text, open_at)
            args = _split_args(text[open_at + 1 : close])
            if not args:
                continue
            path = _rust_path_value(args[0], consts)
            if path is None:
                if unresolved is not None:
                    unresolved.append((f.path, _line_at(text, m.start()), " ".join(args[0].split())[:80]))
                continue
            handler = ",".join(args[1:])
            methods = [x.upper() for x in _AXUM_METHOD.findall(handler)] + _AXUM_ON.findall(handler)
            if "service" in m.group(0) or not methods:
                methods = ["ANY"]
            inline = [p for start, end, p in nests if start < open_at < end and p]
            for method in dict.fromkeys(methods):
                routes.append((owner(m.start()), path, _line_at(text, m.start()), f.path, method, inline))

    def prefixes(fn: str, seen: frozenset[str] = frozenset()) -> set[str]:
        if fn in seen or not edges.get(fn):
            return {""}
        out: set[str] = set()
        for caller, prefix in edges[fn]:
            for outer in prefixes(caller, seen | {fn}):
                out.add(_join(outer, prefix))
        return out

    result = []
    for fn, path, line, file, method, inline in routes:
        inner = path
        for prefix in reversed(inline):
            inner = _join(prefix, inner)
        for outer in prefixes(fn):
            result.append(Route(_join(outer, inner), "ANY" if method == "ANY" else method, file, line))
    return sorted(set(result))


# ---------------------------------------------------------------- Python: FastAPI and Flask

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
    mounted: dict[str, set[str]] = defaultdict(set)  # router var -> prefixes it is included under
    for f in files:
        for m in _PY_ROUTER_PREFIX.finditer(f.text):
            open_at = m.end() - 1
            args = _split_args(f.text[open_at + 1 : _balanced(f.text, open_at)])
            own_prefix[(f.path, m.group(1))] = _py_kw(args, "prefix") or _py_kw(args, "url_prefix") or ""
        for m in _PY_INCLUDE.finditer(f.text):
            open_at = m.end() - 1
            args = _split_args(f.text[open_at + 1 : _balanced(f.text, open_at)])
            if args:
                var = args[0].split(".")[-1].strip()
                mounted[var].add(_py_kw(args, "prefix") or _py_kw(args, "url_prefix") or "")
    routes = []
    for f in files:
        for m in _PY_DECORATOR.finditer(f.text):
            var, kind = m.group(1), m.group(2)
            path = m.group(3) if m.group(3) is not None else m.group(4)
            open_at = f.text.find("(", m.start())
            args = _split_args(f.text[open_at + 1 : _balanced(f.text, open_at)])
            if kind in ("route", "api_route"):
                methods_arg = next((a for a in args if a.startswith("methods")), "")
                methods = [x.upper() for x in re.findall(r"['\"]([A-Za-z]+)['\"]", methods_arg)]
                methods = methods or (["GET"] if kind == "route" else ["ANY"])
            elif kind == "websocket":
                methods = ["GET"]
            else:
                methods = [kind.upper()]
            base = own_prefix.get((f.path, var), "")
            for outer in mounted.get(var) or {""}:
                for method in methods:
                    routes.append(Route(_join(outer, _join(base, path)), method, f.path, _line_at(f.text, m.start())))
        for m in _PY_ADD_ROUTE.finditer(f.text):
            # app.add_api_route("/x", handler, methods=[...]) and app.add_url_rule("/x", view_func=..., methods=[...])
            open_at = m.end() - 1
            args = _split_args(f.text[open_at + 1 : _balanced(f.text, open_at)])
            literal = re.fullmatch(_PY_STR, args[0]) if args else None
            if not literal:
                continue
            path = literal.group(1) if literal.group(1) is not None else literal.group(2)
            methods_arg = next((a for a in args if a.startswith("methods")), "")
            methods = [x.upper() for x in re.findall(r"['\"]([A-Za-z]+)['\"]", methods_arg)] or ["GET"]
            var = m.group(1)
            base = own_prefix.get((f.path, var), "")
            for outer in mounted.get(var) or {""}:
                for method in methods:
                    routes.append(Route(_join(outer, _join(base, path)), method, f.path, _line_at(f.text, m.start())))
    return sorted(set(routes))


# ---------------------------------------------------------------- Express

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
                end = _balanced(f.text, chained.end() - 1) + 1
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
                    Route(_join(prefix, path), "ANY" if method == "ALL" else method, f.path, _line_at(f.text, pos))
                )
    return sorted(set(routes))


# ---------------------------------------------------------------- custom regex


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
            routes.append(Route(path, method if method in METHODS else "ANY", f.path, _line_at(f.text, m.start())))
    return sorted(set(routes))


PRESETS = {"axum": extract_axum, "fastapi": extract_python, "flask": extract_python, "express": extract_express}
