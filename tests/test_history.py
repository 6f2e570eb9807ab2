"""History and burndown over generated git repositories with a known past."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, Runner


def commit(repo: Path, day: str, message: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
        "GIT_AUTHOR_DATE": f"{day}T12:00:00Z",
        "GIT_COMMITTER_DATE": f"{day}T12:00:00Z",
    }
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-q", "--allow-empty", "-m", message], cwd=repo, check=True, env=env)
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo, check=True, capture_output=True, text=True
    ).stdout.strip()


EXC = """exceptions:
  - id: EXC-001
    title: Alias route
    invariants: [INV-01]
    blocker: b
    owner: "@control"
    opened: 2026-03-03
    expires: {expires}
    deletion_issue: https://example.invalid/issues/1
    blast_radius: r
    rollback: [x]
{renewals}    covers: {{endpoints: [{{family: sync-token, path: /api/sync/token}}]}}
    status: {status}
"""


@pytest.fixture
def tracker(tmp_path: Path) -> tuple[Path, list[str]]:
    repo = tmp_path / "tracker"
    shutil.copytree(FIXTURES / "program", repo)
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    exc = repo / "data" / "exceptions.yaml"
    shas = []
    exc.write_text("exceptions: []\n")
    shas.append(commit(repo, "2026-03-01", "start the program"))
    exc.write_text(EXC.format(expires="2026-03-12", renewals="", status="active"))
    shas.append(commit(repo, "2026-03-03", "open EXC-001"))
    (repo / "docs" / "runbooks" / "notes.md").write_text("# Notes\n")
    commit(repo, "2026-03-05", "docs only: not a data change")
    renewal = "    renewals:\n      - {date: 2026-03-10, evidence: 'https://example.invalid/r', approver: '@lead'}\n"
    exc.write_text(EXC.format(expires="2026-03-20", renewals=renewal, status="active"))
    shas.append(commit(repo, "2026-03-10", "renew EXC-001"))
    prog = repo / "data" / "program.yaml"
    prog.write_text(prog.read_text().replace("title: Fixture program", "title: Fixture program (renamed)"))
    shas.append(commit(repo, "2026-03-25", "unrelated data change after expiry"))
    retired = EXC.format(expires="2026-03-20", renewals=renewal, status="retired")
    exc.write_text(retired + "    retired: {date: 2026-03-28, reason: alias deleted}\n")
    shas.append(commit(repo, "2026-03-28", "retire EXC-001"))
    return repo, shas


def test_tracker_history_series(tracker: tuple[Path, list[str]], gates: Runner) -> None:
    repo, shas = tracker
    code, out, err = gates("history", "--root", repo, "--format", "json")
    assert code == 0, err
    points = json.loads(out)["history"]
    assert [p["commit"] for p in points] == shas
    assert [p["date"] for p in points] == ["2026-03-01", "2026-03-03", "2026-03-10", "2026-03-25", "2026-03-28"]
    # A past commit is read from its data files alone: no closure number is stated for it.
    assert [p["closure_evaluated"] for p in points] == [False] * 5
    assert [p["percent"] for p in points] == [None] * 5
    assert [p["closed"] for p in points] == [None] * 5
    assert [p["active_exceptions"] for p in points] == [[], ["EXC-001"], ["EXC-001"], ["EXC-001"], []]
    assert [p["exception_states"].get("EXC-001") for p in points] == [None, "active", "active", "expired", "retired"]
    assert all("invariants" not in p and "statuses" not in p for p in points)
    assert [p["codes"].get("EXC001", 0) for p in points] == [0, 0, 0, 1, 0]
    # Cached per commit: a second run reads the cache and gives the same bytes.
    again = gates("history", "--root", repo, "--format", "json")[1]
    assert again == out
    from checks.load.cache_dir import cache_dir

    assert len(list((cache_dir(repo) / "history" / "tracker").glob("*.json"))) == 5
    # --since/--until and --max-points
    code, out, _ = gates(
        "history", "--root", repo, "--format", "json", "--since", "2026-03-02", "--until", "2026-03-26"
    )
    assert [p["date"] for p in json.loads(out)["history"]] == ["2026-03-03", "2026-03-10", "2026-03-25"]
    code, out, _ = gates("history", "--root", repo, "--format", "json", "--max-points", "2")
    assert [p["date"] for p in json.loads(out)["history"]] == ["2026-03-01", "2026-03-28"]
    code, out, _ = gates("history", "--root", repo, "--format", "csv")
    assert out.splitlines()[0] == "series,date,commit,name,value"
    assert f"closure_percent,2026-03-25,{shas[3]},," in out.splitlines()
    code, out, _ = gates("history", "--root", repo)
    assert out.splitlines()[0].split()[2] == "closure"
    assert all(" n/e " in line for line in out.splitlines()[1:6])


@pytest.fixture
def product_repo(tmp_path: Path) -> tuple[Path, dict[int, str]]:
    """30 commits; legacy symbols appear and disappear at known commits."""
    repo = tmp_path / "product-repo"
    (repo / "apps" / "desktop").mkdir(parents=True)
    (repo / "apps" / "runtime").mkdir(parents=True)
    (repo / "docs" / "archive").mkdir(parents=True)
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    desktop = repo / "apps" / "desktop" / "sync.ts"
    runtime = repo / "apps" / "runtime" / "lib.rs"
    shas = {}
    for i in range(30):
        lines = [f"// revision {i}"]
        if 5 <= i < 25:
            lines.append('send("phx_join");')
        if 12 <= i < 25:
            lines.append('send("phx_reply");')
        desktop.write_text("\n".join(lines) + "\n")
        runtime.write_text("let p = SpacetimePublisher::in_memory();\n" if 8 <= i < 20 else "let p = connect();\n")
        (repo / "docs" / "archive" / "old.md").write_text("phx_join is archived\n")  # excluded path
        shas[i] = commit(repo, f"2026-04-{i + 1:02d}", f"revision {i}")
    return repo, shas


def test_burndown_finds_every_change(program: Path, product_repo: tuple[Path, dict[int, str]], gates: Runner) -> None:
    repo, shas = product_repo
    code, out, err = gates(
        "history", "--root", program, "--source", f"product={repo}", "--max-points", "4", "--format", "json"
    )
    assert code == 0, err
    series = json.loads(out)["burndown"]["product"]
    by_commit = {p["commit"]: p for p in series}
    index = {sha: i for i, sha in shas.items()}
    found = sorted((index[p["commit"]], p["found_by"]) for p in series)
    samples = [i for i, how in found if how == "sample"]
    assert samples == [0, 10, 19, 29]
    assert [i for i, how in found if how == "change"] == [5, 8, 12, 20, 25]
    expect = {
        0: (0, 0),
        5: (1, 0),
        8: (1, 1),
        10: (1, 1),
        12: (2, 1),
        19: (2, 1),
        20: (2, 0),
        25: (0, 0),
        29: (0, 0),
    }
    for i, (phx, memory) in expect.items():
        counts = by_commit[shas[i]]["counts"]
        assert (counts["phoenix-frame-protocol"], counts["runtime-in-memory-publisher"]) == (phx, memory), i


def test_history_errors_are_one_line(tmp_path: Path, gates: Runner) -> None:
    root = tmp_path / "nogit"
    shutil.copytree(FIXTURES / "program", root)
    code, _, err = gates("history", "--root", root)
    assert code == 2 and err.startswith("gates: error: git log") and len(err.strip().splitlines()) == 1
    code, _, err = gates("history", "--root", root, "--max-points", "0")
    assert code == 2


def test_dashboard_shows_history(
    tracker: tuple[Path, list[str]], product_repo: tuple[Path, dict[int, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    import re

    from tests.sitekit import build_site, prepare_site

    repo, _ = tracker
    product, _ = product_repo
    prepare_site(repo)
    monkeypatch.setenv("GATES_SOURCES", f"product={product}")
    proc = build_site(repo, repo / "site", "2026-03-28")
    assert proc.returncode == 0, proc.stderr
    page = (repo / "site" / "history" / "index.html").read_text()
    rows = re.findall(r"<tr><td>(2026-03-\d\d)</td><td><code>[0-9a-f]{10}</code></td><td>([^<]+)</td>", page)
    assert rows == [
        ("2026-03-28", "not evaluated"),
        ("2026-03-25", "not evaluated"),
        ("2026-03-10", "not evaluated"),
        ("2026-03-03", "not evaluated"),
        ("2026-03-01", "not evaluated"),
    ]
    assert "no closure percentage is stated for them" in page
    assert page.count("<polyline") == 2 + 4  # exceptions, errors; one line per guard (four guards)
    assert 'aria-label="Guard hits over time in product"' in page
    home = (repo / "site" / "index.html").read_text()
    assert 'class="gates-spark"' not in home  # no closure series to draw


def test_counts_from_changed_files_equal_whole_tree_counts(
    program: Path, product_repo: tuple[Path, dict[int, str]], tmp_path: Path
) -> None:
    """Each commit is counted once, most from the nearest counted commit and the files that differ:
    the counts must be those of a whole-tree count at every commit."""
    from checks.history import burndown, count_hits
    from checks.history.counting import compiled_guards
    from checks.model.workspace import load_workspace

    repo, shas = product_repo
    ws = load_workspace(program)
    series = burndown(repo, "product", ws.program, None, None, 4, tmp_path / "cache-root")
    compiled = compiled_guards(ws.program, "product")
    assert len(series) == 9
    for point in series:
        assert point["counts"] == count_hits(repo, "product", point["commit"], ws.program, compiled)


def test_burndown_reads_a_bare_repository_with_a_missing_blob(tmp_path: Path, gates: Runner) -> None:
    """Mirrors and partial clones lack some blobs: the burndown still counts what it can read."""
    src = tmp_path / "src"
    (src / "apps").mkdir(parents=True)
    subprocess.run(["git", "init", "-q"], cwd=src, check=True)
    (src / "apps" / "a.rs").write_text('const A: &str = "phx_join";\n')
    (src / "apps" / "big.rs").write_text('const C: &str = "phx_join";\n')
    commit(src, "2026-02-10", "one")
    (src / "apps" / "a.rs").write_text('const A: &str = "phx_join";\nconst B: &str = "phx_reply";\n')
    commit(src, "2026-02-11", "two")
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    subprocess.run(["git", "-C", str(src), "push", "-q", str(bare), "HEAD:refs/heads/main"], check=True)
    subprocess.run(["git", "--git-dir", str(bare), "symbolic-ref", "HEAD", "refs/heads/main"], check=True)
    blob = subprocess.run(
        ["git", "--git-dir", str(bare), "rev-parse", "HEAD:apps/big.rs"], capture_output=True, text=True, check=True
    ).stdout.strip()
    (bare / "objects" / blob[:2] / blob[2:]).unlink()  # loose objects after a push: delete one
    program = tmp_path / "program"
    shutil.copytree(FIXTURES / "program", program)
    code, out, err = gates("history", "--root", program, "--source", f"product={bare}", "--format", "json")
    assert code == 0, err
    series = json.loads(out)["burndown"]["product"]
    assert [p["counts"]["phoenix-frame-protocol"] for p in series] == [1, 2]
    # The unread blob is named once (not once per commit), and nothing counted without it is cached.
    warned = [line for line in err.splitlines() if "apps/big.rs" in line]
    assert warned == [
        f"gates: warning: product: blob {blob[:12]} (apps/big.rs) is not in the repository's object store "
        "(a mirror or partial clone); its lines were not counted"
    ]
    code, _, err = gates("history", "--root", program, "--source", f"product={bare}", "--format", "json")
    assert code == 0 and "apps/big.rs" in err
