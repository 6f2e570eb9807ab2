"""The history table agrees with today's check: today's row is the full check, the commits' rows say they are data-only."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from tests.conftest import FIXTURES, Runner
from tests.sitekit import build_site, prepare_site


def _commit(repo: Path, day: str) -> None:
    when = f"{day}T12:00:00Z"
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t"}
    env |= {"GIT_COMMITTER_EMAIL": "t@t", "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-q", "-m", day], cwd=repo, check=True, env=env)


def test_history_rows_agree_with_todays_check(tmp_path: Path, gates: Runner) -> None:
    """A runbook error (drift) is in today's full check, not in the data files: the table shows both, labelled."""
    repo = tmp_path / "tracker"
    shutil.copytree(FIXTURES / "program", repo)
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    _commit(repo, "2026-03-05")
    runbook = repo / "docs" / "runbooks" / "tokens.md"
    runbook.write_text(runbook.read_text() + "\nRotate with `POST /api/spacetime/tokens/rotate`.\n")
    _commit(repo, "2026-03-09")  # a docs-only change: no new history point
    prepare_site(repo)

    code, out, _ = gates("check", "--root", repo, "--today", "2026-03-10", "--offline", "--format", "json")
    today = json.loads(out)
    assert code == 1 and today["summary"]["error"] == 1
    assert [f["code"] for f in today["findings"] if f["severity"] == "error"] == ["DRIFT001"]

    proc = build_site(repo, repo / "site", "2026-03-10")
    assert proc.returncode == 0, proc.stderr
    page = (repo / "site" / "history" / "index.html").read_text()
    table = page.split('<table class="gates-table gates-history">', 1)[1].split("</table>", 1)[0]
    headers = re.findall(r"<th>(.*?)</th>", table)
    rows = [re.findall(r"<td>(.*?)</td>", r) for r in re.findall(r"<tr><td>.*?</tr>", table)]
    assert headers == ["date", "commit", "closed", "active exceptions", "errors", "evaluated"]
    first, commit = rows
    # Today's row is the check's own count, with the check's closure.
    assert first[0] == "<strong>2026-03-10</strong>" and first[2] == "50%"
    assert first[4] == f"<strong>{today['summary']['error']}</strong>"
    assert first[5] == "<strong>today's full check</strong>"
    # The commit's row is its data files alone, as of its date: the runbook's error is not among them.
    assert commit[0] == "2026-03-05" and commit[2] == "not evaluated" and commit[4] == "0"
    assert commit[5] == "data files at that commit"
    text = re.sub(r"<[^>]+>", "", page)
    assert "Today (2026-03-10) the full check" in text and "reports 1 error (DRIFT001)" in text
    assert "their errors are data errors at that commit" in text
    assert "data errors" in re.findall(r'class="gates-legend"[^>]*>.*?</g>', page, re.S)[-1]
