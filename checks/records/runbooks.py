"""A source's runbooks in its record: what the runbook scan extracted from its docs, never their text.

The record keeps the include and exclude patterns that name the source (so a changed pattern makes
it stale), the docs read, each endpoint and file reference with its line and column, the
resolution DRIFT007 needs for each file reference, the docs' suppression comments and the docs that
could not be read. A run without the source replays these as the docs `source:path`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from checks.endpoints.doc_refs import RecordedRunbooks, resolve_file
from checks.endpoints.runbook_files import scan_runbooks, split_pattern
from checks.endpoints.runbooks import DocSuppression, EndpointRef, FileRef, FileResolution
from checks.model import Program


def source_patterns(program: Program, source: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The runbook include and exclude patterns that name `source` (`source:glob`), as written."""
    names = {s.id for s in program.sources}

    def ours(patterns: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(p for p in patterns if split_pattern(p, names)[0] == source)

    return ours(program.runbook_include), ours(program.runbook_exclude)


def runbooks_body(program: Program, source: str, tree: Path, prefixes: tuple[str, ...]) -> dict[str, Any] | None:
    """The record's `runbooks`: the source's docs scanned in `tree`, or None when no pattern names it."""
    include, exclude = source_patterns(program, source)
    if not include and not exclude:
        return None
    scan = scan_runbooks({source: tree}, include, exclude, prefixes)
    cut = len(source) + 1

    def rel(doc: str) -> str:
        return doc[cut:]

    files = []
    for f in scan.files:
        found = resolve_file(tree, rel(f.doc), f)
        where = {"inside": found.inside} if f.kind == "link" else {"folder": found.folder}
        files.append(
            {"doc": rel(f.doc), "line": f.line, "column": f.column, "target": f.target, "kind": f.kind}
            | {"exists": found.exists}
            | where
        )
    return {
        "patterns": {"include": list(include), "exclude": list(exclude)},
        "prefixes": list(prefixes),
        "docs": [rel(d) for d in scan.docs],
        "endpoints": [
            {
                "doc": rel(e.doc),
                "line": e.line,
                "column": e.column,
                "path": e.path,
                "method": e.method,
                "context": e.context,
                "host": e.host,
                "retired": e.retired,
            }
            for e in scan.endpoints
        ],
        "files": files,
        "suppressions": [
            {"doc": rel(s.doc), "line": s.line, "codes": list(s.codes), "reason": s.reason} for s in scan.suppressions
        ],
        "unreadable": [{"doc": rel(d), "why": why} for d, why in scan.unreadable],
    }


def parse_runbooks(raw: dict[str, Any]) -> RecordedRunbooks:
    """The recorded runbooks from schema-valid data."""
    return RecordedRunbooks(
        include=tuple(raw["patterns"]["include"]),
        exclude=tuple(raw["patterns"]["exclude"]),
        prefixes=tuple(raw["prefixes"]),
        docs=tuple(raw["docs"]),
        endpoints=tuple(
            EndpointRef(e["doc"], e["line"], e["column"], e["path"], e["method"], e["context"], e["host"], e["retired"])
            for e in raw["endpoints"]
        ),
        files=tuple(
            (
                FileRef(f["doc"], f["line"], f["column"], f["target"], f["kind"]),
                FileResolution(f["exists"], f.get("inside", True), f.get("folder", True)),
            )
            for f in raw["files"]
        ),
        suppressions=tuple(
            DocSuppression(s["doc"], s["line"], tuple(s["codes"]), s["reason"]) for s in raw["suppressions"]
        ),
        unreadable=tuple((u["doc"], u["why"]) for u in raw["unreadable"]),
    )


def stale_runbooks(
    recorded: RecordedRunbooks | None, program: Program, source: str, prefixes: tuple[str, ...]
) -> list[str]:
    """Runbook patterns naming the source, or the endpoint prefixes, that changed since the record was made."""
    include, exclude = source_patterns(program, source)
    then = (recorded.include, recorded.exclude) if recorded else ((), ())
    out = []
    for kind, now, was in (("include", include, then[0]), ("exclude", exclude, then[1])):
        out += [f"runbook {kind} {p!r} was added" for p in now if p not in was]
        out += [f"runbook {kind} {p!r} was removed" for p in was if p not in now]
    if recorded is not None and (include or exclude) and set(recorded.prefixes) != set(prefixes):
        out.append("the endpoint prefixes changed")
    return out
