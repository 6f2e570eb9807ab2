"""`--changed-only BASE`: keep findings in files changed since BASE; program-wide rules still run."""

from __future__ import annotations

import subprocess
from pathlib import Path

from checks.engine import Report


class ChangesError(Exception):
    pass


def _git_changed(root: Path, base: str) -> set[str]:
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "diff", "--name-only", base, "--"], capture_output=True, text=True, timeout=120
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise ChangesError(f"git diff failed: {exc}") from exc
    if out.returncode != 0:
        first = (out.stderr.strip().splitlines() or ["unknown revision"])[0]
        raise ChangesError(f"--changed-only {base}: {first}")
    untracked = subprocess.run(
        ["git", "-C", str(root), "ls-files", "--others", "--exclude-standard"],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    return {p for p in (out.stdout + untracked).splitlines() if p}


def changed_files(root: Path, base: str) -> set[str]:
    return _git_changed(root, base)


def restrict_to_changed(report: Report, changed: set[str]) -> Report:
    sources = {s.id for s in report.ctx.program.sources}

    def keep(path: str) -> bool:
        head, sep, tail = path.partition(":")
        return (tail if sep and head in sources else path) in changed

    return Report(report.ctx, [f for f in report.findings if keep(f.path)], report.closure, report.rules)
