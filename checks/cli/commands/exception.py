"""`gates exception new`: a complete, valid exception entry for the author to fill in."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from checks.cli.args import EXIT_OK, Parser, UsageError, command_parser, date_arg

if TYPE_CHECKING:
    # Imported where used: `gates --help` and the other commands need none of it (start-up time).
    from checks.core.context import Context


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    exception = command_parser(
        sub,
        "exception",
        "work with exceptions",
        "Start a time-boxed exception: `new` prints an entry with the next free id, today's date, the\n"
        "latest allowed expiry and covers for what the chosen invariant owns. Its TODO placeholders are\n"
        "refused (DATA006) until you replace them.",
        ("gates exception new --invariant INV-02 --owner @control-oncall --title 'Alias while clients migrate'",),
        exit_codes="exit codes:\n  0  printed\n  2  could not run (no such invariant, no program found)",
    )
    exception.set_defaults(handler=run)
    exc_sub = exception.add_subparsers(dest="exception_command", metavar="ACTION", parser_class=Parser)
    new = exc_sub.add_parser("new", help="print an exception entry to fill in")
    new.add_argument("--root", type=Path, help="tracker root (default: nearest folder upward with data/program.yaml)")
    new.add_argument("--today", type=date_arg, help="the opening date (default: today in the program timezone)")
    new.add_argument("--invariant", default="INV-03", help="the invariant it is against (default INV-03)")
    new.add_argument("--title", default="", help="what stays, in one line")
    new.add_argument("--owner", default="", help="who answers for it (a team or person handle)")


def run(args: argparse.Namespace) -> int:
    from checks.cli.session import load_context

    if args.exception_command != "new":
        raise UsageError("gates exception needs an action: new")
    ctx = load_context(argparse.Namespace(root=args.root, today=args.today, source=[], offline=True))
    sys.stdout.write(exception_skeleton(ctx, args.invariant, args.title, args.owner))
    return EXIT_OK


def next_id(existing: list[str]) -> str:
    from checks.model.ids import EXCEPTION_ID_RE

    numbers = [int(i[4:]) for i in existing if EXCEPTION_ID_RE.match(i)]
    return f"EXC-{(max(numbers, default=0) + 1):03d}"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _covers(ctx: Context, invariant: str) -> str:
    """Covers for what is attributed to `invariant` only: its guards and its alias families' aliases."""
    lines = []
    guards = [g for g in ctx.program.guards if g.invariant == invariant]
    if guards:
        lines.append("      guards:  # narrow paths to the surface this exception keeps")
        for g in guards:
            lines.append(f"        - guard: {g.id}")
            lines.append(f"          paths: [{', '.join(_quote(p) for p in g.paths)}]")
    aliases = [
        (f.id, member)
        for f in ctx.program.families
        if f.invariant == invariant
        for member in f.members
        if member != f.canonical
    ]
    if aliases:
        lines.append("      endpoints:  # keep only the aliases this exception waives")
        lines += [f"        - {{family: {fam}, path: {_quote(path)}}}" for fam, path in aliases]
    if not lines:
        return f"    covers: {{}}  # nothing of {invariant} can be waived: it has no guard and no alias family\n"
    return "    covers:\n" + "\n".join(lines) + "\n"


def exception_skeleton(ctx: Context, invariant: str, title: str, owner: str) -> str:
    known = [i.id for i in ctx.workspace.invariants]
    if invariant not in known:
        raise UsageError(f"--invariant {invariant}: no such invariant (known: {', '.join(known) or 'none'})")
    today = ctx.today
    try:
        expires = today + dt.timedelta(days=ctx.program.max_age_days)
    except OverflowError:
        # The calendar ends on 9999-12-31: no expiry date can be written, so there is nothing to print.
        raise UsageError(
            f"--today {today}: the latest allowed expiry, {ctx.program.max_age_days} days later, is past "
            "9999-12-31; open the exception on a real date"
        ) from None
    ident = next_id([w.id for w in ctx.workspace.waivers])
    return f"""  # Paste under `exceptions:` in data/exceptions.yaml (an empty `exceptions: []` becomes
  # `exceptions:` followed by this entry) and replace every TODO: until then
  # `gates check` reports the placeholders (DATA006) and the exception waives nothing.
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
{_covers(ctx, invariant)}    status: active
"""
