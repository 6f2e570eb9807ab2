"""The program as typed values, built from the loaded (and possibly invalid) YAML.

Builders never trust the data: a value of the wrong type becomes its default, so a broken file
still yields a model the rules can run on, while the schema problems report what was wrong.
An exception whose own fields broke the schema is marked unreadable and waives nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from checks.load.dates import parse_date
from checks.load.yamlload import Document, Pointer


@dataclass(frozen=True)
class Where:
    """Where a model value came from: its file and JSON pointer, for findings at the exact line."""

    doc: Document
    pointer: Pointer

    @property
    def path(self) -> str:
        return self.doc.path

    def at(self, *keys: str | int) -> tuple[int, int]:
        return self.doc.loc((*self.pointer, *keys))

    def has(self, *keys: str | int) -> bool:
        return (*self.pointer, *keys) in self.doc.locations


def _map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _str(data: dict[str, Any], key: str, default: str = "") -> str:
    value = data.get(key)
    return value if isinstance(value, str) else default


def _strs(value: Any) -> tuple[str, ...]:
    return tuple(v for v in _list(value) if isinstance(v, str))


def _int(data: dict[str, Any], key: str, default: int) -> int:
    value = data.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _num(data: dict[str, Any], key: str, default: float) -> float:
    value = data.get(key)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else default


def _bool(data: dict[str, Any], key: str, default: bool) -> bool:
    value = data.get(key)
    return value if isinstance(value, bool) else default


# ---------------------------------------------------------------- program.yaml


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
class Source:
    id: str
    title: str
    path: str | None
    repository: str
    where: Where


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
    regex: str
    openapi: str
    base: str
    manifest: tuple[ManifestEndpoint, ...]
    where: Where


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


def build_program(doc: Document) -> Program:
    data = _map(doc.data)
    ident = _map(data.get("program"))
    policy = _map(data.get("policy"))
    exc_policy = _map(policy.get("exceptions"))
    net = _map(policy.get("network"))
    endpoints = _map(data.get("endpoints"))
    runbooks = _map(data.get("runbooks"))
    scan = _map(data.get("scan"))

    def where(*pointer: str | int) -> Where:
        return Where(doc, tuple(pointer))

    classes = tuple(
        EvidenceClass(
            _str(c, "id"),
            _str(c, "title"),
            _str(c, "description"),
            _bool(c, "required", True),
            where("evidence_classes", i),
        )
        for i, c in enumerate(map(_map, _list(data.get("evidence_classes"))))
    )
    requirements = tuple(
        Requirement(_str(r, "id"), _str(r, "text"), _strs(r.get("invariants")), where("requirements", i))
        for i, r in enumerate(map(_map, _list(data.get("requirements"))))
    )
    sources = tuple(
        Source(_str(s, "id"), _str(s, "title"), _str(s, "path") or None, _str(s, "repository"), where("sources", i))
        for i, s in enumerate(map(_map, _list(data.get("sources"))))
    )
    guards = tuple(
        Guard(
            id=_str(g, "id"),
            invariant=_str(g, "invariant"),
            title=_str(g, "title"),
            pattern=_str(g, "pattern"),
            regex=_bool(g, "regex", False),
            word=_bool(g, "word", False),
            case_sensitive=_bool(g, "case_sensitive", True),
            message=_str(g, "message"),
            sources=_strs(g.get("sources")),
            paths=_strs(g.get("paths")) or ("**",),
            exclude=_strs(g.get("exclude")),
            where=where("guards", i),
        )
        for i, g in enumerate(map(_map, _list(data.get("guards"))))
    )
    services = tuple(
        Service(
            id=_str(s, "id"),
            title=_str(s, "title"),
            source=_str(s, "source"),
            preset=_str(s, "preset"),
            paths=_strs(s.get("paths")),
            regex=_str(s, "regex"),
            openapi=_str(s, "openapi"),
            base=_str(s, "base"),
            manifest=tuple(
                ManifestEndpoint(
                    _str(m, "method", "ANY").upper(),
                    _str(m, "path"),
                    _str(m, "description"),
                    where("endpoints", "services", i, "manifest", j),
                )
                for j, m in enumerate(map(_map, _list(s.get("manifest"))))
            ),
            where=where("endpoints", "services", i),
        )
        for i, s in enumerate(map(_map, _list(endpoints.get("services"))))
    )
    canonical = tuple(
        CanonicalEndpoint(
            _str(c, "id"),
            _str(c, "method", "ANY").upper(),
            _str(c, "path"),
            _str(c, "service"),
            _str(c, "invariant"),
            _str(c, "description"),
            where("endpoints", "canonical", i),
        )
        for i, c in enumerate(map(_map, _list(endpoints.get("canonical"))))
    )
    prohibited = tuple(
        ProhibitedEndpoint(
            _str(p, "method", "ANY").upper(),
            _str(p, "path"),
            _str(p, "invariant"),
            _str(p, "reason"),
            _str(p, "use_instead"),
            where("endpoints", "prohibited", i),
        )
        for i, p in enumerate(map(_map, _list(endpoints.get("prohibited"))))
    )
    families = tuple(
        AliasFamily(
            _str(f, "id"),
            _str(f, "title"),
            _str(f, "invariant"),
            _str(f, "canonical"),
            _str(f, "method", "ANY").upper(),
            _strs(f.get("members")),
            where("endpoints", "families", i),
        )
        for i, f in enumerate(map(_map, _list(endpoints.get("families"))))
    )
    return Program(
        id=_str(ident, "id", "program"),
        title=_str(ident, "title", "Untitled program"),
        summary=_str(ident, "summary"),
        adr=_str(ident, "adr"),
        adr_id=_str(ident, "adr_id"),
        adr_status=_str(ident, "adr_status", "accepted"),
        accepted=parse_date(ident.get("accepted")),
        owner_lane=_str(ident, "owner_lane"),
        timezone=_str(ident, "timezone", "UTC"),
        repository=_str(ident, "repository"),
        site_url=_str(ident, "site_url"),
        max_age_days=_int(exc_policy, "max_age_days", 14),
        warn_within_days=_int(exc_policy, "warn_within_days", 3),
        catalog_max_age_days=_int(policy, "catalog_max_age_days", 14),
        allow_hosts=_strs(policy.get("allow_hosts")),
        url_cache_ttl_hours=_num(policy, "url_cache_ttl_hours", 24.0),
        network=NetworkPolicy(
            connect_timeout=_num(net, "connect_timeout", 5.0),
            read_timeout=_num(net, "read_timeout", 10.0),
            retries=_int(net, "retries", 2),
            concurrency=_int(net, "concurrency", 32),
            per_host=_int(net, "per_host", 8),
            max_bytes=_int(net, "max_bytes", 5 * 1024 * 1024),
        ),
        evidence_classes=classes,
        requirements=requirements,
        sources=sources,
        guards=guards,
        scan_max_file_bytes=_int(scan, "max_file_bytes", 4 * 1024 * 1024),
        scan_exclude=_strs(scan.get("exclude")),
        endpoint_prefixes=_strs(endpoints.get("prefixes")),
        endpoint_hosts=_strs(endpoints.get("hosts")),
        snapshot=_str(endpoints, "snapshot", "data/endpoints.snapshot.json"),
        services=services,
        canonical=canonical,
        prohibited=prohibited,
        families=families,
        runbook_include=_strs(runbooks.get("include")) or ("docs/runbooks/**/*.md",),
        runbook_exclude=_strs(runbooks.get("exclude")),
        severity={k: v for k, v in _map(data.get("severity")).items() if isinstance(v, str)},
        where=where(),
    )


# ---------------------------------------------------------------- invariants.yaml


@dataclass(frozen=True)
class AdrRef:
    section: str
    item: int | None
    note: str


@dataclass(frozen=True)
class Evidence:
    id: str
    invariant: str
    class_id: str
    kind: str
    ref: str
    source: str
    description: str
    where: Where


@dataclass(frozen=True)
class Invariant:
    id: str
    title: str
    statement: str
    posture: str
    owner: str
    adr: tuple[AdrRef, ...]
    evidence: tuple[Evidence, ...]
    verify: tuple[str, ...]
    where: Where


def build_invariants(doc: Document) -> tuple[Invariant, ...]:
    out = []
    for i, raw in enumerate(_list(_map(doc.data).get("invariants"))):
        inv = _map(raw)
        inv_id = _str(inv, "id")
        refs = tuple(
            AdrRef(_str(a, "section"), a.get("item") if isinstance(a.get("item"), int) else None, _str(a, "note"))
            for a in map(_map, _list(inv.get("adr")))
        )
        evidence = tuple(
            Evidence(
                id=_str(e, "id"),
                invariant=inv_id,
                class_id=_str(e, "class"),
                kind=_str(e, "kind"),
                ref=_str(e, "ref"),
                source=_str(e, "source"),
                description=_str(e, "description"),
                where=Where(doc, ("invariants", i, "evidence", j)),
            )
            for j, e in enumerate(map(_map, _list(inv.get("evidence"))))
        )
        out.append(
            Invariant(
                id=inv_id,
                title=_str(inv, "title"),
                statement=_str(inv, "statement"),
                posture=_str(inv, "posture"),
                owner=_str(inv, "owner"),
                adr=refs,
                evidence=evidence,
                verify=_strs(inv.get("verify")),
                where=Where(doc, ("invariants", i)),
            )
        )
    return tuple(out)


# ---------------------------------------------------------------- exceptions.yaml


@dataclass(frozen=True)
class Renewal:
    date: dt.date | None
    raw_date: object
    evidence: str
    approver: str
    note: str
    where: Where


@dataclass(frozen=True)
class GuardCover:
    guard: str
    source: str
    paths: tuple[str, ...]
    where: Where


@dataclass(frozen=True)
class EndpointCover:
    family: str
    path: str
    where: Where


@dataclass(frozen=True)
class Waiver:
    """One entry of exceptions.yaml (named Waiver in code so it never shadows Python's Exception)."""

    id: str
    title: str
    invariants: tuple[str, ...]
    surface: str
    blocker: str
    owner: str
    opened: dt.date | None
    expires: dt.date | None
    deletion_issue: str
    blast_radius: str
    rollback: tuple[str, ...]
    renewals: tuple[Renewal, ...]
    guard_covers: tuple[GuardCover, ...]
    endpoint_covers: tuple[EndpointCover, ...]
    status: str
    retired_date: dt.date | None
    retired_reason: str
    retired_link: str
    where: Where
    # Pointers of this entry that broke the schema; any of them makes the exception unreadable.
    schema_errors: tuple[Pointer, ...] = field(default=())

    @property
    def active(self) -> bool:
        # Fail closed: anything but an explicit, readable "retired" is treated as active.
        return self.status != "retired"

    @property
    def readable(self) -> bool:
        return not self.schema_errors

    @property
    def label(self) -> str:
        owner = self.owner or "no owner"
        issue = self.deletion_issue or "no deletion issue"
        return f"{self.id or '(no id)'} (owner {owner}, deletion issue {issue})"


def build_waivers(doc: Document, schema_pointers: list[Pointer]) -> tuple[Waiver, ...]:
    out = []
    for i, raw in enumerate(_list(_map(doc.data).get("exceptions"))):
        exc = _map(raw)
        base: Pointer = ("exceptions", i)
        errors = tuple(p for p in schema_pointers if p[: len(base)] == base)
        covers = _map(exc.get("covers"))
        retired = _map(exc.get("retired"))
        rollback = exc.get("rollback")
        out.append(
            Waiver(
                id=_str(exc, "id"),
                title=_str(exc, "title"),
                invariants=_strs(exc.get("invariants")),
                surface=_str(exc, "surface"),
                blocker=_str(exc, "blocker"),
                owner=_str(exc, "owner"),
                opened=parse_date(exc.get("opened")),
                expires=parse_date(exc.get("expires")),
                deletion_issue=_str(exc, "deletion_issue"),
                blast_radius=_str(exc, "blast_radius"),
                rollback=(rollback,) if isinstance(rollback, str) else _strs(rollback),
                renewals=tuple(
                    Renewal(
                        parse_date(r.get("date")),
                        r.get("date"),
                        _str(r, "evidence"),
                        _str(r, "approver"),
                        _str(r, "note"),
                        Where(doc, (*base, "renewals", j)),
                    )
                    for j, r in enumerate(map(_map, _list(exc.get("renewals"))))
                ),
                guard_covers=tuple(
                    GuardCover(
                        _str(g, "guard"),
                        _str(g, "source"),
                        _strs(g.get("paths")),
                        Where(doc, (*base, "covers", "guards", j)),
                    )
                    for j, g in enumerate(map(_map, _list(covers.get("guards"))))
                ),
                endpoint_covers=tuple(
                    EndpointCover(_str(e, "family"), _str(e, "path"), Where(doc, (*base, "covers", "endpoints", j)))
                    for j, e in enumerate(map(_map, _list(covers.get("endpoints"))))
                ),
                status=_str(exc, "status", "active"),
                retired_date=parse_date(retired.get("date")),
                retired_reason=_str(retired, "reason"),
                retired_link=_str(retired, "link"),
                where=Where(doc, base),
                schema_errors=errors,
            )
        )
    return tuple(out)
