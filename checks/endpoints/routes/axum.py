"""Routes of Rust axum routers, with prefixes followed through `.nest` and `.merge`."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from checks.endpoints.routes.common import Route, SourceFile, balanced, join_path, line_at, skip_string, split_args
from checks.endpoints.routes.conditions import both, enclosing, rust_conditions

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


def _statement_end(text: str, start: int) -> int:
    """Index of the `;` that ends the statement starting at `start` (brackets and strings skipped)."""
    i = start
    while i < len(text):
        c = text[i]
        if c in '"`':
            i = skip_string(text, i)
            continue
        if c in "([{":
            i = balanced(text, i) + 1
            continue
        if c == ";":
            return i
        i += 1
    return len(text)


def _rust_path_value(arg: str, consts: dict[str, str]) -> str | None:
    arg = arg.strip().lstrip("&")
    if re.fullmatch(_RUST_STRING, arg, re.S):
        return _rust_unquote(arg)
    name = arg.split("::")[-1].strip()
    if name in consts:
        return consts[name]
    # A path taken from configuration (`runtime_internal_secret_fetch_path`) ships its default
    # (`DEFAULT_RUNTIME_INTERNAL_SECRET_FETCH_PATH`) unless the deployment overrides it.
    if re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        return consts.get(f"DEFAULT_{name.upper()}")
    return None


def _rust_functions(text: str) -> list[tuple[str, int, int]]:
    """(name, body start, body end) of each fn with a body."""
    out = []
    for m in _RUST_FN.finditer(text):
        paren = text.find("(", m.end() - 1)
        close = balanced(text, paren)
        brace = text.find("{", close)
        semi = text.find(";", close)
        if brace == -1 or (semi != -1 and semi < brace):
            continue
        out.append((m.group(1), brace, balanced(text, brace)))
    return out


def extract_axum(files: Iterable[SourceFile], unresolved: list[tuple[str, int, str]] | None = None) -> list[Route]:
    """Routes of axum routers; paths the extractor cannot resolve are appended to `unresolved`."""
    files = list(files)
    consts: dict[str, str] = {}
    for f in files:
        for m in _RUST_CONST.finditer(f.text):
            consts[m.group(1)] = _rust_unquote(m.group(2))

    # Routes and nest/merge calls, each attributed to the function whose body holds it.
    # fn, path, line, file, method, inline prefixes, condition
    routes: list[tuple[str, str, int, str, str, list[str], str]] = []
    edges: dict[str, list[tuple[str, str, str]]] = defaultdict(list)  # callee fn -> [(caller fn, prefix, condition)]
    for f in files:
        text = f.text
        if ".route" not in text and ".nest" not in text and ".merge" not in text:
            continue  # no router call: nothing below would match, and parsing its functions is most of the cost
        functions = _rust_functions(text)
        spans = rust_conditions(text)

        def owner(pos: int, functions: list[tuple[str, int, int]] = functions) -> str:
            inside = [fn for fn in functions if fn[1] <= pos <= fn[2]]
            return min(inside, key=lambda fn: fn[2] - fn[1])[0] if inside else ""

        nests: list[tuple[int, int, str]] = []  # inline nest spans: (start, end, prefix)
        for m in re.finditer(r"\.(nest|merge)\s*\(", text):
            open_at = m.end() - 1
            close = balanced(text, open_at)
            args = split_args(text[open_at + 1 : close])
            prefix = ""
            target = args[-1] if args else ""
            if m.group(1) == "nest" and len(args) >= 2:
                prefix = _rust_path_value(args[0], consts) or ""
            nests.append((open_at, close, prefix))
            called = re.match(r"(?:[A-Za-z_][A-Za-z0-9_]*::)*([a-z_][a-z0-9_]*)\s*\(", target)
            if called:
                edges[called.group(1)].append((owner(m.start()), prefix, enclosing(spans, m.start())))
            else:
                var = re.fullmatch(r"[a-z_][a-z0-9_]*", target)
                let_re = r"\blet\s+(?:mut\s+)?" + re.escape(target) + r"\s*(?::[^=]+)?=\s*"
                lets = list(re.finditer(let_re, text[: m.start()])) if var else []
                if lets:
                    let = lets[-1]
                    called_let = re.match(r"(?:[A-Za-z_][A-Za-z0-9_]*::)*([a-z_][a-z0-9_]*)\s*\(", text[let.end() :])
                    if called_let and called_let.group(1) != "new":
                        edges[called_let.group(1)].append((owner(m.start()), prefix, enclosing(spans, m.start())))
                    else:
                        # `let r = Router::new().route(..);` then `.nest(P, r)`: routes in that statement get P.
                        nests.append((let.start(), _statement_end(text, let.end()), prefix))
        for m in re.finditer(r"\.route(?:_service)?\s*\(", text):
            open_at = m.end() - 1
            close = balanced(text, open_at)
            args = split_args(text[open_at + 1 : close])
            if not args:
                continue
            path = _rust_path_value(args[0], consts)
            if path is None:
                if unresolved is not None:
                    unresolved.append((f.path, line_at(text, m.start()), " ".join(args[0].split())[:80]))
                continue
            handler = ",".join(args[1:])
            methods = [x.upper() for x in _AXUM_METHOD.findall(handler)] + _AXUM_ON.findall(handler)
            if "service" in m.group(0) or not methods:
                methods = ["ANY"]
            inline = [p for start, end, p in nests if start < open_at < end and p]
            condition = enclosing(spans, m.start())
            for method in dict.fromkeys(methods):
                routes.append((owner(m.start()), path, line_at(text, m.start()), f.path, method, inline, condition))

    def prefixes(fn: str, seen: frozenset[str] = frozenset()) -> set[tuple[str, str]]:
        """Each (prefix, condition) the function's router is mounted under, through every caller."""
        if fn in seen or not edges.get(fn):
            return {("", "")}
        out: set[tuple[str, str]] = set()
        for caller, prefix, condition in edges[fn]:
            for outer, outer_condition in prefixes(caller, seen | {fn}):
                out.add((join_path(outer, prefix), both(outer_condition, condition)))
        return out

    result = []
    for fn, path, line, file, method, inline, condition in routes:
        inner = path
        for prefix in reversed(inline):
            inner = join_path(prefix, inner)
        for outer, outer_condition in prefixes(fn):
            result.append(
                Route(
                    join_path(outer, inner),
                    "ANY" if method == "ANY" else method,
                    file,
                    line,
                    both(outer_condition, condition),
                )
            )
    return sorted(set(result))
