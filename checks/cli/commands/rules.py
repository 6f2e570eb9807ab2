"""`gates rules [CODE|SLUG]`: the rule catalog from the one registry, or one rule explained."""

from __future__ import annotations

import argparse
import json
import sys

from checks.cli.args import EXIT_OK, UsageError, command_parser


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rules = command_parser(
        sub,
        "rules",
        "the rule catalog, or one rule explained",
        "List every rule, or explain one (statement, why, pass and fail examples), like `ruff rule`.",
        ("gates rules", "gates rules EXC001", "gates rules exception-expired --format json"),
        exit_codes="exit codes:\n  0  shown\n  2  no such rule",
    )
    rules.add_argument(
        "rule", nargs="?", metavar="CODE|SLUG", help="explain this rule (e.g. EXC001 or exception-expired)"
    )
    rules.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    rules.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from checks.rules import all_rules

    rules = all_rules()
    from checks.core.registry import FAMILIES

    if args.rule and args.rule.strip().upper() in FAMILIES:
        family = args.rule.strip().upper()
        rules = [r for r in rules if r.family == family]  # a family: its rules, listed like the catalog
        args.rule = None
    if args.rule:
        wanted = args.rule.strip()
        rule = next((r for r in rules if r.code == wanted.upper() or r.slug == wanted.lower()), None)
        if rule is None:
            import difflib

            names = [r.code for r in rules] + [r.slug for r in rules]
            close = difflib.get_close_matches(wanted, names, n=1)
            hint = f"; did you mean {close[0]}?" if close else "; see 'gates rules'"
            raise UsageError(f"no rule {wanted!r}{hint}")
        rules = [rule]
    if args.format == "json":
        body = [
            {"code": r.code, "rule": r.slug, "severity": r.severity.value, "summary": r.summary, "doc": r.doc}
            for r in rules
        ]
        sys.stdout.write(json.dumps(body if not args.rule else body[0], indent=2, ensure_ascii=False) + "\n")
    elif args.rule:
        r = rules[0]
        sys.stdout.write(f"{r.code} {r.slug} (default severity: {r.severity.value})\n\n{r.doc}\n")
    else:
        # No header: each line starts with its code, so `gates rules | grep ^EXC` keeps whole rows.
        code, slug = max(len(r.code) for r in rules), max(len(r.slug) for r in rules)
        for r in rules:
            sys.stdout.write(f"{r.code:<{code}}  {r.slug:<{slug}}  {r.severity.value:<7}  {r.summary}\n")
    return EXIT_OK
