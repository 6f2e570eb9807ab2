"""DRIFT rules about the docs themselves: the files they name exist, they can be read, their includes match."""

from __future__ import annotations

from collections.abc import Iterator

from checks.core.context import Context
from checks.core.findings import Problem, Severity
from checks.core.registry import rule
from checks.rules.drift import _suppressed


@rule("DRIFT007", "doc-reference-missing", Severity.ERROR, needs=("drift",))
def doc_reference_missing(ctx: Context) -> Iterator[Problem]:
    """Files that an active doc links to or names must exist in the repository.

    Relative links resolve from the doc; a named path such as `data/program.yaml` is checked in the
    tracker, or in a present source whose tree holds its first folder.

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
    for ref in ctx.drift.runbooks.files:
        target = ref.target.split("#", 1)[0].split("?", 1)[0]
        if not target:
            continue
        done, note = _suppressed(ctx, "DRIFT007", ref.doc, ref.line)
        if done:
            continue
        # A doc read from a source names files of that source's tree; a tracker doc, the tracker's.
        head, sep, rel_doc = ref.doc.partition(":")
        own = sources.get(head) if sep and head in sources else None
        root, doc, where = (own, rel_doc, f"source {head!r}") if own else (ctx.root, ref.doc, "the repository")
        root = root.resolve()
        if ref.kind == "link":
            resolved = (root / doc).parent.joinpath(target)
            try:
                resolved.resolve().relative_to(root)
            except (ValueError, OSError):
                yield Problem(ref.doc, ref.line, ref.column, f"link {ref.target!r} points outside {where}{note}")
                continue
            if not resolved.exists():
                yield Problem(
                    ref.doc, ref.line, ref.column, f"link {ref.target!r} points to a file that does not exist{note}"
                )
            continue
        first = target.split("/", 1)[0]
        candidates = [(root, where)] + [(r, f"source {s!r}") for s, r in sources.items() if r.resolve() != root]
        for base, label in candidates:
            if (base / first).is_dir():
                if not (base / target.rstrip("/")).exists():
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
    """Every runbook include must select docs that were read: none matched, or its source is absent.

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
