"""The committed endpoint snapshot: reading it, a service's entry in it, its age, and writing it."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checks import __version__
from checks.endpoints.records import Catalog, Endpoint, ServiceCatalog
from checks.load.files import Refusal, Unreadable, read_regular
from checks.model import Program

if TYPE_CHECKING:
    from checks.model.scope import Scope


# A snapshot of thousands of services is a few megabytes; past this it is not one Gates wrote.
MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024


def escapes_tree(rel: str) -> str:
    """Why a path the data names would leave its tree ("" when it is relative and stays inside)."""
    if not rel or "\0" in rel:
        return "is empty" if not rel else "holds a NUL byte"
    if rel.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", rel):
        return "is an absolute path; it must be relative to its tree"
    if any(part == ".." for part in re.split(r"[\\/]", rel)):
        return "climbs out of its tree with '..'"
    return ""


def snapshot_target(root: Path, rel: str) -> Path:
    """The snapshot file under `root`; raises Unreadable when `rel` (or a symlink on it) leaves the tree."""
    why = escapes_tree(rel)
    if why:
        raise Unreadable(Refusal.OUTSIDE, why)
    return root / rel


def load_snapshot(root: Path, program: Program) -> tuple[dict[str, Any] | None, str]:
    try:
        raw = read_regular(snapshot_target(root, program.snapshot), MAX_SNAPSHOT_BYTES, within=root)
    except Unreadable as exc:
        return None, f"snapshot {program.snapshot} {exc}"
    if raw is None:
        return None, f"no snapshot at {program.snapshot}"
    try:
        data = json.loads(raw)
    except ValueError as exc:
        return None, f"snapshot {program.snapshot} is not valid JSON ({exc})"
    if not isinstance(data, dict) or not isinstance(data.get("services"), dict):
        return None, f"snapshot {program.snapshot} has no 'services' mapping"
    return data, ""


def from_snapshot(snapshot: dict[str, Any], service: str) -> ServiceCatalog | None:
    entry = snapshot["services"].get(service)
    if not isinstance(entry, dict) or not isinstance(entry.get("endpoints"), list):
        return None
    endpoints = [
        Endpoint(
            service,
            str(e.get("path", "")),
            str(e.get("method", "ANY")).upper(),
            str(e.get("origin", "")),
            str(e.get("condition", "")),
        )
        for e in entry["endpoints"]
        if isinstance(e, dict) and isinstance(e.get("path"), str)
    ]
    return ServiceCatalog(
        service,
        sorted(endpoints),
        str(entry.get("kind", "snapshot")),
        False,
        source=str(entry.get("source", "")),
        commit=str(entry.get("commit", "")),
        url=str(entry.get("url", "")),
        generated=str(snapshot.get("generated", "")),
    )


def snapshot_age(generated: str, today: dt.date) -> int | None:
    try:
        when = dt.datetime.fromisoformat(generated.replace("Z", "+00:00")).date()
    except ValueError:
        return None
    return (today - when).days


def write_snapshot(scope: Scope, catalog: Catalog, now: dt.datetime | None = None) -> Path:
    """Write the snapshot: live services replace their entries, the others keep the previous ones.

    Raises OSError when it cannot be written, or when its path (or a symlinked folder on it) leaves
    the tracker: then `strerror` says why, and nothing is written.
    """
    try:
        file = snapshot_target(scope.root, scope.program.snapshot)
        _check_parent(file, scope.root)
    except Unreadable as exc:
        raise PermissionError(errno.EPERM, str(exc)) from exc
    previous, _ = load_snapshot(scope.root, scope.program)
    services: dict[str, Any] = dict(previous["services"]) if previous else {}
    moment = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    for service_id, cat in catalog.services.items():
        if cat is None or not cat.refreshable:
            continue
        services[service_id] = {**cat.provenance(), "endpoints": [e.as_dict() for e in cat.endpoints]}
    body = {
        "generated": moment.isoformat().replace("+00:00", "Z"),
        "tool": f"gates {__version__}",
        "services": dict(sorted(services.items())),
    }
    file.parent.mkdir(parents=True, exist_ok=True)
    # A fresh temporary name: a committed `*.tmp` symlink must not redirect the write.
    import tempfile  # writing a snapshot is rare; reading one is every check

    fd, tmp = tempfile.mkstemp(prefix=f".{file.name}.", suffix=".tmp", dir=file.parent)
    try:
        os.fchmod(fd, 0o644)  # as a plain write would leave it, not mkstemp's 0600
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(json.dumps(body, indent=2, sort_keys=False) + "\n")
        os.replace(tmp, file)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return file


def _check_parent(file: Path, root: Path) -> None:
    """Raise Unreadable when the snapshot's folder resolves outside the tracker (a symlinked folder)."""
    folder = file.parent
    while not folder.exists() and folder != root:
        folder = folder.parent
    try:
        folder.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):
        raise Unreadable(Refusal.OUTSIDE) from None
