"""Runbooks against the shipped catalog: what each doc names, and what ships."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from checks.endpoints.catalog import Catalog, CatalogProblem, Endpoint, ServiceCatalog, build_catalog
from checks.endpoints.doc_refs import RecordedRunbooks
from checks.endpoints.normalize import TemplateIndex, normalize, same_endpoint, same_method
from checks.endpoints.runbook_files import scan_runbooks
from checks.endpoints.runbooks import EndpointRef, RunbookScan
from checks.model import AliasFamily, ProhibitedEndpoint

if TYPE_CHECKING:
    from checks.model.scope import Scope


@dataclass(frozen=True)
class AliasShipment:
    family: AliasFamily
    endpoint: Endpoint


@dataclass(frozen=True)
class DriftRow:
    """One endpoint reference in a runbook, set against the catalog and the program's doctrine."""

    doc: str
    line: int
    column: int
    path: str
    method: str
    context: str
    shipped: bool | None  # None when the catalog is unknown
    services: tuple[str, ...]  # the services that ship it, sorted
    canonical: str  # the canonical endpoint's id, or ""
    prohibited: str  # why it is prohibited, or ""
    suppressed: str  # the suppressed codes, comma-separated


def origin_location(origin: str) -> tuple[str, int]:
    """Split "source:path:line" (or "path:line", or a URL) into a finding path and line."""
    head, sep, tail = origin.rpartition(":")
    if sep and tail.isdigit():
        return head, int(tail)
    return origin, 0


def derived_prefixes(scope: Scope, catalog: Catalog) -> tuple[str, ...]:
    """The program's endpoint prefixes, or the first path segments the catalog and doctrine use."""
    if scope.program.endpoint_prefixes:
        return scope.program.endpoint_prefixes
    paths = [e.path for e in catalog.endpoints] + [c.path for c in scope.program.canonical]
    paths += [p.path for p in scope.program.prohibited] + [m for f in scope.program.families for m in f.members]
    firsts = {"/" + normalize(p).strip("/").split("/")[0] + "/" for p in paths if normalize(p).strip("/")}
    return tuple(sorted(p for p in firsts if "{" not in p))


class DriftAnalysis:
    def __init__(
        self,
        scope: Scope,
        recorded: Mapping[str, tuple[ServiceCatalog, list[CatalogProblem]]] | None = None,
        recorded_runbooks: Mapping[str, RecordedRunbooks] | None = None,
    ):
        self.scope = scope
        self.catalog = build_catalog(scope, recorded=recorded)
        self.prefixes = derived_prefixes(scope, self.catalog)
        program = scope.program
        roots: dict[str, Path | None] = {"": scope.root}
        roots.update({s.id: scope.source_paths.get(s.id) for s in program.sources})
        self.runbooks: RunbookScan = scan_runbooks(
            roots, program.runbook_include, program.runbook_exclude, self.prefixes, recorded_runbooks
        )

    @property
    def catalog_known(self) -> bool:
        return self.catalog.known()

    def ships(self, path: str, method: str = "ANY") -> bool:
        return bool(self.catalog.find(path, method))

    def held_back(self, path: str, method: str = "ANY") -> Endpoint | None:
        """A conditional endpoint matching `path` that the program does not count as shipped."""
        return next(
            (
                e
                for c in self.catalog.services.values()
                if c is not None
                for e in c.held_back
                if same_endpoint(e.path, path) and same_method(e.method, method)
            ),
            None,
        )

    def is_base_url(self, path: str) -> bool:
        """A folder of the API written as such (`/api/v1/`): an endpoint prefix, or a trailing-slash path
        that nothing ships but under which something does."""
        if not path.endswith("/") or self.ships(path):
            return False
        folder = normalize(path).rstrip("/") + "/"
        if any(folder == p.rstrip("/") + "/" for p in self.prefixes):
            return True
        return any(normalize(e.path).startswith(folder) for e in self.catalog.endpoints)

    def known_alias(self, path: str) -> bool:
        """A non-canonical member of an alias family: a path the program knows as alias debt."""
        return any(
            same_endpoint(m, path) and normalize(m) != normalize(f.canonical)
            for f in self.scope.program.families
            for m in f.members
        )

    def prohibited_for(self, ref: EndpointRef) -> ProhibitedEndpoint | None:
        return next(
            (
                p
                for p in self.scope.program.prohibited
                if same_endpoint(p.path, ref.path) and same_method(p.method, ref.method)
            ),
            None,
        )

    @cached_property
    def aliases(self) -> list[AliasShipment]:
        """Non-canonical members of alias families that ship while another member also ships."""
        out = []
        for family in self.scope.program.families:
            shipped = [
                e
                for e in self.catalog.endpoints
                if any(same_endpoint(e.path, m) and normalize(e.path) == normalize(m) for m in family.members)
                and same_method(e.method, family.method)
            ]
            if len({normalize(e.path) for e in shipped}) <= 1:
                continue
            for endpoint in shipped:
                if normalize(endpoint.path) == normalize(family.canonical):
                    continue
                out.append(AliasShipment(family, endpoint))
        return out

    @cached_property
    def _mentions(self) -> TemplateIndex[EndpointRef]:
        return TemplateIndex((r.path, r) for r in self.runbooks.endpoints)

    def mentioned(self, endpoint: Endpoint) -> bool:
        return any(same_method(r.method, endpoint.method) for r in self._mentions.matching(endpoint.path))

    def matrix(self) -> list[DriftRow]:
        """One row per endpoint reference in a runbook, for the dashboard (computed once; every runbook page asks)."""
        return list(self._matrix)

    @cached_property
    def _matrix(self) -> list[DriftRow]:
        rows = []
        for ref in self.runbooks.endpoints:
            prohibited = self.prohibited_for(ref)
            canonical = next(
                (
                    c.id
                    for c in self.scope.program.canonical
                    if same_endpoint(c.path, ref.path) and same_method(c.method, ref.method)
                ),
                "",
            )
            shipped = self.catalog.find(ref.path, ref.method)
            suppressed = [
                s.codes
                for s in self.runbooks.suppressions
                if s.doc == ref.doc and ref.line in (s.line, s.line + 1) and s.reason
            ]
            rows.append(
                DriftRow(
                    doc=ref.doc,
                    line=ref.line,
                    column=ref.column,
                    path=ref.path,
                    method=ref.method,
                    context=ref.context,
                    shipped=bool(shipped) if self.catalog_known else None,
                    services=tuple(sorted({e.service for e in shipped})),
                    canonical=canonical,
                    prohibited=prohibited.reason if prohibited else "",
                    suppressed=", ".join(c for codes in suppressed for c in codes),
                )
            )
        return rows


def analyse(
    scope: Scope,
    recorded: Mapping[str, tuple[ServiceCatalog, list[CatalogProblem]]] | None = None,
    recorded_runbooks: Mapping[str, RecordedRunbooks] | None = None,
) -> DriftAnalysis:
    """Runbooks against the catalog; `recorded` gives the catalogs of services whose source is recorded,
    `recorded_runbooks` the runbooks of recorded sources."""
    return DriftAnalysis(scope, recorded, recorded_runbooks)
