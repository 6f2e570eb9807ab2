"""`gates endpoints`: the shipped endpoint catalog, and `--refresh` to rewrite its snapshot."""

from __future__ import annotations

import argparse
import json
import sys

from checks.cli.args import EXIT_OK, UsageError, add_common, command_parser


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    endpoints = command_parser(
        sub,
        "endpoints",
        "the shipped endpoint catalog",
        "The endpoints each service ships, where each is registered, and where the catalog came from\n"
        "(a live source, a record or the snapshot). --refresh rewrites the snapshot from live sources.",
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
    if args.format == "json":
        body = {
            "services": {
                s: ({**c.provenance(), "live": c.live, "endpoints": [e.as_dict() for e in c.endpoints]} if c else None)
                for s, c in catalog.services.items()
            },
            "problems": [{"service": p.service, "message": p.message} for p in catalog.problems],
        }
        sys.stdout.write(json.dumps(body, indent=2, ensure_ascii=False) + "\n")
    else:
        for service, cat in catalog.services.items():
            if cat is None:
                sys.stdout.write(f"{service}: unknown (no live source, no snapshot entry)\n")
                continue
            origin = (
                "live"
                if cat.live
                else f"record {cat.record} of {cat.commit[:7]} on {cat.generated}"
                if cat.record
                else f"snapshot {cat.generated}"
            )
            sys.stdout.write(f"{service}: {len(cat.endpoints)} endpoints ({cat.kind}, {origin})\n")
            for e in cat.endpoints:
                sys.stdout.write(f"  {e.method:<7} {e.path}    {e.origin}\n")
        for p in catalog.problems:
            sys.stdout.write(f"warning: {p.service}: {p.message}\n")
    return EXIT_OK
