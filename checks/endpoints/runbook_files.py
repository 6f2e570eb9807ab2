"""Which docs are runbooks: include globs over the tracker or a named source (`source:glob`), read confined."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from checks.endpoints.doc_refs import RecordedRunbooks, replay_runbooks
from checks.endpoints.rst import scan_rst
from checks.endpoints.runbooks import MAX_DOC_BYTES, RunbookScan, scan_text
from checks.load.files import Refusal, Unreadable, read_regular
from checks.scan.globs import matches_any

# Runbooks Gates reads, and doc formats it does not (an include that selects one of those says so).
READ = (".md", ".rst")
UNREAD = (".txt", ".adoc", ".asciidoc", ".org", ".textile", ".rdoc", ".html", ".htm", ".tex")
_SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "site", ".gates-cache", "__pycache__"}


def _literal_base(glob: str) -> str:
    parts = []
    for part in glob.split("/")[:-1]:
        if any(c in part for c in "*?["):
            break
        parts.append(part)
    return "/".join(parts)


def split_pattern(pattern: str, sources: set[str]) -> tuple[str, str]:
    """("openagents", "docs/sync/*.md") for "openagents:docs/sync/*.md"; ("", pattern) for the tracker."""
    name, sep, rest = pattern.partition(":")
    return (name, rest) if sep and name in sources else ("", pattern)


def escapes(glob: str) -> str:
    """Why a glob would leave its root ("" when it stays inside)."""
    if glob.startswith(("/", "~")) or (len(glob) > 1 and glob[1] == ":"):
        return "is an absolute path; runbook globs are relative to the tracker or to a source (source:glob)"
    if ".." in glob.split("/"):
        return "climbs out of its root with '..'; name the source instead (source:glob)"
    return ""


def active_docs(
    root: Path,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    outside: list[str] | None = None,
    unread: list[str] | None = None,
) -> list[str]:
    """Markdown files under the root that the runbook globs select (never outside the root).

    A symlink, to a doc or to a folder of docs, is followed while its target stays inside the root;
    one that leaves it is not read, and is listed in `outside`.
    """
    base = root.resolve()
    found: set[str] = set()
    seen: set[Path] = set()
    for start in sorted({_literal_base(g) for g in include}):
        top = root / start
        if not top.is_dir():
            continue
        stack = [top]
        while stack:
            folder = stack.pop()
            try:
                real = folder.resolve()
                entries = sorted(folder.iterdir()) if real not in seen else []
            except OSError:
                continue
            seen.add(real)
            for entry in entries:
                rel = entry.relative_to(root).as_posix()
                if entry.is_symlink():
                    try:
                        entry.resolve().relative_to(base)
                    except (ValueError, OSError, RuntimeError):
                        wanted = matches_any(rel, include) or matches_any(rel + "/x.md", include)
                        if outside is not None and wanted and not matches_any(rel, exclude):
                            outside.append(rel)
                        continue
                if entry.is_dir():
                    if entry.name not in _SKIP_DIRS:
                        stack.append(entry)
                    continue
                if not matches_any(rel, include) or matches_any(rel, exclude):
                    continue
                if entry.suffix in READ:
                    found.add(rel)
                elif entry.suffix.lower() in UNREAD and unread is not None:
                    unread.append(rel)
    return sorted(found)


def scan_runbooks(
    roots: Mapping[str, Path | None],
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    prefixes: tuple[str, ...],
    recorded: Mapping[str, RecordedRunbooks] | None = None,
) -> RunbookScan:
    """Scan the runbooks of every root: "" is the tracker, other keys are sources (None when absent).

    A source's docs are named `source:path` in findings, as guard hits are. An absent source whose
    record holds its runbooks (`recorded`) is replayed from the record instead of being unchecked.
    """
    scan = RunbookScan()
    names = {k for k in roots if k}
    wanted: dict[str, list[str]] = {}
    for pattern in include:
        name, glob = split_pattern(pattern, names)
        why = escapes(glob)
        if why:
            scan.refused.append((pattern, why))
            continue
        wanted.setdefault(name, []).append(glob)
    skipped: dict[str, list[str]] = {}
    for pattern in exclude:
        name, glob = split_pattern(pattern, names)
        skipped.setdefault(name, []).append(glob)
    for name, globs in sorted(wanted.items()):
        root = roots.get(name)
        replayed = (recorded or {}).get(name) if name else None
        if root is None and replayed is not None:
            replay_runbooks(name, tuple(globs), tuple(skipped.get(name, ())), replayed, scan)
            continue
        if root is None:
            scan.unchecked += [(f"{name}:{g}", f"source {name!r} is not present") for g in globs]
            continue
        outside: list[str] = []
        unread: list[str] = []
        docs = active_docs(root, tuple(globs), tuple(skipped.get(name, ())), outside, unread)
        scan.refused += [
            (f"{name}:{rel}" if name else rel, "is a symlink that leaves its tree; it was not read") for rel in outside
        ]
        scan.refused += [
            (
                f"{name}:{rel}" if name else rel,
                "is in a format Gates does not read (Markdown and reStructuredText only)",
            )
            for rel in unread
        ]
        for glob in globs:
            if not any(matches_any(rel, (glob,)) for rel in docs):
                scan.empty.append(f"{name}:{glob}" if name else glob)
        for rel in docs:
            _scan_one(root, rel, f"{name}:{rel}" if name else rel, prefixes, scan)
    return scan


def _scan_one(root: Path, rel: str, doc: str, prefixes: tuple[str, ...], scan: RunbookScan) -> None:
    # Bounded, opened without blocking, and only a regular file inside the root: a FIFO never hangs.
    try:
        raw = read_regular(root / rel, MAX_DOC_BYTES, within=root)
    except Unreadable as exc:
        why = f"is over {MAX_DOC_BYTES:,} bytes" if exc.refusal is Refusal.TOO_LARGE else str(exc)
        scan.unreadable.append((doc, why))
        return
    if raw is None:
        scan.unreadable.append((doc, "is no longer there"))
        return
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        scan.unreadable.append((doc, "is not UTF-8"))
        return
    scan.docs.append(doc)
    if rel.endswith(".rst"):
        scan_rst(doc, text, prefixes, scan)
    else:
        scan_text(doc, text, prefixes, scan)
