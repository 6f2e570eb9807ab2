"""Whether a file defines a named test: one finder per language, chosen by the file's extension."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

MAX_TEST_FILE = 4 * 1024 * 1024

_RUST_TEST_ATTR = re.compile(
    r"#\[\s*(?:[\w:]+::)?(?:test|rstest|test_case|tokio::test|async_std::test|wasm_bindgen_test)\b"
)


def _rust_test(text: str, name: str) -> bool:
    for m in re.finditer(r"\bfn\s+" + re.escape(name) + r"\s*(?:<[^>]*>)?\s*\(", text):
        before = text[max(0, m.start() - 600) : m.start()]
        attrs = re.findall(r"#\[[^\]]*\]", before.rsplit(";", 1)[-1].rsplit("}", 1)[-1])
        if any(_RUST_TEST_ATTR.match(a) for a in attrs):
            return True
        # Inside a #[cfg(test)] module: the nearest such module before the fn encloses it.
        for mod in re.finditer(r"#\[cfg\(test\)\]\s*(?:pub\s+)?mod\s+\w+\s*\{", text[: m.start()]):
            depth = text.count("{", mod.end() - 1, m.start()) - text.count("}", mod.end() - 1, m.start())
            if depth > 0:
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
        if file.stat().st_size > MAX_TEST_FILE:
            return False, "file is over the size limit"
        text = file.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return False, f"cannot be read ({exc.strerror})"
    return (True, "") if finder(text, name) else (False, f"no test {name!r} is defined in it")
