"""DRIFT rules about the docs themselves: the files they name exist, they can be read, their includes match."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from checks.core.context import Context
from checks.core.findings import Problem, Severity
from checks.core.registry import rule
from checks.endpoints.doc_refs import file_target, resolve_file
from checks.endpoints.runbooks import program_host
from checks.rules.drift import _suppressed


@rule("DRIFT007", "doc-reference-missing", Severity.ERROR, needs=("drift",))
def doc_reference_missing(ctx: Context) -> Iterator[Problem]:
    """Files that an active doc links to or names must exist in the repository.

    Relative links resolve from the doc; a named path such as `data/program.yaml` is checked in the
    tracker, or in a present source whose tree holds its first folder. A source's doc resolves in that
    source's tree (as its record resolved it, when the source is recorded).

    Pass:
    ```markdown
    See [the sync runbook](sync-subscription.md) and `data/program.yaml`.
    ```
    Fail:
    ```markdown
    See [the sync runbook](sync-subscribe.md).
    ```
    """
    sources = {k: v for k, v in ctx.source_paths.items() if v is not None}
    scan = ctx.drift.runbooks
    for ref in scan.files:
        target = file_target(ref.target)
        if not target:
            continue
        done, note = _suppressed(ctx, "DRIFT007", ref.doc, ref.line)
        if done:
            continue
        # A doc read from a source names files of that source's tree; a tracker doc, the tracker's.
        # A doc replayed from a source's record carries the resolution made in that tree.
        head, sep, rel_doc = ref.doc.partition(":")
        own = sources.get(head) if sep else None
        root: Path | None = None
        if ref in scan.resolved:
            found, where = scan.resolved[ref], f"source {head!r}"
        else:
            root, doc, where = (own, rel_doc, f"source {head!r}") if own else (ctx.root, ref.doc, "the repository")
            found = resolve_file(root, doc, ref)
        if ref.kind == "link":
            if not found.inside:
                yield Problem(ref.doc, ref.line, ref.column, f"link {ref.target!r} points outside {where}{note}")
            elif not found.exists:
                yield Problem(
                    ref.doc, ref.line, ref.column, f"link {ref.target!r} points to a file that does not exist{note}"
                )
            continue
        # A named path belongs to the first tree that holds its first folder: this one, then the other sources.
        others = [(f"source {s!r}", r) for s, r in sources.items() if root is None or r.resolve() != root.resolve()]
        for label, base in [(where, None), *others]:
            if base is not None:
                found = resolve_file(base, rel_doc, ref)
            if found.folder:
                if not found.exists:
                    yield Problem(
                        ref.doc,
                        ref.line,
                        ref.column,
                        f"{target!r} does not exist in {label}; fix the path or remove it{note}",
                    )
                break


@rule("DRIFT008", "runbook-unreadable", Severity.ERROR, needs=("drift",))
def runbook_unreadable(ctx: Context) -> Iterator[Problem]:
    """Active runbooks must be UTF-8 text of a sane size, so their endpoints can be checked.

    Pass: a UTF-8 markdown file.
    Fail: a UTF-16 or Latin-1 file, or one over the size limit.
    """
    for doc, why in ctx.drift.runbooks.unreadable:
        yield Problem(doc, 1, 0, f"runbook {why}; save it as UTF-8 markdown so it can be checked")


@rule("DRIFT010", "runbook-include-unmatched", Severity.WARNING, needs=("drift",))
def runbook_include_unmatched(ctx: Context) -> Iterator[Problem]:
    """Every runbook include must select docs that were read: none matched, or its source is absent and unrecorded.

    A misspelled glob or a moved folder would otherwise drop runbooks from the check in silence.

    Pass: `openagents:docs/sync/**/*.md` with the source given and the folder present.
    Fail: `docs/runbook/**/*.md` when the folder is `docs/runbooks/`.
    """
    scan = ctx.drift.runbooks
    where = ctx.program.where
    line, col = where.at("runbooks", "include") if where.has("runbooks", "include") else where.at()
    for pattern in scan.empty:
        yield Problem(where.path, line, col, f"runbook include {pattern!r} matches no Markdown file; fix or remove it")
    for pattern, why in scan.unchecked:
        yield Problem(
            where.path,
            line,
            col,
            f"runbooks of {pattern!r} are unchecked: {why}; pass --source NAME=PATH",
        )
    for pattern, why in scan.refused:
        yield Problem(where.path, line, col, f"runbook include {pattern!r} {why}")


@rule("DRIFT012", "runbook-doubled-slash", Severity.ERROR, needs=("drift",))
def runbook_doubled_slash(ctx: Context) -> Iterator[Problem]:
    """An endpoint an active runbook names must not hold an empty path segment (`//`).

    Matching ignores empty segments, so `/api//v1/token` would otherwise pass as `/api/v1/token`,
    yet routers answer the doubled slash with 404 (or another route): the runbook has a typo that
    an operator will copy.

    Pass:
    ```console
    curl -X POST https://control.example/api/sync/token
    ```
    Fail:
    ```console
    curl -X POST https://control.example/api//sync/token
    ```
    """
    for ref in ctx.drift.runbooks.endpoints:
        if "//" not in ref.path:
            continue
        if ref.context not in ("command", "method-line") and not program_host(ref.host, ctx.program.endpoint_hosts):
            continue
        done, note = _suppressed(ctx, "DRIFT012", ref.doc, ref.line)
        if done:
            continue
        fixed = "/" + "/".join(part for part in ref.path.split("/") if part)
        shipped = " (which ships)" if ctx.drift.ships(fixed, ref.method) else ""
        yield Problem(
            ref.doc,
            ref.line,
            ref.column,
            f"runbook names {ref.path} with a doubled slash; write {fixed}{shipped}{note}",
        )
