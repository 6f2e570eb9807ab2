"""Guards compiled to exact matchers, which guards apply to a path, and how one line's hits are recorded."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from checks.model import Guard
from checks.scan.globs import matches_any
from checks.scan.guards.hits import Hit, SourceScan, Suppression
from checks.scan.regexsafety import unsafe_regex

_IDENT = re.compile(r"\w", re.UNICODE)
_SUPPRESSION = re.compile(r"gates:\s*allow\s+(?P<ids>[\w.,-]+)(?:\s+reason\s*=\s*\"(?P<reason>[^\"]*)\")?")
MAX_LINE_CHARS = 400


def compile_guard(guard: Guard) -> tuple[re.Pattern[str] | None, str | None]:
    """The guard's exact matcher, or an error message when its pattern is not a valid regex."""
    if not guard.pattern:
        return None, "is empty"
    if guard.regex:
        unsafe = unsafe_regex(guard.pattern, 0 if guard.case_sensitive else re.IGNORECASE)
        if unsafe:
            return None, unsafe
    body = guard.pattern if guard.regex else re.escape(guard.pattern)
    if guard.word:
        # Word-bounded means "not part of a longer identifier": only sides where the symbol itself
        # begins or ends with an identifier character get a boundary, so '/sync/x' still matches
        # inside 'wss://host/sync/x' while 'open_in_memory' is not 'in_memory'.
        left = not guard.regex and not _IDENT.match(guard.pattern[0])
        right = not guard.regex and not _IDENT.match(guard.pattern[-1])
        body = ("" if left else r"(?<!\w)") + f"(?:{body})" + ("" if right else r"(?!\w)")
    try:
        return re.compile(body, 0 if guard.case_sensitive else re.IGNORECASE), None
    except re.error as exc:
        return None, f"is not a valid regular expression: {exc}"


@dataclass(frozen=True)
class CompiledGuard:
    guard: Guard
    regex: re.Pattern[str]


# Language names a guard's `files` may use, as globs.
LANGUAGES = {
    "rust": ("**/*.rs",),
    "python": ("**/*.py", "**/*.pyi"),
    "typescript": ("**/*.ts", "**/*.tsx", "**/*.mts", "**/*.cts"),
    "javascript": ("**/*.js", "**/*.jsx", "**/*.mjs", "**/*.cjs"),
    "go": ("**/*.go",),
    "shell": ("**/*.sh", "**/*.bash", "**/*.zsh"),
    "swift": ("**/*.swift",),
    "kotlin": ("**/*.kt", "**/*.kts"),
    "java": ("**/*.java",),
    "proto": ("**/*.proto",),
    "json": ("**/*.json",),
    "yaml": ("**/*.yaml", "**/*.yml"),
    "toml": ("**/*.toml",),
}
# Documentation is read by drift, not by guards, unless a guard names it in `files`.
DOCS = ("**/*.md", "**/*.markdown", "**/*.rst", "**/*.txt", "**/*.adoc")


def in_files(path: str, files: tuple[str, ...]) -> bool:
    """Whether a guard with these `files` reads `path` (no `files`: anything but documentation)."""
    if not files:
        return not matches_any(path, DOCS)
    globs = [g for f in files for g in LANGUAGES.get(f.lower(), (f,))]
    return matches_any(path, globs)


def applicable_guards(
    path: str, source: str, compiled: Iterable[CompiledGuard], global_exclude: tuple[str, ...]
) -> list[CompiledGuard]:
    if global_exclude and matches_any(path, global_exclude):
        return []
    return [
        c
        for c in compiled
        if (not c.guard.sources or source in c.guard.sources)
        and matches_any(path, c.guard.paths)
        and not matches_any(path, c.guard.exclude)
        and in_files(path, c.guard.files)
    ]


def record_line_hits(
    source: str, path: str, lineno: int, text: str, guards: list[CompiledGuard], scan: SourceScan
) -> None:
    found = [(m, c.guard) for c in guards for m in c.regex.finditer(text)]
    if not found:
        return
    suppression = _SUPPRESSION.search(text)
    allowed = set(suppression.group("ids").split(",")) if suppression else set()
    reason = (suppression.group("reason") or "").strip() if suppression else ""
    shown = text.strip()
    if len(shown) > MAX_LINE_CHARS:
        shown = shown[:MAX_LINE_CHARS] + "…"
    for match, guard in found:
        hit = Hit(source, path, lineno, match.start() + 1, guard.id, match.group(0)[:200], shown)
        if guard.id in allowed and reason:
            scan.suppressed.append((hit, Suppression(source, path, lineno, guard.id, reason, shown)))
        else:
            if guard.id in allowed:
                scan.unreasoned.append(hit)
            scan.hits.append(hit)
