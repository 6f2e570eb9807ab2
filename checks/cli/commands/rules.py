"""`gates rules`: the rule catalog, from the one registry."""

from __future__ import annotations

import argparse
import json
import sys

from checks.cli.args import EXIT_OK


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rules = sub.add_parser("rules", help="the rule catalog")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from checks.rules import all_rules

    rules = all_rules()
    if args.format == "json":
        body = [
            {"code": r.code, "rule": r.slug, "severity": r.severity.value, "summary": r.summary, "doc": r.doc}
            for r in rules
        ]
        sys.stdout.write(json.dumps(body, indent=2, ensure_ascii=False) + "\n")
    else:
        width = max(len(r.slug) for r in rules)
        for r in rules:
            sys.stdout.write(f"{r.code}  {r.slug:<{width}}  {r.severity.value:<7}  {r.summary}\n")
    return EXIT_OK
