"""`--changed-only BASE`: keep findings in files changed since BASE; program-wide rules still run."""

from __future__ import annotations

from pathlib import Path

from checks.core.engine import Report
from checks.scan.trees import GitError, run_git


class ChangesError(Exception):
    pass


def changed_files(root: Path, base: str) -> set[str]:
    """Files changed since `base`, plus untracked files that git does not ignore."""
    try:
        changed = run_git(root, "diff", "--name-only", base, "--", timeout=120)
        untracked = run_git(root, "ls-files", "--others", "--exclude-standard", timeout=120)
    except GitError as exc:
        raise ChangesError(f"--changed-only {base}: {exc.detail}") from exc
    return {p for p in (changed + untracked).decode(errors="surrogateescape").splitlines() if p}


def restrict_to_changed(report: Report, changed: set[str]) -> Report:
    sources = {s.id for s in report.ctx.program.sources}

    def keep(path: str) -> bool:
        head, sep, tail = path.partition(":")
        return (tail if sep and head in sources else path) in changed

    return Report(report.ctx, [f for f in report.findings if keep(f.path)], report.closure, report.rules)
