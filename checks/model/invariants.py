"""The invariants as typed values: each with its ADR references and the evidence that closes it."""

from __future__ import annotations

from dataclasses import dataclass

from checks.load.yamlload import Document
from checks.model.where import Where, as_list, as_map, str_at, strs_of


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
    for i, raw in enumerate(as_list(as_map(doc.data).get("invariants"))):
        inv = as_map(raw)
        inv_id = str_at(inv, "id")
        refs = tuple(
            AdrRef(str_at(a, "section"), a.get("item") if isinstance(a.get("item"), int) else None, str_at(a, "note"))
            for a in map(as_map, as_list(inv.get("adr")))
        )
        evidence = tuple(
            Evidence(
                id=str_at(e, "id"),
                invariant=inv_id,
                class_id=str_at(e, "class"),
                kind=str_at(e, "kind"),
                ref=str_at(e, "ref"),
                source=str_at(e, "source"),
                description=str_at(e, "description"),
                where=Where(doc, ("invariants", i, "evidence", j)),
            )
            for j, e in enumerate(map(as_map, as_list(inv.get("evidence"))))
        )
        out.append(
            Invariant(
                id=inv_id,
                title=str_at(inv, "title"),
                statement=str_at(inv, "statement"),
                posture=str_at(inv, "posture"),
                owner=str_at(inv, "owner"),
                adr=refs,
                evidence=evidence,
                verify=strs_of(inv.get("verify")),
                where=Where(doc, ("invariants", i)),
            )
        )
    return tuple(out)
