"""Whether a file defines a named test: one finder per language, chosen by the file's extension."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from checks.load.files import Unreadable, read_regular

MAX_TEST_FILE = 4 * 1024 * 1024

_RUST_TEST_ATTR = re.compile(
    r"#\[\s*(?:[\w:]+::)?(?:test|rstest|test_case|tokio::test|async_std::test|wasm_bindgen_test)\b"
)


_RUST_CFG_TEST_MOD = re.compile(r"#\[cfg\(test\)\]\s*(?:pub\s+)?mod\s+\w+\s*\{")


@lru_cache(maxsize=8)
def _rust_test_modules(text: str) -> list[tuple[int, int]]:
    """(open, close) offsets of each `#[cfg(test)]` module's braces, found in one pass over the braces."""
    opens = {m.end() - 1 for m in _RUST_CFG_TEST_MOD.finditer(text)}
    if not opens:
        return []
    spans, stack = [], []
    for brace in re.finditer(r"[{}]", text):
        if brace.group() == "{":
            stack.append(brace.start())
        elif stack:
            start = stack.pop()
            if start in opens:
                spans.append((start, brace.start()))
    # A module left open runs to the end of the file.
    spans += [(start, len(text)) for start in stack if start in opens]
    return spans


_RUST_FN = re.compile(r"\bfn\s+(\w+)\s*(?:<[^>]*>)?\s*\(")


@lru_cache(maxsize=8)
def _rust_functions(text: str) -> dict[str, list[int]]:
    """Where each function name is defined, found in one pass: evidence often names many tests of one file
    (and a pattern compiled per test name would cost more than the search)."""
    out: dict[str, list[int]] = {}
    for m in _RUST_FN.finditer(text):
        out.setdefault(m.group(1), []).append(m.start())
    return out


def _rust_test(text: str, name: str) -> bool:
    """Linear in the file: the test modules are found once, whatever the number of candidate functions."""
    modules: list[tuple[int, int]] | None = None
    for start in _rust_functions(text).get(name, []):
        before = text[max(0, start - 600) : start]
        attrs = re.findall(r"#\[[^\]]*\]", before.rsplit(";", 1)[-1].rsplit("}", 1)[-1])
        if any(_RUST_TEST_ATTR.match(a) for a in attrs):
            return True
        # Inside a #[cfg(test)] module: between its opening brace and the brace that closes it.
        if modules is None:
            modules = _rust_test_modules(text)
        if any(open_at < start < end for open_at, end in modules):
            return True
    return False


def _python_test(text: str, name: str) -> bool:
    parts = name.split("::")
    func = parts[-1]
    if not func.startswith("test"):
        return False
    if len(parts) == 2:
        cls = re.search(r"^class\s+" + re.escape(parts[0]) + r"\b[^\n]*:\s*$", text, re.M)
        if not cls:
            return False
        text = text[cls.end() :]
        return re.search(r"^[ \t]+(?:async\s+)?def\s+" + re.escape(func) + r"\s*\(", text, re.M) is not None
    return re.search(r"^(?:[ \t]*)(?:async\s+)?def\s+" + re.escape(func) + r"\s*\(", text, re.M) is not None


def _js_test(text: str, name: str) -> bool:
    quoted = "|".join(f"{q}{re.escape(name)}{q}" for q in ("'", '"', "`"))
    return re.search(r"\b(?:test|it)(?:\.(?:only|concurrent))?\s*\(\s*(?:" + quoted + r")", text) is not None


def _go_test(text: str, name: str) -> bool:
    if not name.startswith("Test"):
        return False
    return re.search(r"^func\s+" + re.escape(name) + r"\s*\(\s*\w+\s+\*testing\.T\s*\)", text, re.M) is not None


TEST_FINDERS: dict[str, Callable[[str, str], bool]] = {
    ".rs": _rust_test,
    ".py": _python_test,
    ".js": _js_test,
    ".jsx": _js_test,
    ".ts": _js_test,
    ".tsx": _js_test,
    ".mjs": _js_test,
    ".cjs": _js_test,
    ".go": _go_test,
}


def defines_test(file: Path, name: str) -> tuple[bool, str]:
    finder = TEST_FINDERS.get(file.suffix)
    if finder is None:
        return False, f"tests in {file.suffix or 'extension-less'} files are not recognised"
    try:
        raw = read_regular(file, MAX_TEST_FILE)
    except Unreadable as exc:
        return False, f"file {exc}"
    if raw is None:
        return False, "file does not exist"
    text = raw.decode("utf-8", errors="replace")
    return (True, "") if finder(text, name) else (False, f"no test {name!r} is defined in it")
