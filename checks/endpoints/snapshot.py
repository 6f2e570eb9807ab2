"""The committed endpoint snapshot: reading it, a service's entry in it, its age, and writing it."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checks import __version__
from checks.endpoints.records import Catalog, Endpoint, ServiceCatalog
from checks.model import Program

if TYPE_CHECKING:
    from checks.model.scope import Scope


def load_snapshot(root: Path, program: Program) -> tuple[dict[str, Any] | None, str]:
    file = root / program.snapshot
    if not file.is_file():
        return None, f"no snapshot at {program.snapshot}"
    try:
        data = json.loads(file.read_bytes())
    except (OSError, ValueError) as exc:
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
    """Write the snapshot: live services replace their entries, the others keep the previous ones."""
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
    file = scope.root / scope.program.snapshot
    file.parent.mkdir(parents=True, exist_ok=True)
    tmp = file.with_suffix(file.suffix + ".tmp")
    tmp.write_text(json.dumps(body, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    os.replace(tmp, file)
    return file
