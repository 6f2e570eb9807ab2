"""OpenAPI documents: parsing one into endpoints, and reading a service's from a URL or its source."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checks.endpoints.normalize import METHODS
from checks.endpoints.records import Endpoint, ServiceCatalog
from checks.endpoints.snapshot import escapes_tree
from checks.load.files import Refusal, Unreadable, read_regular
from checks.load.yamlload import load_bytes
from checks.model import Service
from checks.net.urls import FetchError, Refused
from checks.scan.trees import head_commit, is_git_tree

if TYPE_CHECKING:
    from checks.model.scope import Scope
    from checks.net.client import Fetcher

# An OpenAPI document of thousands of operations is a few megabytes.
MAX_OPENAPI_BYTES = 16 * 1024 * 1024


def _is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


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


def openapi_catalog(
    scope: Scope, service: Service, root: Path | None, fetcher: Fetcher | None
) -> tuple[ServiceCatalog | None, str]:
    """The service's catalog from its OpenAPI URL or file, or (None, why not) when it cannot be read now."""
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
    where = f"{service.source}:" if service.source else ""
    try:
        why = escapes_tree(service.openapi)
        if why:
            raise Unreadable(Refusal.OUTSIDE, why)
        raw = read_regular(root / service.openapi, MAX_OPENAPI_BYTES, within=root)
    except Unreadable as exc:
        return None, f"OpenAPI file {where}{service.openapi} {exc}"
    if raw is None:
        return None, f"OpenAPI file {service.openapi} does not exist"
    try:
        endpoints = parse_openapi(raw, service.id, f"{where}{service.openapi}")
    except ValueError as exc:
        return None, f"OpenAPI file {service.openapi} {exc}"
    return ServiceCatalog(
        service.id,
        endpoints,
        "openapi",
        True,
        source=service.source,
        commit=head_commit(root) if is_git_tree(root) else "",
    ), ""
