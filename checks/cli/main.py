"""The `gates` entry point: build the parser from the command modules, dispatch, apply the exit policy.

Exit codes: 0 clean, 1 error findings (warnings too under --strict), 2 the command could not run
(one line on stderr, never a traceback unless GATES_DEBUG is set).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from checks import __version__
from checks.cli.args import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, Parser, UsageError
from checks.cli.commands import check, endpoints, exception, history, record, rules, status, validate

__all__ = ["EXIT_FINDINGS", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]

# In the order `gates --help` lists them.
COMMANDS = (check, validate, history, record, status, rules, endpoints, exception)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="gates", description="Track a migration program to auditable closure.")
    parser.add_argument("--version", action="version", version=f"gates {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for command in COMMANDS:
        command.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        result: int = args.handler(args)
        return result
    except UsageError as exc:
        print(f"gates: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("gates: interrupted", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        if os.environ.get("GATES_DEBUG"):
            import traceback  # only here: it is a noticeable part of start-up

            traceback.print_exc()
        print(f"gates: internal error: {type(exc).__name__}: {exc} (set GATES_DEBUG=1 for details)", file=sys.stderr)
        return EXIT_USAGE
