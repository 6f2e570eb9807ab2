"""What a doc's file references resolve to in their tree, and a source's runbooks replayed from its record.

The resolution is written once: DRIFT007 asks it of a present tree, `gates record` asks it of the
source's tree and stores the answer, and a run without the source replays that answer.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from checks.endpoints.runbooks import DocSuppression, EndpointRef, FileRef, FileResolution, RunbookScan
from checks.scan.globs import matches_any


def file_target(raw: str) -> str:
    """The referenced file, without its #fragment or ?query ("" when nothing is left)."""
    return raw.split("#", 1)[0].split("?", 1)[0]


def resolve_file(root: Path, doc: str, ref: FileRef) -> FileResolution:
    """Resolve `ref`, found in `doc` (relative to `root`): links from the doc, named paths from the root."""
    target = file_target(ref.target)
    if not target:
        return FileResolution(False)
    root = root.resolve()
    if ref.kind == "link":
        resolved = (root / doc).parent.joinpath(target)
        try:
            resolved.resolve().relative_to(root)
        except (ValueError, OSError):
            return FileResolution(False, inside=False)
        return FileResolution(resolved.exists())
    if not (root / target.split("/", 1)[0]).is_dir():
        return FileResolution(False, folder=False)
    return FileResolution((root / target.rstrip("/")).exists())


@dataclass(frozen=True)
class RecordedRunbooks:
    """A source's runbooks as its record holds them: docs and references by path inside the source."""

    include: tuple[str, ...]  # the include patterns naming the source, as written (`source:glob`)
    exclude: tuple[str, ...]
    prefixes: tuple[str, ...]  # the endpoint prefixes the docs were scanned with
    docs: tuple[str, ...]
    endpoints: tuple[EndpointRef, ...]
    files: tuple[tuple[FileRef, FileResolution], ...]
    suppressions: tuple[DocSuppression, ...]
    unreadable: tuple[tuple[str, str], ...]


def replay_runbooks(
    name: str, globs: tuple[str, ...], exclude: tuple[str, ...], recorded: RecordedRunbooks, scan: RunbookScan
) -> None:
    """Add the recorded docs that today's globs still select, named `name:rel` as a live scan names them.

    A glob the record was made with that selects no recorded doc is reported empty; a glob it was
    not made with is left to the record's staleness (DATA008), since its docs were never read.
    """

    def kept(rel: str) -> bool:
        return matches_any(rel, globs) and not matches_any(rel, exclude)

    def named(ref: EndpointRef | FileRef | DocSuppression) -> str:
        return f"{name}:{ref.doc}"

    docs = {d for d in recorded.docs if kept(d)}
    unreadable = [(d, why) for d, why in recorded.unreadable if kept(d)]
    seen = docs | {d for d, _ in unreadable}
    for glob in globs:
        if f"{name}:{glob}" in recorded.include and not any(matches_any(rel, (glob,)) for rel in seen):
            scan.empty.append(f"{name}:{glob}")
    scan.docs += [f"{name}:{d}" for d in sorted(docs)]
    scan.unreadable += [(f"{name}:{d}", why) for d, why in sorted(unreadable)]
    scan.endpoints += [dataclasses.replace(r, doc=named(r)) for r in recorded.endpoints if r.doc in docs]
    scan.suppressions += [dataclasses.replace(s, doc=named(s)) for s in recorded.suppressions if s.doc in docs]
    for ref, resolution in recorded.files:
        if ref.doc in docs:
            ref = dataclasses.replace(ref, doc=named(ref))
            scan.files.append(ref)
            scan.resolved[ref] = resolution
