"""`gates exception new`: a complete, valid exception entry for the author to fill in."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from checks.cli.args import EXIT_OK, Parser, UsageError, date_arg
from checks.core.context import Context
from checks.model.ids import EXCEPTION_ID_RE


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    exception = sub.add_parser("exception", help="work with exceptions")
    exception.set_defaults(handler=run)
    exc_sub = exception.add_subparsers(dest="exception_command", metavar="ACTION", parser_class=Parser)
    new = exc_sub.add_parser("new", help="print a complete exception skeleton to fill in")
    new.add_argument("--root", type=Path)
    new.add_argument("--today", type=date_arg)
    new.add_argument("--invariant", default="INV-03")
    new.add_argument("--title", default="")
    new.add_argument("--owner", default="")


def run(args: argparse.Namespace) -> int:
    from checks.cli.session import load_context

    if args.exception_command != "new":
        raise UsageError("gates exception needs an action: new")
    ctx = load_context(argparse.Namespace(root=args.root, today=args.today, source=[], offline=True))
    sys.stdout.write(exception_skeleton(ctx, args.invariant, args.title, args.owner))
    return EXIT_OK


def next_id(existing: list[str]) -> str:
    numbers = [int(i[4:]) for i in existing if EXCEPTION_ID_RE.match(i)]
    return f"EXC-{(max(numbers, default=0) + 1):03d}"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def exception_skeleton(ctx: Context, invariant: str, title: str, owner: str) -> str:
    today = ctx.today
    expires = today + dt.timedelta(days=ctx.program.max_age_days)
    ident = next_id([w.id for w in ctx.workspace.waivers])
    guard = ctx.program.guards[0].id if ctx.program.guards else "GUARD-ID"
    return f"""  # Paste under `exceptions:` in data/exceptions.yaml and replace every TODO.
  - id: {ident}
    title: {_quote(title or "TODO: what stays, in one line")}
    invariants: [{invariant}]
    surface: "TODO: the code path or contract that keeps legacy behaviour"
    blocker: "TODO: the concrete blocker that cannot be solved safely in scope"
    owner: {_quote(owner or "TODO: @owner")}
    opened: {today.isoformat()}
    expires: {expires.isoformat()}  # at most {ctx.program.max_age_days} days after opening or the last renewal
    deletion_issue: "https://TODO/issues/NNN"
    blast_radius: "TODO: who and what is affected while it stands"
    rollback:
      - "TODO: step 1"
    renewals: []
    covers:
      guards:
        - guard: {guard}
          paths: ["TODO/**"]
    status: active
"""
