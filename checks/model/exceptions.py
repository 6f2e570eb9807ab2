"""The time-boxed exceptions as typed values; an unreadable one (its fields broke the schema) waives nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from checks.load.dates import parse_date
from checks.load.yamlload import Document, Pointer
from checks.model.placeholders import placeholders
from checks.model.where import Where, as_list, as_map, str_at, strs_of


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
    # Fields still holding placeholder text (TODO, example.com, owner @me): such an entry waives nothing.
    placeholders: tuple[tuple[Pointer, str], ...] = field(default=())
    # A key repeated inside this entry (DATA002): which value counts is unknowable, so it waives nothing.
    duplicate_keys: bool = False

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


def _repeated_entries(doc: Document) -> set[int] | None:
    """The entries of `exceptions:` a key repeats inside; None when `exceptions:` itself repeats.

    Matched by the repeated key's path, not its line: flow-style entries may share one line.
    A repeated `exceptions:` leaves which entries exist unknowable, so it taints every entry.
    """
    out: set[int] = set()
    for p in doc.problems:
        if p.code != "DATA002" or p.pointer[:1] != ("exceptions",):
            continue
        if len(p.pointer) == 1:
            return None
        if isinstance(p.pointer[1], int):
            out.add(p.pointer[1])
    return out


def build_waivers(doc: Document, schema_pointers: list[Pointer]) -> tuple[Waiver, ...]:
    out = []
    entries = as_list(as_map(doc.data).get("exceptions"))
    repeated = _repeated_entries(doc)
    # Schema errors by entry, gathered once (not one pass over every error per entry).
    by_entry: dict[int, list[Pointer]] = {}
    for p in schema_pointers:
        if len(p) >= 2 and p[0] == "exceptions" and isinstance(p[1], int):
            by_entry.setdefault(p[1], []).append(p)
    for i, raw in enumerate(entries):
        exc = as_map(raw)
        base: Pointer = ("exceptions", i)
        errors = tuple(by_entry.get(i, ()))
        covers = as_map(exc.get("covers"))
        retired = as_map(exc.get("retired"))
        rollback = exc.get("rollback")
        out.append(
            Waiver(
                id=str_at(exc, "id"),
                title=str_at(exc, "title"),
                invariants=strs_of(exc.get("invariants")),
                surface=str_at(exc, "surface"),
                blocker=str_at(exc, "blocker"),
                owner=str_at(exc, "owner"),
                opened=parse_date(exc.get("opened")),
                expires=parse_date(exc.get("expires")),
                deletion_issue=str_at(exc, "deletion_issue"),
                blast_radius=str_at(exc, "blast_radius"),
                rollback=(rollback,) if isinstance(rollback, str) else strs_of(rollback),
                renewals=tuple(
                    Renewal(
                        parse_date(r.get("date")),
                        r.get("date"),
                        str_at(r, "evidence"),
                        str_at(r, "approver"),
                        str_at(r, "note"),
                        Where(doc, (*base, "renewals", j)),
                    )
                    for j, r in enumerate(map(as_map, as_list(exc.get("renewals"))))
                ),
                guard_covers=tuple(
                    GuardCover(
                        str_at(g, "guard"),
                        str_at(g, "source"),
                        strs_of(g.get("paths")),
                        Where(doc, (*base, "covers", "guards", j)),
                    )
                    for j, g in enumerate(map(as_map, as_list(covers.get("guards"))))
                ),
                endpoint_covers=tuple(
                    EndpointCover(str_at(e, "family"), str_at(e, "path"), Where(doc, (*base, "covers", "endpoints", j)))
                    for j, e in enumerate(map(as_map, as_list(covers.get("endpoints"))))
                ),
                status=str_at(exc, "status", "active"),
                retired_date=parse_date(retired.get("date")),
                retired_reason=str_at(retired, "reason"),
                retired_link=str_at(retired, "link"),
                where=Where(doc, base),
                schema_errors=errors,
                placeholders=tuple(placeholders(raw, base)),
                duplicate_keys=repeated is None or i in repeated,
            )
        )
    return tuple(out)
