"""DATA rules: the data files parse, match their schemas and refer to things that exist."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator

from checks.core.context import Context
from checks.core.findings import Problem, Severity
from checks.core.registry import rule
from checks.load.dates import valid_timezone
from checks.model import Where
from checks.model.ids import INVARIANT_ID
from checks.scan.guards import compile_guard
from checks.scan.regexsafety import unsafe_regex


def _load_problems(ctx: Context, code: str) -> Iterator[Problem]:
    for doc in ctx.workspace.docs.values():
        for p in doc.problems:
            if p.code == code:
                yield Problem(doc.path, p.line, p.column, p.message)


@rule("DATA001", "yaml-syntax", Severity.ERROR)
def yaml_syntax(ctx: Context) -> Iterator[Problem]:
    """Data files must be valid, safe UTF-8 YAML within the size and alias limits.

    A file that cannot be read is reported at the line where reading stopped; nothing in it is
    trusted, so an unreadable exceptions file waives nothing.

    Pass:
    ```yaml
    exceptions:
      - id: EXC-001
    ```
    Fail (a tab indents the key; an unsafe tag):
    ```yaml
    exceptions:
        - id: EXC-001
    owner: !!python/object:os.system x
    ```
    """
    yield from _load_problems(ctx, "DATA001")
    invariants = ctx.workspace.docs["invariants"]
    if not invariants.exists:
        yield Problem(invariants.path, 1, 0, f"{invariants.path} must exist and list the program's invariants")


@rule("DATA002", "duplicate-key", Severity.ERROR)
def duplicate_key(ctx: Context) -> Iterator[Problem]:
    """A mapping must not repeat a key.

    YAML parsers silently keep one of two repeated keys; Gates refuses both so a second `expires:`
    can never quietly extend an exception.

    Pass:
    ```yaml
    expires: 2026-03-12
    ```
    Fail:
    ```yaml
    expires: 2026-03-12
    expires: 2026-12-31
    ```
    """
    yield from _load_problems(ctx, "DATA002")


@rule("DATA003", "schema", Severity.ERROR)
def schema(ctx: Context) -> Iterator[Problem]:
    """Every value must match its file's schema: known keys, right types, calendar dates.

    The message names the JSON path and what must be true. Misspelled keys are errors, never
    ignored, and an exception with any such error waives nothing.

    Pass:
    ```yaml
    expires: 2026-03-12
    ```
    Fail (misspelled key; impossible date):
    ```yaml
    expiers: 2026-03-12
    expires: 2026-02-30
    ```
    """
    for name, problems in ctx.workspace.schema_problems.items():
        path = ctx.workspace.docs[name].path
        for p in problems:
            yield Problem(path, p.line, p.column, p.message)
    program = ctx.workspace.program
    if program.where.has("program", "timezone") and not valid_timezone(program.timezone):
        line, col = program.where.at("program", "timezone")
        yield Problem(
            program.where.path,
            line,
            col,
            f"$.program.timezone: {program.timezone!r} must be an IANA timezone such as 'UTC' or 'Europe/Berlin'",
        )
    for service in program.services:
        if service.regex:
            why = unsafe_regex(service.regex)
            if why is None and "(?P<path>" not in service.regex:
                why = "needs a named group (?P<path>...)"
            if why:
                line, col = service.where.at("regex")
                yield Problem(service.where.path, line, col, f"service {service.id}: route regex {why}", service.id)
    for guard in program.guards:
        error = compile_guard(guard)[1]
        if error:
            line, col = guard.where.at("pattern")
            yield Problem(guard.where.path, line, col, f"guard {guard.id}: pattern {error}", guard.id, guard.invariant)


def _normal(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip().casefold()


def _duplicates(kind: str, items: list[tuple[str, Where]]) -> Iterator[Problem]:
    seen: dict[str, tuple[str, Where]] = {}
    for ident, where in items:
        if not ident:
            continue
        key = _normal(ident)
        if key in seen:
            first_id, first = seen[key]
            line, col = where.at("id")
            same = "" if first_id == ident else f" (same as {first_id!r} once case and width are ignored)"
            yield Problem(
                where.path,
                line,
                col,
                f"{kind} id {ident!r}{same} is already used at {first.path}:{first.at('id')[0]}; give it a new id",
                ident,
            )
        else:
            seen[key] = (ident, where)


@rule("DATA004", "duplicate-id", Severity.ERROR)
def duplicate_id(ctx: Context) -> Iterator[Problem]:
    """Ids of invariants, exceptions, guards, evidence items, classes, sources and services must be unique.

    Ids are compared after Unicode normalization and case folding, so `EXC-001` and `exc-001`
    collide.

    Pass:
    ```yaml
    - id: EXC-001
    - id: EXC-002
    ```
    Fail:
    ```yaml
    - id: EXC-001
    - id: EXC-001
    ```
    """
    ws = ctx.workspace
    p = ws.program
    yield from _duplicates("invariant", [(i.id, i.where) for i in ws.invariants])
    yield from _duplicates("exception", [(w.id, w.where) for w in ws.waivers])
    yield from _duplicates("guard", [(g.id, g.where) for g in p.guards])
    yield from _duplicates("evidence", [(e.id, e.where) for i in ws.invariants for e in i.evidence])
    yield from _duplicates("evidence class", [(c.id, c.where) for c in p.evidence_classes])
    yield from _duplicates("source", [(s.id, s.where) for s in p.sources])
    yield from _duplicates("service", [(s.id, s.where) for s in p.services])
    yield from _duplicates("alias family", [(f.id, f.where) for f in p.families])
    yield from _duplicates("canonical endpoint", [(c.id, c.where) for c in p.canonical])
    yield from _duplicates("requirement", [(r.id, r.where) for r in p.requirements])


_INV = re.compile(INVARIANT_ID)


@rule("DATA005", "unknown-reference", Severity.ERROR)
def unknown_reference(ctx: Context) -> Iterator[Problem]:
    """References to invariants, classes, guards, sources, services and families must resolve.

    A typo in a reference would otherwise disconnect evidence from its gate or make an exception
    cover nothing.

    Pass:
    ```yaml
    evidence:
      - {id: INV-03-E1, class: repo-guard-checks, kind: command, ref: gates check}
    ```
    Fail (no such class):
    ```yaml
    evidence:
      - {id: INV-03-E1, class: repo-guard-check, kind: command, ref: gates check}
    ```
    """
    ws = ctx.workspace
    p = ws.program
    invariants = {i.id for i in ws.invariants if i.id}
    classes = {c.id for c in p.evidence_classes}
    sources = {s.id for s in p.sources}
    guards = {g.id for g in p.guards}
    services = {s.id for s in p.services}
    families = {f.id for f in p.families}

    def check(
        value: str, known: set[str], kind: str, where: Where, *key: str | int, subject: str = "", invariant: str = ""
    ) -> Iterator[Problem]:
        if not value or value in known:
            return
        if kind == "invariant" and not _INV.match(value):
            return  # the schema already reports a malformed id
        line, col = where.at(*key)
        close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}? " if close else ""
        choices = ", ".join(sorted(known)) or "none defined"
        yield Problem(
            where.path, line, col, f"{kind} {value!r} does not exist; {hint}use one of: {choices}", subject, invariant
        )

    if ws.docs["invariants"].readable:
        for req in p.requirements:
            for i, inv in enumerate(req.invariants):
                yield from check(inv, invariants, "invariant", req.where, "invariants", i, subject=req.id)
        for g in p.guards:
            yield from check(g.invariant, invariants, "invariant", g.where, "invariant", subject=g.id)
        for c in p.canonical:
            yield from check(c.invariant, invariants, "invariant", c.where, "invariant", subject=c.id)
        for pr in p.prohibited:
            yield from check(pr.invariant, invariants, "invariant", pr.where, "invariant", subject=pr.path)
        for f in p.families:
            yield from check(f.invariant, invariants, "invariant", f.where, "invariant", subject=f.id)
        for w in ws.waivers:
            for i, inv in enumerate(w.invariants):
                yield from check(inv, invariants, "invariant", w.where, "invariants", i, subject=w.id)
    for g in p.guards:
        for i, src in enumerate(g.sources):
            yield from check(src, sources, "source", g.where, "sources", i, subject=g.id, invariant=g.invariant)
    for s in p.services:
        yield from check(s.source, sources, "source", s.where, "source", subject=s.id)
    for c in p.canonical:
        yield from check(c.service, services, "service", c.where, "service", subject=c.id, invariant=c.invariant)
    for invariant in ws.invariants:
        for e in invariant.evidence:
            yield from check(
                e.class_id, classes, "evidence class", e.where, "class", subject=e.id, invariant=invariant.id
            )
            yield from check(e.source, sources, "source", e.where, "source", subject=e.id, invariant=invariant.id)
    for w in ws.waivers:
        for gc in w.guard_covers:
            yield from check(gc.guard, guards, "guard", gc.where, "guard", subject=w.id)
            yield from check(gc.source, sources, "source", gc.where, "source", subject=w.id)
        for ec in w.endpoint_covers:
            yield from check(ec.family, families, "alias family", ec.where, "family", subject=w.id)
