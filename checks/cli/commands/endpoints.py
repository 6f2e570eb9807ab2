"""`gates endpoints`: the shipped endpoint catalog, and `--refresh` to rewrite its snapshot."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from checks.cli.args import EXIT_OK, UsageError, add_common, command_parser
from checks.cli.table import table

if TYPE_CHECKING:
    from checks.endpoints.catalog import Catalog, Endpoint
    from checks.model import Program


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    endpoints = command_parser(
        sub,
        "endpoints",
        "the shipped endpoint catalog",
        "The endpoints each service ships, where each is registered, whether the doctrine names it\n"
        "canonical, an alias (a family member other than the canonical) or prohibited, and where the\n"
        "catalog came from (a live source, a record or the snapshot). --refresh rewrites the snapshot\n"
        "from live sources.",
        ("gates endpoints --source openagents=../openagents", "gates endpoints --refresh --source openagents=."),
        exit_codes="exit codes:\n  0  shown (or written)\n  2  could not run (nothing live to refresh from)",
    )
    add_common(endpoints)
    endpoints.add_argument("--refresh", action="store_true", help="write the snapshot from live sources")
    endpoints.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    endpoints.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from checks.cli.session import load_context
    from checks.endpoints.catalog import build_catalog, write_snapshot
    from checks.records import recorded_catalogs

    ctx = load_context(args)
    recorded = None if args.refresh else recorded_catalogs(ctx.source_states, ctx.program)
    catalog = build_catalog(ctx.scope, use_snapshot=not args.refresh, recorded=recorded)
    if args.refresh:
        live = [s for s, c in catalog.services.items() if c is not None and c.refreshable]
        if not live:
            raise UsageError("no service has a live source to refresh from; pass --source NAME=PATH")
        try:
            file = write_snapshot(ctx.scope, catalog)
        except OSError as exc:
            raise UsageError(f"cannot write the snapshot {ctx.program.snapshot}: {exc.strerror or exc}") from exc
        kept = [s for s, c in catalog.services.items() if c is None]
        note = f"; kept previous entries for {', '.join(kept)}" if kept else ""
        print(f"gates: wrote {file.relative_to(ctx.root)} from {', '.join(live)}{note}", file=sys.stderr)
    roles = {e: endpoint_role(ctx.program, e) for c in catalog.services.values() if c for e in c.endpoints}
    if args.format == "json":
        body = {
            "services": {
                s: (
                    {
                        **c.provenance(),
                        "live": c.live,
                        "endpoints": [{**e.as_dict(), "role": roles[e]} for e in c.endpoints],
                        # Registered under a switch the program does not count as shipped.
                        **({"held_back": [e.as_dict() for e in c.held_back]} if c.held_back else {}),
                    }
                    if c
                    else None
                )
                for s, c in catalog.services.items()
            },
            "problems": [{"service": p.service, "message": p.message} for p in catalog.problems],
        }
        sys.stdout.write(json.dumps(body, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(to_text(catalog, roles))
    return EXIT_OK


def endpoint_role(program: Program, endpoint: Endpoint) -> str:
    """What the doctrine says of a shipped endpoint: prohibited, canonical, alias, or "" (nothing).

    Templates match as the drift rules match them (`same_endpoint`); prohibited wins, since a route
    that is both is an error whatever else it is.
    """
    from checks.endpoints.normalize import normalize, same_endpoint, same_method

    path, method = endpoint.path, endpoint.method
    if any(same_endpoint(p.path, path) and same_method(p.method, method) for p in program.prohibited):
        return "prohibited"
    if any(
        same_endpoint(c.path, path) and same_method(c.method, method) and c.service in ("", endpoint.service)
        for c in program.canonical
    ) or any(same_endpoint(f.canonical, path) and same_method(f.method, method) for f in program.families):
        return "canonical"
    if any(
        same_endpoint(m, path) and same_method(f.method, method) and normalize(m) != normalize(f.canonical)
        for f in program.families
        for m in f.members
    ):
        return "alias"
    return ""


def to_text(catalog: Catalog, roles: dict[Endpoint, str]) -> str:
    """Where each service's catalog came from, then one aligned table of every endpoint."""
    lines = []
    rows = []
    for service, cat in catalog.services.items():
        if cat is None:
            lines.append(f"{service}: unknown (no live source, no snapshot entry)")
            continue
        origin = (
            "live"
            if cat.live
            else f"record {cat.record} of {cat.commit[:7]} on {cat.generated}"
            if cat.record
            else f"snapshot {cat.generated}"
        )
        held = f", {len(cat.held_back)} held back (registered only under a switch)" if cat.held_back else ""
        lines.append(f"{service}: {len(cat.endpoints)} endpoints ({cat.kind}, {origin}){held}")
        rows += [[service, e.method, e.path, roles.get(e) or "-", e.origin, e.condition or "-"] for e in cat.endpoints]
        rows += [[service, e.method, e.path, "held back", e.origin, e.condition] for e in cat.held_back]
    if rows and all(row[5] == "-" for row in rows):
        # No route behind a switch: the "only when" column would say nothing.
        rows = [row[:5] for row in rows]
    if rows:
        lines += ["", *table(["service", "method", "path", "role", "registered at", "only when"][: len(rows[0])], rows)]
    lines += [f"warning: {p.service}: {p.message}" for p in catalog.problems]
    return "\n".join(lines) + "\n"
