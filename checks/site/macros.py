"""mkdocs-macros module: exposes the checker's model and report to the dashboard pages.

The report is computed once per build (offline: the build never touches the network) and cached
by the data files' modification times, so the page hook and the macros share one computation.
Templates only place what the report already holds.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from typing import Any

from checks.core.context import Context, Options
from checks.core.engine import Report, run
from checks.load.dates import parse_date
from checks.load.workspace import DATA_FILES
from checks.model.workspace import load_workspace
from checks.rules import all_rules
from checks.scan.trees import head_commit
from checks.site.dashboard import MACROS, Dashboard

_cache: dict[tuple[str, tuple[float, ...], str, str], tuple[Report, str]] = {}


def _mtimes(root: Path) -> tuple[float, ...]:
    out = []
    for rel in (*DATA_FILES.values(), "data/endpoints.snapshot.json"):
        try:
            out.append((root / rel).stat().st_mtime)
        except OSError:
            out.append(0.0)
    records = root / "data" / "records"
    out.append(max((p.stat().st_mtime for p in records.rglob("*.json")), default=0.0) if records.is_dir() else 0.0)
    docs = root / "docs"
    out.append(max((p.stat().st_mtime for p in docs.rglob("*.md")), default=0.0) if docs.is_dir() else 0.0)
    return tuple(out)


def build_options() -> Options:
    """Build-time options from the environment: GATES_TODAY=YYYY-MM-DD, GATES_SOURCES=name=path,..."""
    today = parse_date(os.environ.get("GATES_TODAY", ""))
    sources = dict(item.split("=", 1) for item in os.environ.get("GATES_SOURCES", "").split(",") if "=" in item)
    return Options(today=today, offline=True, sources=sources)


def report_for(root: Path) -> tuple[Report, str]:
    root = root.resolve()
    key = (str(root), _mtimes(root), os.environ.get("GATES_TODAY", ""), os.environ.get("GATES_SOURCES", ""))
    if key not in _cache:
        _cache.clear()
        ctx = Context(load_workspace(root), build_options())
        _cache[key] = (run(ctx, all_rules()), head_commit(root, "data"))
    return _cache[key]


def build_report(root: Path) -> tuple[Report, str]:
    """The report this build made (at on_config, by the macros or the hooks), without looking at the tree again.

    Page hooks run once per page: re-reading every data and doc file's time for each (to know whether
    the cached report is current) cost more than the pages themselves at scale.
    """
    root = root.resolve()
    env = (str(root), os.environ.get("GATES_TODAY", ""), os.environ.get("GATES_SOURCES", ""))
    for (path, _mtimes_key, today, sources), value in _cache.items():
        if (path, today, sources) == env:
            return value
    return report_for(root)


def history_for(root: Path, report: Report) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """Closure over the tracker's git history and the burndown: live for sources given to the build, else recorded.

    Per-commit results are cached on disk, so rebuilds only evaluate new commits."""
    from checks.history import burndown, is_repository, tracker_history

    tracked = is_repository(root)
    points = tracker_history(root, None, None, 50) if tracked else []
    burn = {}
    for source_id, state in report.ctx.source_states.items():
        path = report.ctx.source_paths.get(source_id)
        if source_id in report.ctx.options.sources and path is not None and tracked and is_repository(path):
            keep = tuple(m.commit for m in state.source.milestones)
            burn[source_id] = burndown(path, source_id, report.ctx.program, None, None, 50, root, keep=keep)
        elif state.record is not None and state.record.burndown:
            burn[source_id] = state.record.burndown
    return points, burn


def define_env(env: Any) -> None:
    root = Path(env.project_dir)
    report, commit = report_for(root)
    history: list[tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]] = []

    def dashboard() -> Dashboard:
        page = getattr(env, "page", None)
        url = getattr(page, "url", "") or ""
        if not history:
            history.append(history_for(root, report))
        points, burn = history[0]
        return Dashboard(report, commit, "../" * url.count("/"), points, burn)

    env.variables["gates_program"] = report.ctx.program
    env.variables["gates_report"] = report.as_dict()
    env.conf["extra"]["gates_stamp"] = Dashboard(report, commit).stamp()
    for name in MACROS:
        env.macro(_bind(dashboard, name), name)


# A macro's HTML block is finished: Markdown would only parse it again (at scale, most of a build's time).
# The page gets a placeholder paragraph instead, and the hook puts the HTML back after Markdown ran.
_BLOCKS: dict[str, str] = {}
_NONCE = secrets.token_hex(8)  # per process: a page cannot forge a placeholder
_PLACEHOLDER = re.compile(r"(<p>)?(gates-block-" + _NONCE + r"-[0-9]+)(</p>)?")


def html_block(html: str) -> str:
    """A placeholder paragraph for a finished HTML block; `restore_blocks` puts the HTML back after Markdown."""
    token = f"gates-block-{_NONCE}-{len(_BLOCKS)}"
    _BLOCKS[token] = html
    return f"\n\n{token}\n\n"


def _bind(dashboard: Any, name: str) -> Any:
    def call(*args: Any) -> str:
        html = str(getattr(dashboard(), name)(*args))
        if not html.startswith('<div class="gates">'):
            return html  # Markdown (the rule catalog's docstrings): it is meant to be converted
        return html_block(html)

    call.__name__ = name
    return call


def restore_blocks(html: str) -> str:
    """Put each macro's HTML back in place of its placeholder paragraph."""
    if "gates-block-" not in html:
        return html
    return _PLACEHOLDER.sub(lambda m: _BLOCKS.pop(m.group(2), m.group(0)), html)
