"""The shipped endpoint catalog: live from sources when they are present, else the committed snapshot."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from checks.endpoints.records import Catalog, CatalogProblem, Endpoint, ServiceCatalog
from checks.endpoints.snapshot import from_snapshot, load_snapshot, snapshot_age, write_snapshot
from checks.model import Service
from checks.scan.globs import matches_any
from checks.scan.regexsafety import unsafe_regex
from checks.scan.testcode import first_test_line, in_spans, is_test_file, rust_test_lines
from checks.scan.trees import head_commit, is_git_tree, list_files_under

if TYPE_CHECKING:
    # Route extraction and OpenAPI parsing are imported where a live source needs them (start-up time).
    from checks.endpoints.routes import SourceFile
    from checks.model.scope import Scope
    from checks.net.client import Fetcher

__all__ = [
    "Catalog",
    "CatalogProblem",
    "Endpoint",
    "ServiceCatalog",
    "build_catalog",
    "load_snapshot",
    "write_snapshot",
]

MAX_SOURCE_FILE = 2 * 1024 * 1024


# Demo and tool binaries of a Rust crate: not the service, unless a service's paths name them.
DEMO_BINARIES = ("**/src/bin/**",)


def _source_files(root: Path, service: Service, exclude: tuple[str, ...]) -> list[SourceFile]:
    from checks.endpoints.routes import SourceFile

    globs = service.paths
    skip_tests = service.test_code != "include"
    if skip_tests and not any("src/bin" in g for g in globs):
        exclude = (*exclude, *DEMO_BINARIES)
    out = []
    for rel in list_files_under(root, globs):
        if (globs and not matches_any(rel, globs)) or (exclude and matches_any(rel, exclude)):
            continue
        if skip_tests and is_test_file(rel):
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


def _rust_test_spans(files: list[SourceFile], paths: set[str]) -> dict[str, list[tuple[int, int]]]:
    """The `#[cfg(test)]`/`#[test]` items of the Rust files in `paths` (parsed only when a test attribute is there)."""
    spans = {}
    for f in files:
        if f.path in paths and f.path.endswith(".rs"):
            data = f.text.encode()
            if first_test_line(data) is not None:
                spans[f.path] = rust_test_lines(data)
    return spans


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
        from checks.endpoints.openapi import openapi_catalog

        return openapi_catalog(scope, service, root, fetcher)
    if service.preset or service.regex:
        if root is None:
            return None, "source absent"
        from checks.endpoints.routes import PRESETS, extract_axum, extract_regex

        files = _source_files(root, service, (*service.exclude, *scope.program.scan_exclude))
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
            if service.test_code != "include":
                # Mock routers inside `#[cfg(test)]` items are test code, not routes the service ships.
                spans = _rust_test_spans(files, {r.file for r in routes} | {u[0] for u in unresolved})
                routes = [r for r in routes if not in_spans(r.line, spans.get(r.file, []))]
                unresolved = [u for u in unresolved if not in_spans(u[1], spans.get(u[0], []))]
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
                r.condition,
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


def build_catalog(
    scope: Scope,
    use_snapshot: bool = True,
    recorded: Mapping[str, tuple[ServiceCatalog, list[CatalogProblem]]] | None = None,
) -> Catalog:
    """Each service live from its source; else from its source's record (`recorded`); else the snapshot."""
    program = scope.program
    fetcher = None
    if not scope.offline and any(s.openapi.startswith(("http://", "https://")) for s in program.services):
        from checks.net.client import Fetcher  # the HTTP client loads only when a URL is fetched

        fetcher = Fetcher(program.network, program.allow_hosts)
    snapshot, snapshot_error = load_snapshot(scope.root, program) if use_snapshot else (None, "")
    catalog = Catalog({}, snapshot_generated=str(snapshot.get("generated", "")) if snapshot else "")
    if use_snapshot and snapshot is None and (scope.root / program.snapshot).exists():
        catalog.snapshot_corrupt = snapshot_error
    for service in program.services:
        live, why = _live(scope, service, fetcher, catalog.problems)
        if live is not None:
            catalog.services[service.id] = live
            continue
        if why == "source absent" and recorded and service.id in recorded:
            catalog.services[service.id], problems = recorded[service.id]
            catalog.problems += problems
            continue
        if why not in ("offline", "source absent"):
            catalog.problems.append(CatalogProblem(service.id, f"{why}; using the snapshot"))
        fallback = from_snapshot(snapshot, service.id) if snapshot else None
        catalog.services[service.id] = fallback
        if fallback is None:
            reason = snapshot_error or f"the snapshot has no entry for {service.id!r}"
            catalog.problems.append(
                CatalogProblem(
                    service.id, f"no live source and {reason}; run 'gates endpoints --refresh' with the source present"
                )
            )
            continue
        age = snapshot_age(fallback.generated, scope.today)
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
    if program.conditional_routes == "not-shipped":
        # The program says a route behind a switch is not shipped: keep it visible, out of the catalog.
        for cat in catalog.services.values():
            if cat is not None:
                cat.held_back = [e for e in cat.endpoints if e.condition]
                cat.endpoints = [e for e in cat.endpoints if not e.condition]
    return catalog
