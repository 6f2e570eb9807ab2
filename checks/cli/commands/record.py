"""`gates record`: evaluate one source at its commit and write the record checks read when it is absent."""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from checks.cli.args import EXIT_OK, UsageError, command_parser, date_arg, source_arg

_FULL_SHA = re.compile(r"^[0-9a-f]{40}$")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    record = command_parser(
        sub,
        "record",
        "evaluate a source at its commit and write its record for fresh machines",
        "Evaluate a source at one commit (its guard hits, endpoints, evidence, runbook mentions and, from its\n"
        "history, the legacy burndown) and write data/records/NAME.json, so a check without the source shows\n"
        "the same verdict. The commit must be the source's pin.",
        (
            "gates record --source openagents=../openagents",
            "gates record --source openagents=/tmp/export --commit 8a612126396bee6cb3fb905529e5962978aea89a",
            "gates record --source openagents=. --since 2026-02-01 --until 2026-02-28",
        ),
        exit_codes="exit codes:\n  0  written\n  2  could not run (not the pinned commit, uncommitted changes)",
    )
    record.add_argument(
        "--root", type=Path, help="tracker root (default: nearest folder upward with data/program.yaml)"
    )
    record.add_argument("--today", type=date_arg, help="the record's date (default: today in the program timezone)")
    record.add_argument(
        "--source",
        type=source_arg,
        action="append",
        default=[],
        metavar="NAME=DIR",
        help="the source and its tree: a git work tree, a bare repository, or an exported tree with --commit",
    )
    record.add_argument("--commit", metavar="SHA", help="the commit DIR holds (required for a tree without .git)")
    record.add_argument(
        "--history",
        type=Path,
        metavar="GITDIR",
        help="a git repository (work tree or bare) holding the commit, for the burndown of an exported tree",
    )
    record.add_argument("--since", type=date_arg, help="first day of the burndown (YYYY-MM-DD)")
    record.add_argument("--until", type=date_arg, help="last day of the burndown (YYYY-MM-DD)")
    record.add_argument("--max-points", type=int, default=50, help="commits sampled for the burndown (default 50)")
    record.set_defaults(handler=run)


def _git(root: Path, *args: str) -> str:
    from checks.scan.trees import GitError, run_git

    try:
        return run_git(root, *args).decode(errors="replace").strip()
    except GitError as exc:
        raise UsageError(f"{root}: {exc}") from exc


def _is_bare(root: Path) -> bool:
    from checks.history import is_repository

    return is_repository(root) and _git(root, "rev-parse", "--is-bare-repository") == "true"


def _resolve(repo: Path, rev: str) -> str:
    from checks.scan.trees import GitError, run_git

    try:
        return run_git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").decode().strip()
    except GitError:
        raise UsageError(f"{repo} holds no commit {rev}") from None


def _export(repo: Path, commit: str, into: Path) -> None:
    """The commit's tree from a bare repository, written out as plain files (nothing is checked out)."""
    import tarfile

    from checks.scan.trees import run_git

    def safe(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo | None:
        try:
            return tarfile.data_filter(member, path)
        except tarfile.FilterError:
            return None  # a link leaving the tree: the scan would skip it anyway

    with tarfile.open(fileobj=io.BytesIO(run_git(repo, "archive", "--format=tar", commit)), mode="r:") as tar:
        tar.extractall(into, filter=safe)  # noqa: S202 - every member passes the "data" filter or is skipped


@contextlib.contextmanager
def _locate(directory: Path, given: str | None, history: Path | None) -> Iterator[tuple[str, Path, Path | None]]:
    """(commit, tree to evaluate, git repository for the burndown or None) for DIR and the flags."""
    from checks.history import is_repository
    from checks.scan.trees import GitError, is_git_tree

    if history is not None and not is_repository(history):
        raise UsageError(f"--history {history}: not a git repository")
    if is_git_tree(directory):
        commit = _resolve(directory, "HEAD")
        if given and _resolve(directory, given) != commit:
            raise UsageError(f"{directory} is at {commit}, not at --commit {given}; check out that commit first")
        if _git(directory, "status", "--porcelain", "--untracked-files=normal"):
            raise UsageError(f"{directory} has uncommitted changes; a record must be of a commit as it is")
        yield commit, directory, history or directory
        return
    if _is_bare(directory):
        commit = _resolve(directory, given or "HEAD")
        import tempfile  # only `record` needs it, and every command's module loads with the parser

        with tempfile.TemporaryDirectory(prefix="gates-record-") as tmp:
            try:
                _export(directory, commit, Path(tmp))
            except GitError as exc:
                raise UsageError(
                    f"{directory}: cannot export {commit[:12]} ({exc.detail}); a partial clone may lack some "
                    "files: record from a work tree or an export with --commit"
                ) from exc
            yield commit, Path(tmp).resolve(), history or directory
        return
    if not given:
        raise UsageError(f"{directory} is not a git repository: give the commit it holds with --commit SHA")
    if not _FULL_SHA.match(given):
        raise UsageError(f"--commit {given}: give the full 40-hex commit id")
    if history is not None:
        _resolve(history, given)
    yield given, directory, history


def run(args: argparse.Namespace) -> int:
    from checks.cli.session import load_context
    from checks.core.context import Context, Options
    from checks.endpoints.catalog import build_catalog
    from checks.evidence.verify import verify_evidence
    from checks.history import burndown, describe_missing
    from checks.records import build_record, dump_record, record_target, runbooks_body, write_record
    from checks.scan.guards import scan_source
    from checks.scan.trees import GitError

    if len(args.source) != 1:
        raise UsageError("give exactly one --source NAME=DIR")
    if args.max_points < 1:
        raise UsageError("--max-points must be at least 1")
    ctx = load_context(args)
    name, raw = args.source[0]
    source = ctx.program.source(name)
    if source is None:
        raise UsageError(f"--source {name}: no such source in data/program.yaml")
    directory = Path(raw).expanduser().resolve()
    if not directory.is_dir():
        raise UsageError(f"--source {name}: {raw} is not a folder")
    target = record_target(ctx.root, source.record_path)
    if target is None:
        raise UsageError(f"source {name}: record path {source.record_path!r} must be relative and inside the tracker")
    program = ctx.program
    if _is_bare(directory) and source.pin:
        wanted = _resolve(directory, args.commit or "HEAD")
        if wanted != source.pin:
            raise UsageError(
                f"source {name!r} is pinned to {source.pin} in data/program.yaml, but {raw} is at {wanted}; "
                "record the pinned commit (--commit), or move the pin first"
            )
    history_dir = args.history.resolve() if args.history else None
    with _locate(directory, args.commit, history_dir) as (commit, tree, repo):
        if source.pin and source.pin != commit:
            raise UsageError(
                f"source {name!r} is pinned to {source.pin} in data/program.yaml, but {raw} is at {commit}; "
                "record the pinned commit, or move the pin first"
            )
        live = Context(ctx.workspace, Options(today=ctx.today, offline=True, sources={name: str(tree)}))
        scan = scan_source(name, tree, program.guards, program)
        catalog = build_catalog(live.scope, use_snapshot=False)
        evidence = verify_evidence(live.scope)
        # The source's runbooks, scanned with the endpoint prefixes a live check would use.
        prefixes = program.endpoint_prefixes or live.drift.prefixes
        runbooks = runbooks_body(program, name, tree, prefixes)
        burn = None
        if repo is not None:
            missing: set[tuple[str, str]] = set()
            try:
                points = burndown(
                    repo,
                    name,
                    program,
                    args.since,
                    args.until,
                    args.max_points,
                    ctx.root,
                    rev=commit,
                    keep=tuple(m.commit for m in source.milestones),
                    missing=missing,
                )
            except GitError as exc:
                raise UsageError(str(exc)) from exc
            for line in describe_missing(name, missing):
                print(f"gates: {line}", file=sys.stderr)
            burn = {
                "since": args.since.isoformat() if args.since else None,
                "until": args.until.isoformat() if args.until else None,
                "max_points": args.max_points,
                "points": points,
            }
        adr = None
        adr_source, adr_path = program.adr_location
        if adr_source == name:
            from checks.load.adr import adr_facts, read_adr

            text, _why = read_adr(tree, adr_path)
            adr = (adr_path, adr_facts(text)) if text is not None else None
        body = build_record(
            program, ctx.workspace.invariants, name, commit, ctx.today, scan, catalog, evidence, burn, runbooks, adr
        )
    try:
        write_record(ctx.root, source.record_path, dump_record(body))
    except OSError as exc:
        raise UsageError(f"cannot write {source.record_path}: {exc.strerror or exc}") from exc
    endpoints = sum(len(s["endpoints"]) for s in body["endpoints"].values())
    print(
        f"gates: wrote {source.record_path}: {name}@{commit[:7]} on {body['recorded']}: "
        f"{len(body['hits'])} guard hits ({len(body['suppressed'])} suppressed), "
        f"{endpoints} endpoints in {len(body['endpoints'])} services, {len(body['evidence'])} evidence results, "
        + (f"{len(runbooks['docs'])} runbooks, " if runbooks else "")
        + (f"{len(burn['points'])} burndown points" if burn else "no burndown (no git history given)"),
        file=sys.stderr,
    )
    return EXIT_OK
