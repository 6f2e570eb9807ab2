"""The program as typed values: identity, policy, evidence classes, requirements, sources and guards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from checks.load.dates import parse_date
from checks.load.yamlload import Document
from checks.model.endpoints import (
    AliasFamily,
    CanonicalEndpoint,
    ProhibitedEndpoint,
    Service,
    build_canonical,
    build_families,
    build_prohibited,
    build_services,
)
from checks.model.where import Where, as_list, as_map, bool_at, int_at, num_at, str_at, strs_of


@dataclass(frozen=True)
class EvidenceClass:
    id: str
    title: str
    description: str
    required: bool
    where: Where


@dataclass(frozen=True)
class Requirement:
    id: str
    text: str
    invariants: tuple[str, ...]
    where: Where


@dataclass(frozen=True)
class Milestone:
    commit: str  # full or abbreviated (7+ hex digits)
    label: str

    def marks(self, sha: str) -> bool:
        return bool(self.commit) and sha.startswith(self.commit)


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    path: str | None
    repository: str
    where: Where
    # The 40-hex commit the program is pinned to ("" when unpinned), and where its record lives.
    pin: str = ""
    record: str = ""
    milestones: tuple[Milestone, ...] = ()

    @property
    def record_path(self) -> str:
        return self.record or f"data/records/{self.id}.json"


@dataclass(frozen=True)
class Guard:
    id: str
    invariant: str
    title: str
    pattern: str
    regex: bool
    word: bool
    case_sensitive: bool
    message: str
    sources: tuple[str, ...]
    paths: tuple[str, ...]
    exclude: tuple[str, ...]
    where: Where
    # "exclude": test code is not retained code and is not scanned; "include": scan it too.
    test_code: str = "exclude"
    # Globs or language names of the files it reads; empty means every file that is not documentation.
    files: tuple[str, ...] = ()


@dataclass(frozen=True)
class NetworkPolicy:
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    retries: int = 2
    concurrency: int = 32
    per_host: int = 8
    max_bytes: int = 5 * 1024 * 1024


@dataclass(frozen=True)
class Program:
    id: str
    title: str
    summary: str
    adr: str
    adr_id: str
    adr_status: str
    accepted: dt.date | None
    owner_lane: str
    timezone: str
    repository: str
    site_url: str
    max_age_days: int
    warn_within_days: int
    catalog_max_age_days: int
    allow_hosts: tuple[str, ...]
    url_cache_ttl_hours: float
    network: NetworkPolicy
    evidence_classes: tuple[EvidenceClass, ...]
    requirements: tuple[Requirement, ...]
    sources: tuple[Source, ...]
    guards: tuple[Guard, ...]
    scan_max_file_bytes: int
    scan_exclude: tuple[str, ...]
    endpoint_prefixes: tuple[str, ...]
    endpoint_hosts: tuple[str, ...]
    conditional_routes: str  # "shipped" (default) or "not-shipped": routes registered under a switch
    snapshot: str
    services: tuple[Service, ...]
    canonical: tuple[CanonicalEndpoint, ...]
    prohibited: tuple[ProhibitedEndpoint, ...]
    families: tuple[AliasFamily, ...]
    runbook_include: tuple[str, ...]
    runbook_exclude: tuple[str, ...]
    severity: dict[str, str]
    where: Where

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def guard(self, guard_id: str) -> Guard | None:
        return next((g for g in self.guards if g.id == guard_id), None)

    def family(self, family_id: str) -> AliasFamily | None:
        return next((f for f in self.families if f.id == family_id), None)

    @property
    def required_classes(self) -> tuple[EvidenceClass, ...]:
        return tuple(c for c in self.evidence_classes if c.required)

    @property
    def adr_location(self) -> tuple[str, str]:
        """(source id, path) of the ADR: `openagents:docs/adr/x.md` names a source's file, else ("", tracker path)."""
        head, sep, rest = self.adr.partition(":")
        if sep and any(s.id == head for s in self.sources):
            return head, rest
        return "", self.adr


def build_program(doc: Document) -> Program:
    data = as_map(doc.data)
    ident = as_map(data.get("program"))
    policy = as_map(data.get("policy"))
    exc_policy = as_map(policy.get("exceptions"))
    net = as_map(policy.get("network"))
    endpoints = as_map(data.get("endpoints"))
    runbooks = as_map(data.get("runbooks"))
    scan = as_map(data.get("scan"))

    def where(*pointer: str | int) -> Where:
        return Where(doc, tuple(pointer))

    classes = tuple(
        EvidenceClass(
            str_at(c, "id"),
            str_at(c, "title"),
            str_at(c, "description"),
            bool_at(c, "required", True),
            where("evidence_classes", i),
        )
        for i, c in enumerate(map(as_map, as_list(data.get("evidence_classes"))))
    )
    requirements = tuple(
        Requirement(str_at(r, "id"), str_at(r, "text"), strs_of(r.get("invariants")), where("requirements", i))
        for i, r in enumerate(map(as_map, as_list(data.get("requirements"))))
    )
    sources = tuple(
        Source(
            str_at(s, "id"),
            str_at(s, "title"),
            str_at(s, "path") or None,
            str_at(s, "repository"),
            where("sources", i),
            pin=str_at(s, "pin"),
            record=str_at(s, "record"),
            milestones=tuple(
                Milestone(str_at(m, "commit"), str_at(m, "label")) for m in map(as_map, as_list(s.get("milestones")))
            ),
        )
        for i, s in enumerate(map(as_map, as_list(data.get("sources"))))
    )
    guards = tuple(
        Guard(
            id=str_at(g, "id"),
            invariant=str_at(g, "invariant"),
            title=str_at(g, "title"),
            pattern=str_at(g, "pattern"),
            regex=bool_at(g, "regex", False),
            word=bool_at(g, "word", False),
            case_sensitive=bool_at(g, "case_sensitive", True),
            message=str_at(g, "message"),
            sources=strs_of(g.get("sources")),
            paths=strs_of(g.get("paths")) or ("**",),
            exclude=strs_of(g.get("exclude")),
            where=where("guards", i),
            test_code=str_at(g, "test_code", "exclude"),
            files=strs_of(g.get("files")),
        )
        for i, g in enumerate(map(as_map, as_list(data.get("guards"))))
    )
    return Program(
        id=str_at(ident, "id", "program"),
        title=str_at(ident, "title", "Untitled program"),
        summary=str_at(ident, "summary"),
        adr=str_at(ident, "adr"),
        adr_id=str_at(ident, "adr_id"),
        adr_status=str_at(ident, "adr_status", "accepted"),
        accepted=parse_date(ident.get("accepted")),
        owner_lane=str_at(ident, "owner_lane"),
        timezone=str_at(ident, "timezone", "UTC"),
        repository=str_at(ident, "repository"),
        site_url=str_at(ident, "site_url"),
        max_age_days=int_at(exc_policy, "max_age_days", 14),
        warn_within_days=int_at(exc_policy, "warn_within_days", 3),
        catalog_max_age_days=int_at(policy, "catalog_max_age_days", 14),
        allow_hosts=strs_of(policy.get("allow_hosts")),
        url_cache_ttl_hours=num_at(policy, "url_cache_ttl_hours", 24.0),
        network=NetworkPolicy(
            connect_timeout=num_at(net, "connect_timeout", 5.0),
            read_timeout=num_at(net, "read_timeout", 10.0),
            retries=int_at(net, "retries", 2),
            concurrency=int_at(net, "concurrency", 32),
            per_host=int_at(net, "per_host", 8),
            max_bytes=int_at(net, "max_bytes", 5 * 1024 * 1024),
        ),
        evidence_classes=classes,
        requirements=requirements,
        sources=sources,
        guards=guards,
        scan_max_file_bytes=int_at(scan, "max_file_bytes", 4 * 1024 * 1024),
        scan_exclude=strs_of(scan.get("exclude")),
        endpoint_prefixes=strs_of(endpoints.get("prefixes")),
        endpoint_hosts=strs_of(endpoints.get("hosts")),
        conditional_routes=str_at(endpoints, "conditional_routes", "shipped"),
        snapshot=str_at(endpoints, "snapshot", "data/endpoints.snapshot.json"),
        services=build_services(doc, endpoints),
        canonical=build_canonical(doc, endpoints),
        prohibited=build_prohibited(doc, endpoints),
        families=build_families(doc, endpoints),
        runbook_include=strs_of(runbooks.get("include")) or ("docs/runbooks/**/*.md",),
        runbook_exclude=strs_of(runbooks.get("exclude")),
        severity={k: v for k, v in as_map(data.get("severity")).items() if isinstance(v, str)},
        where=where(),
    )
