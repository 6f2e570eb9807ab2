"""The endpoints section of program.yaml as typed values: services, canonical and prohibited routes, alias families."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from checks.load.yamlload import Document
from checks.model.where import Where, as_list, as_map, str_at, strs_of


@dataclass(frozen=True)
class ManifestEndpoint:
    method: str
    path: str
    description: str
    where: Where


@dataclass(frozen=True)
class Service:
    id: str
    title: str
    source: str
    preset: str
    paths: tuple[str, ...]
    exclude: tuple[str, ...]
    regex: str
    openapi: str
    base: str
    manifest: tuple[ManifestEndpoint, ...]
    where: Where
    test_code: str = "exclude"  # "include": routes in test code and demo binaries count as shipped


@dataclass(frozen=True)
class CanonicalEndpoint:
    id: str
    method: str
    path: str
    service: str
    invariant: str
    description: str
    where: Where


@dataclass(frozen=True)
class ProhibitedEndpoint:
    method: str
    path: str
    invariant: str
    reason: str
    use_instead: str
    where: Where


@dataclass(frozen=True)
class AliasFamily:
    id: str
    title: str
    invariant: str
    canonical: str
    method: str
    members: tuple[str, ...]
    where: Where


def build_services(doc: Document, endpoints: dict[str, Any]) -> tuple[Service, ...]:
    """The services whose routes make up the catalog, each with its manifest."""
    return tuple(
        Service(
            id=str_at(s, "id"),
            title=str_at(s, "title"),
            source=str_at(s, "source"),
            preset=str_at(s, "preset"),
            paths=strs_of(s.get("paths")),
            exclude=strs_of(s.get("exclude")),
            regex=str_at(s, "regex"),
            openapi=str_at(s, "openapi"),
            base=str_at(s, "base"),
            manifest=tuple(
                ManifestEndpoint(
                    str_at(m, "method", "ANY").upper(),
                    str_at(m, "path"),
                    str_at(m, "description"),
                    Where(doc, ("endpoints", "services", i, "manifest", j)),
                )
                for j, m in enumerate(map(as_map, as_list(s.get("manifest"))))
            ),
            where=Where(doc, ("endpoints", "services", i)),
            test_code=str_at(s, "test_code", "exclude"),
        )
        for i, s in enumerate(map(as_map, as_list(endpoints.get("services"))))
    )


def build_canonical(doc: Document, endpoints: dict[str, Any]) -> tuple[CanonicalEndpoint, ...]:
    """The canonical routes, each tied to the invariant it serves."""
    return tuple(
        CanonicalEndpoint(
            str_at(c, "id"),
            str_at(c, "method", "ANY").upper(),
            str_at(c, "path"),
            str_at(c, "service"),
            str_at(c, "invariant"),
            str_at(c, "description"),
            Where(doc, ("endpoints", "canonical", i)),
        )
        for i, c in enumerate(map(as_map, as_list(endpoints.get("canonical"))))
    )


def build_prohibited(doc: Document, endpoints: dict[str, Any]) -> tuple[ProhibitedEndpoint, ...]:
    """The routes no runbook may name, with what to use instead."""
    return tuple(
        ProhibitedEndpoint(
            str_at(p, "method", "ANY").upper(),
            str_at(p, "path"),
            str_at(p, "invariant"),
            str_at(p, "reason"),
            str_at(p, "use_instead"),
            Where(doc, ("endpoints", "prohibited", i)),
        )
        for i, p in enumerate(map(as_map, as_list(endpoints.get("prohibited"))))
    )


def build_families(doc: Document, endpoints: dict[str, Any]) -> tuple[AliasFamily, ...]:
    """The alias families: routes that are aliases of one canonical route."""
    return tuple(
        AliasFamily(
            str_at(f, "id"),
            str_at(f, "title"),
            str_at(f, "invariant"),
            str_at(f, "canonical"),
            str_at(f, "method", "ANY").upper(),
            strs_of(f.get("members")),
            Where(doc, ("endpoints", "families", i)),
        )
        for i, f in enumerate(map(as_map, as_list(endpoints.get("families"))))
    )
