"""`gates status`: the closure summary as a readable table."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from checks import __version__
from checks.cli.args import EXIT_FINDINGS, EXIT_OK, add_common, command_parser
from checks.cli.table import table

if TYPE_CHECKING:
    from checks.core.engine import Report


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    status = command_parser(
        sub,
        "status",
        "closure summary: invariants and exceptions",
        "The closure verdict, each invariant's state and evidence, and each exception's days left.",
        ("gates status", "gates status --strict --source openagents=../openagents  # gate a release on closure"),
        exit_codes="exit codes:\n  0  shown (with --strict: and the program is closed)\n"
        "  1  with --strict: the program is not closed\n  2  could not run",
    )
    add_common(status)
    status.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    status.add_argument(
        "--strict",
        "--exit-code",
        action="store_true",
        dest="strict",
        help="exit 1 when the program is not closed (gate a release on it)",
    )
    status.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from checks.cli.session import load_context
    from checks.core.engine import run as run_rules
    from checks.rules import all_rules

    ctx = load_context(args)
    report = run_rules(ctx, all_rules())
    if args.format == "json":
        body = {
            "tool": {"name": "gates", "version": __version__},
            "today": ctx.today.isoformat(),
            "root": str(ctx.root),
            "summary": report.summary,
            "closure": report.closure.as_dict(),
            "sources": {s: state.as_dict() for s, state in ctx.source_states.items()},
        }
        sys.stdout.write(json.dumps(body, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(format_status(report))
    return EXIT_FINDINGS if args.strict and not report.closure.closed else EXIT_OK


def format_status(report: Report) -> str:
    from checks.reporters.text import one_line

    closure = report.closure
    program = report.ctx.program
    lines = [
        f"{one_line(program.title)} — as of {report.ctx.today.isoformat()}",
        closure.verdict,
        f"Closure: {closure.percent}% of invariants closed",
        "",
    ]
    from checks.records import recorded_notice

    notice = recorded_notice(report.ctx.source_states)
    if notice:
        lines[2:2] = [one_line(notice)]
    rows = []
    for i in closure.invariants:
        verifiable = [r for r in i.evidence if r.verifiable]
        rows.append(
            [
                i.id,
                i.status,
                i.posture,
                i.owner,
                f"{sum(r.verified for r in verifiable)}/{len(verifiable)}",
                i.reasons[0] if i.reasons else "",
            ]
        )
    # Every cell is data: a line break in an owner or a reason must not start a line of its own.
    rows = [[one_line(cell) for cell in row] for row in rows]
    lines += table(["invariant", "status", "posture", "owner", "evidence", "why"], rows, rule=True)
    lines.append("")
    rows = []
    for s in closure.exceptions:
        w = s.waiver
        rows.append(
            [
                w.id,
                s.state,
                w.owner,
                str(w.expires or "?"),
                "" if s.days_left is None or not w.active else str(s.days_left),
                "" if s.days_since_renewal is None or not w.active else str(s.days_since_renewal),
                ", ".join(w.invariants),
            ]
        )
    rows = [[one_line(cell) for cell in row] for row in rows]
    if rows:
        lines += table(
            ["exception", "state", "owner", "expires", "days left", "days since renewal", "invariants"], rows, rule=True
        )
    elif not report.ctx.workspace.docs["exceptions"].readable:
        # An unreadable file is not an empty one: say so, never "No exceptions."
        line = next((p.line for p in report.ctx.workspace.docs["exceptions"].problems if p.code == "DATA001"), 1)
        lines.append(f"Exceptions unknown: data/exceptions.yaml cannot be read (DATA001 at line {line}).")
    else:
        lines.append("No exceptions.")
    summary = report.summary
    lines += [
        "",
        f"Findings: {summary['error']} error, {summary['warning']} warning, {summary['info']} info "
        "(run 'gates check' for details)",
    ]
    return "\n".join(lines) + "\n"
