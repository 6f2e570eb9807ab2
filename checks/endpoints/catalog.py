"""The shipped endpoint catalog: live from sources when they are present, else the committed snapshot."""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checks import __version__
from checks.endpoints.normalize import METHODS, same_endpoint, same_method
from checks.endpoints.routes import PRESETS, SourceFile, extract_axum, extract_regex
from checks.load.yamlload import load_bytes
from checks.model import Program, Service
from checks.net.urls import FetchError, Refused
from checks.scan.globs import matches_any
from checks.scan.regexsafety import unsafe_regex
from checks.scan.trees import head_commit, is_git_tree, list_files

if TYPE_CHECKING:
    from checks.model.scope import Scope
    from checks.net.client import Fetcher

MAX_SOURCE_FILE = 2 * 1024 * 1024


@dataclass(frozen=True, order=True)
class Endpoint:
    service: str
    path: str
    method: str
    origin: str  # "source:file:line", "data/program.yaml:line" or a URL

    def as_dict(self) -> dict[str, str]:
        return {"method": self.method, "path": self.path, "origin": self.origin}


@dataclass
class ServiceCatalog:
    service: str
    endpoints: list[Endpoint]
    kind: str  # "manifest", "openapi", "preset:axum", "regex"
    live: bool
    source: str = ""
    commit: str = ""
    url: str = ""
    generated: str = ""

    @property
    def refreshable(self) -> bool:
        """Read live from a source or URL (a manifest is data already and needs no snapshot)."""
        return self.live and self.kind != "manifest"

    def provenance(self) -> dict[str, str]:
        return {
            k: v
            for k, v in (
                ("kind", self.kind),
                ("source", self.source),
                ("commit", self.commit),
                ("url", self.url),
                ("generated", self.generated),
            )
            if v
        }


@dataclass(frozen=True)
class CatalogProblem:
    service: str
    message: str


@dataclass
class Catalog:
    services: dict[str, ServiceCatalog | None]
    problems: list[CatalogProblem] = field(default_factory=list)
    snapshot_generated: str = ""

    @property
    def endpoints(self) -> list[Endpoint]:
        return sorted(e for c in self.services.values() if c for e in c.endpoints)

    def known(self, service: str | None = None) -> bool:
        if service:
            return self.services.get(service) is not None
        return bool(self.services) and all(c is not None for c in self.services.values())

    def find(self, path: str, method: str = "ANY", service: str = "") -> list[Endpoint]:
        return [
            e
            for e in self.endpoints
            if (not service or e.service == service) and same_endpoint(e.path, path) and same_method(e.method, method)
        ]


def _is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def _source_files(root: Path, globs: tuple[str, ...]) -> list[SourceFile]:
    out = []
    for rel in list_files(root):
        if globs and not matches_any(rel, globs):
            continue
        full = root / rel
        try:
            if full.is_symlink() or not full.is_file() or full.stat().st_size > MAX_SOURCE_FILE:
                continue
            data = full.read_bytes()
        except OSError:
            continue
        if b"\0" in data:
            continue
        out.append(SourceFile(rel, data.decode("utf-8", errors="replace")))
    return out


def parse_openapi(raw: bytes, service: str, origin: str) -> list[Endpoint]:
    """Endpoints of an OpenAPI 3 (or Swagger 2) document; raises ValueError when it is not one."""
    text = raw.lstrip()
    data: Any
    if text.startswith(b"{"):
        try:
            data = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"is not valid JSON ({exc})") from exc
    else:
        doc = load_bytes(raw, origin)
        if not doc.readable:
            raise ValueError(f"is not valid YAML ({doc.problems[0].message})")
        data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("paths"), dict):
        raise ValueError("has no 'paths' mapping; it is not an OpenAPI document")
    base = ""
    servers = data.get("servers")
    if (
        isinstance(servers, list)
        and servers
        and isinstance(servers[0], dict)
        and isinstance(servers[0].get("url"), str)
    ):
        url = servers[0]["url"]
        base = url.split("://", 1)[1].partition("/")[2] if "://" in url else url.lstrip("/")
        base = "/" + base.strip("/") if base.strip("/") else ""
    elif isinstance(data.get("basePath"), str):
        base = data["basePath"].rstrip("/")
    out = []
    for path, item in data["paths"].items():
        if not isinstance(path, str) or not path.startswith("/") or not isinstance(item, dict):
            continue
        methods = [m.upper() for m in item if isinstance(m, str) and m.upper() in METHODS]
        for method in methods or ["ANY"]:
            out.append(Endpoint(service, base + path, method, origin))
    return sorted(set(out))


def _live(
    scope: Scope, service: Service, fetcher: Fetcher | None, problems: list[CatalogProblem]
) -> tuple[ServiceCatalog | None, str]:
    """The service's catalog from its live source, or (None, why not) when it cannot be read now."""
    program = scope.program
    if service.manifest:
        endpoints = [
            Endpoint(
                service.id,
                service.base + m.path if service.base else m.path,
                m.method,
                f"{m.where.path}:{m.where.at('path')[0]}",
            )
            for m in service.manifest
        ]
        return ServiceCatalog(service.id, sorted(endpoints), "manifest", True, source=program.where.path), ""
    root = scope.source_paths.get(service.source) if service.source else scope.root
    if service.openapi:
        if _is_url(service.openapi):
            if scope.offline or fetcher is None:
                return None, "offline"
            try:
                response = fetcher.request("GET", service.openapi)
            except (Refused, FetchError) as exc:
                return None, f"OpenAPI URL {service.openapi} could not be fetched: {exc}"
            if response.status >= 400 or response.truncated:
                why = "is over the size limit" if response.truncated else f"answered HTTP {response.status}"
                return None, f"OpenAPI URL {service.openapi} {why}"
            try:
                endpoints = parse_openapi(response.body, service.id, service.openapi)
            except ValueError as exc:
                return None, f"OpenAPI URL {service.openapi} {exc}"
            return ServiceCatalog(service.id, endpoints, "openapi", True, url=service.openapi), ""
        if root is None:
            return None, "source absent"
        file = (root / service.openapi).resolve()
        if not file.is_file():
            return None, f"OpenAPI file {service.openapi} does not exist"
        try:
            endpoints = parse_openapi(
                file.read_bytes(), service.id, f"{service.source + ':' if service.source else ''}{service.openapi}"
            )
        except (ValueError, OSError) as exc:
            return None, f"OpenAPI file {service.openapi} {exc}"
        return ServiceCatalog(
            service.id,
            endpoints,
            "openapi",
            True,
            source=service.source,
            commit=head_commit(root) if is_git_tree(root) else "",
        ), ""
    if service.preset or service.regex:
        if root is None:
            return None, "source absent"
        files = _source_files(root, service.paths)
        if service.preset == "regex" or (service.regex and not service.preset):
            refused = unsafe_regex(service.regex)
            if refused:
                return None, f"custom route regex {refused}"
            routes = extract_regex(files, service.regex)
            kind = "regex"
        else:
            unresolved: list[tuple[str, int, str]] = []
            routes = extract_axum(files, unresolved) if service.preset == "axum" else PRESETS[service.preset](files)
            kind = f"preset:{service.preset}"
            for rel, line, expr in unresolved:
                where = f"{service.source}:" if service.source else ""
                problems.append(
                    CatalogProblem(
                        service.id,
                        f"route at {where}{rel}:{line} uses {expr!r}, which is not a "
                        "string literal or a string constant the extractor can read; "
                        "its endpoint is not in the catalog",
                    )
                )
        prefix = f"{service.source}:" if service.source else ""
        endpoints = [
            Endpoint(
                service.id,
                (service.base.rstrip("/") + r.path) if service.base else r.path,
                r.method,
                f"{prefix}{r.file}:{r.line}",
            )
            for r in routes
        ]
        return ServiceCatalog(
            service.id,
            sorted(set(endpoints)),
            kind,
            True,
            source=service.source,
            commit=head_commit(root) if is_git_tree(root) else "",
        ), ""
    return None, "no catalog source configured"


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


def _from_snapshot(snapshot: dict[str, Any], service: str) -> ServiceCatalog | None:
    entry = snapshot["services"].get(service)
    if not isinstance(entry, dict) or not isinstance(entry.get("endpoints"), list):
        return None
    endpoints = [
        Endpoint(service, str(e.get("path", "")), str(e.get("method", "ANY")).upper(), str(e.get("origin", "")))
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


def _snapshot_age(generated: str, today: dt.date) -> int | None:
    try:
        when = dt.datetime.fromisoformat(generated.replace("Z", "+00:00")).date()
    except ValueError:
        return None
    return (today - when).days


def build_catalog(scope: Scope, use_snapshot: bool = True) -> Catalog:
    program = scope.program
    fetcher = None
    if not scope.offline and any(s.openapi.startswith(("http://", "https://")) for s in program.services):
        from checks.net.client import Fetcher  # the HTTP client loads only when a URL is fetched

        fetcher = Fetcher(program.network, program.allow_hosts)
    snapshot, snapshot_error = load_snapshot(scope.root, program) if use_snapshot else (None, "")
    catalog = Catalog({}, snapshot_generated=str(snapshot.get("generated", "")) if snapshot else "")
    for service in program.services:
        live, why = _live(scope, service, fetcher, catalog.problems)
        if live is not None:
            catalog.services[service.id] = live
            continue
        if why not in ("offline", "source absent"):
            catalog.problems.append(CatalogProblem(service.id, f"{why}; using the snapshot"))
        fallback = _from_snapshot(snapshot, service.id) if snapshot else None
        catalog.services[service.id] = fallback
        if fallback is None:
            reason = snapshot_error or f"the snapshot has no entry for {service.id!r}"
            catalog.problems.append(
                CatalogProblem(
                    service.id, f"no live source and {reason}; run 'gates endpoints --refresh' with the source present"
                )
            )
            continue
        age = _snapshot_age(fallback.generated, scope.today)
        if age is None:
            catalog.problems.append(CatalogProblem(service.id, "the snapshot has no readable 'generated' time"))
        elif age > program.catalog_max_age_days:
            catalog.problems.append(
                CatalogProblem(
                    service.id,
                    f"catalog comes from a snapshot {age} days old (over {program.catalog_max_age_days}); "
                    f"refresh it with 'gates endpoints --refresh --source {service.source or 'NAME'}=PATH'",
                )
            )
    return catalog


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
