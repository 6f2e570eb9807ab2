"""DRIFT rules: active runbooks match the endpoints the services actually ship."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from checks.core.context import Context
from checks.core.findings import Problem, Severity
from checks.core.registry import rule
from checks.endpoints.drift import origin_location
from checks.endpoints.normalize import normalize, same_endpoint, same_method
from checks.endpoints.runbooks import EndpointRef, program_host
from checks.policy.waivers import lapse_text


def _suppressed(ctx: Context, code: str, doc: str, line: int) -> tuple[bool, str]:
    """(suppressed, note): a suppression without a reason does not count and says so."""
    s = ctx.drift.runbooks.suppression_for(code, doc, line)
    if s is None:
        return False, ""
    if s.reason:
        return True, ""
    return False, f'; the "gates: ignore {code}" comment on line {s.line} needs reason="..." to count'


def _label(ref: EndpointRef) -> str:
    return f"{ref.method + ' ' if ref.method != 'ANY' else ''}{ref.path}"


@rule("DRIFT001", "runbook-endpoint-not-shipped", Severity.ERROR, needs=("drift",))
def runbook_endpoint_not_shipped(ctx: Context) -> Iterator[Problem]:
    """Every endpoint an active runbook tells an operator to call must be shipped by some service.

    Paths compare as templates (`{db}`, `:db`, `<db>` and `$DB` are one segment; query strings and
    trailing slashes are ignored), and a method given in the runbook must match.

    Pass:
    ```console
    curl -X POST https://control.example/api/spacetime/token
    ```
    Fail (no service ships it):
    ```console
    curl -X POST https://control.example/api/spacetime/tokens
    ```
    """
    drift = ctx.drift
    if not drift.catalog_known:
        return
    shipped = sorted({normalize(e.path) for e in drift.catalog.endpoints})
    closest: dict[str, list[str]] = {}  # runbooks name the same few paths many times: one search each
    for ref in drift.runbooks.endpoints:
        if drift.prohibited_for(ref) is not None or drift.ships(ref.path, ref.method):
            continue
        if ref.retired and drift.known_alias(ref.path):
            continue  # "the alias /api/v1/sync/token is retired": documents the deletion, prescribes nothing
        if ref.context not in ("command", "method-line") and not program_host(ref.host, ctx.program.endpoint_hosts):
            continue  # a link to someone else's documentation, not an endpoint of ours
        if drift.is_base_url(ref.path):
            continue  # "the API root is https://host/api/v1/": a base URL, not an endpoint to call
        if "//" in ref.path:
            continue  # reported once, as the doubled slash it is (DRIFT012)
        done, note = _suppressed(ctx, "DRIFT001", ref.doc, ref.line)
        if done:
            continue
        path_only = drift.ships(ref.path)
        held = drift.held_back(ref.path, ref.method)
        if held is not None:
            why = f"it is registered only when {held.condition} ({held.origin}), which this program does not ship"
        elif path_only:
            why = f"no service ships {ref.method} on it"
        else:
            wanted = normalize(ref.path)
            if wanted not in closest:
                closest[wanted] = difflib.get_close_matches(wanted, shipped, n=1, cutoff=0.75)
            close = closest[wanted]
            why = "no service ships it" + (f" (closest shipped: {close[0]})" if close else "")
        yield Problem(
            ref.doc,
            ref.line,
            ref.column,
            f"runbook names {_label(ref)}, but {why}; correct the runbook to the shipped endpoint{note}",
        )


@rule("DRIFT002", "runbook-prohibited-endpoint", Severity.ERROR, needs=("drift",))
def runbook_prohibited_endpoint(ctx: Context) -> Iterator[Problem]:
    """An active runbook must not prescribe a prohibited (legacy) endpoint.

    A line that says the endpoint is retired (retired, removed, deleted, deprecated, must not, 404…)
    names it without prescribing it and passes. Anything else can be marked with
    `<!-- gates: ignore DRIFT002 reason="..." -->` on the line or the line above.

    Pass:
    ```text
    GET /v1/database/openagents/subscribe
    ```
    Fail:
    ```text
    GET /sync/socket/websocket
    ```
    """
    for ref in ctx.drift.runbooks.endpoints:
        prohibited = ctx.drift.prohibited_for(ref)
        if prohibited is None or ref.retired:
            continue  # a line saying the endpoint is retired names it without prescribing it
        done, note = _suppressed(ctx, "DRIFT002", ref.doc, ref.line)
        if done:
            continue
        instead = f"; use {prohibited.use_instead}" if prohibited.use_instead else ""
        yield Problem(
            ref.doc,
            ref.line,
            ref.column,
            f"runbook prescribes the prohibited endpoint {_label(ref)}: {prohibited.reason}{instead}{note}",
            prohibited.path,
            prohibited.invariant,
        )


@rule("DRIFT003", "canonical-endpoint-missing", Severity.ERROR, needs=("drift",))
def canonical_endpoint_missing(ctx: Context) -> Iterator[Problem]:
    """Every endpoint the doctrine requires must be shipped by its service.

    Pass: the SpacetimeDB host's manifest lists `GET /v1/database/:name_or_identity/subscribe`.
    Fail: the control service no longer ships the canonical `POST /api/spacetime/token`.
    """
    catalog = ctx.drift.catalog
    for canonical in ctx.program.canonical:
        if not catalog.known(canonical.service or None):
            continue
        if catalog.find(canonical.path, canonical.method, canonical.service):
            continue
        line, col = canonical.where.at("path")
        where = f"service {canonical.service!r}" if canonical.service else "any service"
        yield Problem(
            canonical.where.path,
            line,
            col,
            f"canonical endpoint {canonical.method} {canonical.path} ({canonical.id}) is not shipped by "
            f"{where}; ship it or correct the doctrine",
            canonical.id,
            canonical.invariant,
        )


@rule("DRIFT004", "endpoint-alias", Severity.ERROR, needs=("drift",))
def endpoint_alias(ctx: Context) -> Iterator[Problem]:
    """An alias family must ship exactly one endpoint unless a compliant exception waives the alias.

    A family is one contract reachable under several paths (the sync-token issuance family).

    Pass: only `POST /api/spacetime/token` ships, or the alias `/api/sync/token` is covered by an
    active, compliant exception.
    Fail: `/api/sync/token` still ships next to the canonical route and no compliant exception covers it.
    """
    for alias in ctx.drift.aliases:
        cover = ctx.covers.alias_cover(alias.family.id, alias.endpoint.path)
        if cover.waived_by is not None:
            continue
        path, line = origin_location(alias.endpoint.origin)
        lapsed = "; no longer waived: " + "; ".join(lapse_text(s) for s in cover.lapsed) if cover.lapsed else ""
        yield Problem(
            path or ctx.program.where.path,
            line,
            0,
            f"{alias.endpoint.method} {alias.endpoint.path} ships as an alias of {alias.family.canonical} "
            f"({alias.family.id}); delete the alias or cover it with a compliant exception{lapsed}",
            alias.family.id,
            alias.family.invariant,
        )


@rule("DRIFT005", "endpoint-undocumented", Severity.INFO, needs=("drift",))
def endpoint_undocumented(ctx: Context) -> Iterator[Problem]:
    """Report shipped endpoints that no active runbook mentions.

    Pass: a runbook shows how to call every shipped endpoint an operator uses.
    Fail: this rule reports, it never fails a check on its own.
    """
    drift = ctx.drift
    if drift.runbooks.unchecked:
        return  # some runbooks could not be read (their source is absent): "not mentioned" is unknown
    for endpoint in drift.catalog.endpoints:
        if drift.mentioned(endpoint):
            continue
        path, line = origin_location(endpoint.origin)
        yield Problem(
            path or ctx.program.where.path,
            line,
            0,
            f"{endpoint.method} {endpoint.path} ({endpoint.service}) ships but no active runbook mentions it",
            endpoint.service,
        )


@rule("DRIFT006", "catalog-stale", Severity.WARNING, needs=("drift",))
def catalog_stale(ctx: Context) -> Iterator[Problem]:
    """The endpoint catalog must come from live sources or a snapshot younger than policy allows.

    Pass: the source is present, or the snapshot was refreshed within `catalog_max_age_days`.
    Fail: the snapshot is older than the policy, or an OpenAPI URL did not answer.
    """
    for problem in ctx.drift.catalog.problems:
        service = next((s for s in ctx.program.services if s.id == problem.service), None)
        line, col = service.where.at("id") if service else (1, 0)
        yield Problem(
            ctx.program.where.path, line, col, f"service {problem.service!r}: {problem.message}", problem.service
        )


@rule("DRIFT009", "catalog-unreadable", Severity.ERROR, needs=("drift",))
def catalog_unreadable(ctx: Context) -> Iterator[Problem]:
    """The endpoint snapshot, when it exists, must be readable: a corrupt one fails the check.

    Drift over it is not evaluated, so no invariant that names an endpoint (canonical, prohibited,
    alias family) can close until the snapshot is restored or refreshed (`gates endpoints --refresh`).

    Pass: `data/endpoints.snapshot.json` is the JSON `gates endpoints --refresh` wrote.
    Fail: the file is truncated, or holds no `services` mapping.
    """
    why = ctx.drift.catalog.snapshot_corrupt
    if not why:
        return
    program = ctx.program
    invariants = sorted(
        {c.invariant for c in program.canonical}
        | {p.invariant for p in program.prohibited}
        | {f.invariant for f in program.families}
    )
    for invariant in invariants or [""]:
        yield Problem(
            program.snapshot,
            1,
            1,
            f"{why}; drift over the endpoint catalog is not evaluated"
            + (f", so {invariant} cannot close" if invariant else "")
            + "; restore the file or run 'gates endpoints --refresh --source NAME=PATH'",
            program.snapshot,
            invariant,
        )


@rule("DRIFT011", "prohibited-endpoint-shipped", Severity.ERROR, needs=("drift",))
def prohibited_endpoint_shipped(ctx: Context) -> Iterator[Problem]:
    """A prohibited endpoint must not ship, unless a compliant exception covers it.

    `endpoints.prohibited` governs the shipped catalog as well as the runbooks: a route that still
    registers a retired path is an error at its file and line. Paths may end in `*` (a whole subtree);
    a method, when given, must match. An exception waives it with an endpoint cover that names the
    path and no family.

    Pass: no service registers `/sync/socket/websocket`.
    Fail: `.route("/sync/socket/websocket", get(ws_upgrade))` is still in the router.
    """
    drift = ctx.drift
    for endpoint in drift.catalog.endpoints:
        prohibited = next(
            (
                p
                for p in ctx.program.prohibited
                if same_endpoint(p.path, endpoint.path) and same_method(p.method, endpoint.method)
            ),
            None,
        )
        if prohibited is None:
            continue
        cover = ctx.covers.prohibited_cover(endpoint.path, prohibited.invariant)
        if cover.waived_by is not None:
            continue
        path, line = origin_location(endpoint.origin)
        lapsed = "; no longer waived: " + "; ".join(lapse_text(s) for s in cover.lapsed) if cover.lapsed else ""
        instead = f"; use {prohibited.use_instead}" if prohibited.use_instead else ""
        yield Problem(
            path or ctx.program.where.path,
            line,
            0,
            f"{endpoint.method} {endpoint.path} ships ({endpoint.service}) but is prohibited: "
            f"{prohibited.reason}{instead}; delete the route or cover it with a compliant exception{lapsed}",
            prohibited.path,
            prohibited.invariant,
        )
