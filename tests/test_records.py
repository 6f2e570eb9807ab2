"""Recorded source evaluations: `gates record` writes one, and a run without the source reads it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Runner

TODAY = "2026-03-13"
RECORD = Path("data") / "records" / "product.json"
# Evidence in the product tree: a path that exists, a test that is defined, a test that is not.
EVIDENCE = """      - {id: INV-03-E3, class: guard-checks, kind: path, source: product, ref: apps/runtime/src/lib.rs}
      - {id: INV-03-E4, class: guard-checks, kind: test, source: product, ref: apps/runtime/src/publisher.rs::rejects_in_memory}
      - {id: INV-03-E5, class: guard-checks, kind: test, source: product, ref: apps/runtime/src/publisher.rs::gone}
"""


def _commit(repo: Path, day: str, message: str) -> str:
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
    return _head(repo)


def _head(repo: Path) -> str:
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo, check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture
def setup(program: Path, product: Path) -> tuple[Path, Path, list[str]]:
    """The fixture program with evidence in the product, and the product as a git repository of three commits."""
    invariants = program / "data" / "invariants.yaml"
    text = invariants.read_text()
    anchor = "      - {id: INV-03-E2"
    invariants.write_text(text.replace(anchor, EVIDENCE + anchor))
    runtime = product / "apps" / "runtime" / "src" / "publisher.rs"
    subprocess.run(["git", "init", "-q"], cwd=product, check=True)
    runtime.write_text("#[test]\nfn rejects_in_memory() {}\n")
    lib = product / "apps" / "runtime" / "src" / "lib.rs"
    body = lib.read_text()
    lib.write_text(body + "// SpacetimePublisher::in_memory() once more\n")
    shas = [_commit(product, "2026-02-01", "start")]
    lib.write_text(body)
    shas.append(_commit(product, "2026-02-10", "converge: one in-memory publisher fewer"))
    shas.append(_commit(product, "2026-02-20", "later"))
    return program, product, shas


def _record(gates: Runner, program: Path, source: str, *extra: str | Path) -> tuple[int, str, str]:
    return gates("record", "--root", program, "--source", f"product={source}", "--today", TODAY, *extra)


def _check(gates: Runner, program: Path, *extra: str | Path) -> dict:
    code, out, err = gates("check", "--root", program, "--today", TODAY, "--offline", "--format", "json", *extra)
    assert code in (0, 1), err
    return json.loads(out)


def _guards(report: dict) -> list[tuple]:
    return [
        (f["code"], f["path"], f["line"], f["column"], f["message"])
        for f in report["findings"]
        if f["code"].startswith("GUARD")
    ]


def _evidence(report: dict) -> dict[str, str]:
    return {e["id"]: e["status"] for i in report["closure"]["invariants"] for e in i["evidence"]["items"]}


def test_a_record_stands_in_for_the_absent_source(setup: tuple[Path, Path, list[str]], gates: Runner) -> None:
    program, product, shas = setup
    code, _, err = _record(gates, program, product)
    assert code == 0, err
    assert err.startswith("gates: wrote data/records/product.json: product@") and len(err.strip().splitlines()) == 1
    live = _check(gates, program, "--source", f"product={product}")
    recorded = _check(gates, program)
    assert _guards(recorded) == _guards(live) and any(f[0] == "GUARD001" for f in _guards(live))
    assert recorded["closure"]["percent"] == live["closure"]["percent"]
    assert [(i["id"], i["status"]) for i in recorded["closure"]["invariants"]] == [
        (i["id"], i["status"]) for i in live["closure"]["invariants"]
    ]
    assert recorded["closure"]["closed"] == live["closure"]["closed"]
    assert _evidence(recorded) == _evidence(live)
    assert _evidence(recorded)["INV-03-E3"] == "verified" and _evidence(recorded)["INV-03-E5"] == "missing"
    assert recorded["catalog"]["control"]["from"] == "record"
    assert recorded["catalog"]["control"]["endpoints"] == live["catalog"]["control"]["endpoints"]
    codes = {f["code"] for f in recorded["findings"]}
    assert {"GUARD003", "EVID005", "DATA007", "DATA008", "DATA009"}.isdisjoint(codes)
    assert {f["code"] for f in recorded["findings"]} == {f["code"] for f in live["findings"]}
    # Without the record the same run reports the source as not checked.
    (program / RECORD).unlink()
    absent = _check(gates, program)
    assert "GUARD003" in {f["code"] for f in absent["findings"]}
    assert _evidence(absent)["INV-03-E3"] == "unchecked"


def test_text_says_in_one_line_which_sources_are_recorded(setup: tuple[Path, Path, list[str]], gates: Runner) -> None:
    program, product, shas = setup
    _record(gates, program, product)
    _, out, _ = gates("check", "--root", program, "--today", TODAY, "--offline")
    notices = [line for line in out.splitlines() if "as recorded at" in line and " error " not in line]
    assert notices == [f"product: as recorded at product@{shas[-1][:7]} on {TODAY}"]
    _, out, _ = gates("status", "--root", program, "--today", TODAY, "--offline")
    assert f"product: as recorded at product@{shas[-1][:7]} on {TODAY}" in out.splitlines()
    _, out, _ = gates("check", "--root", program, "--today", TODAY, "--offline", "--source", f"product={product}")
    assert "as recorded at" not in out


def test_json_reports_each_source_state(setup: tuple[Path, Path, list[str]], gates: Runner) -> None:
    program, product, shas = setup
    assert _check(gates, program)["sources"] == {"product": {"state": "absent", "commit": None, "recorded": None}}
    _record(gates, program, product)
    assert _check(gates, program)["sources"] == {
        "product": {"state": "recorded", "commit": shas[-1], "recorded": TODAY, "record": "data/records/product.json"}
    }
    live = _check(gates, program, "--source", f"product={product}")
    assert live["sources"] == {"product": {"state": "live", "commit": shas[-1], "recorded": None}}
    _, out, _ = gates("status", "--root", program, "--today", TODAY, "--offline", "--format", "json")
    assert json.loads(out)["sources"]["product"]["state"] == "recorded"


def test_a_live_source_wins_over_the_record(setup: tuple[Path, Path, list[str]], gates: Runner) -> None:
    program, product, _ = setup
    _record(gates, program, product)
    (product / "apps" / "runtime" / "src" / "new.rs").write_text("let p = SpacetimePublisher::in_memory();\n")
    live = _check(gates, program, "--source", f"product={product}")
    recorded = _check(gates, program)
    assert any("new.rs" in f[1] for f in _guards(live))
    assert not any("new.rs" in f[1] for f in _guards(recorded))
    assert live["sources"]["product"]["state"] == "live"


def test_an_old_record_is_stale_but_still_used(setup: tuple[Path, Path, list[str]], gates: Runner) -> None:
    program, product, _ = setup
    _record(gates, program, product)
    code, out, _ = gates("check", "--root", program, "--today", "2026-03-27", "--offline", "--select", "DATA")
    assert code == 0 and "DATA008" not in out  # 14 days: still within catalog_max_age_days
    code, out, _ = gates("check", "--root", program, "--today", "2026-03-28", "--offline", "--select", "DATA,GUARD003")
    stale = [line for line in out.splitlines() if "DATA008" in line]
    assert len(stale) == 1 and stale[0].startswith("data/records/product.json:1: warning DATA008 record-stale:")
    assert "15 days old (over 14)" in stale[0] and "GUARD003" not in out
    code, _, _ = gates("check", "--root", program, "--today", "2026-03-28", "--offline", "--select", "DATA", "--strict")
    assert code == 1


def test_a_changed_guard_makes_the_record_stale(setup: tuple[Path, Path, list[str]], gates: Runner) -> None:
    program, product, _ = setup
    _record(gates, program, product)
    yaml = program / "data" / "program.yaml"
    yaml.write_text(yaml.read_text().replace("pattern: /api/sync/token", "pattern: /api/sync/tok"))
    _, out, _ = gates("check", "--root", program, "--today", TODAY, "--offline", "--select", "DATA008")
    assert "guard 'sync-token-alias-route' changed since it was made" in out


def test_a_record_of_another_commit_than_the_pin_is_not_used(
    setup: tuple[Path, Path, list[str]], gates: Runner
) -> None:
    program, product, shas = setup
    _record(gates, program, product)
    yaml = program / "data" / "program.yaml"
    yaml.write_text(
        yaml.read_text().replace(
            "    repository: https://example.invalid/product\n",
            f"    repository: https://example.invalid/product\n    pin: {shas[0]}\n",
        )
    )
    report = _check(gates, program)
    mismatch = [f for f in report["findings"] if f["code"] == "DATA009"]
    assert len(mismatch) == 1 and mismatch[0]["severity"] == "error"
    assert mismatch[0]["path"] == "data/program.yaml" and shas[0] in mismatch[0]["message"]
    assert shas[-1] in mismatch[0]["message"]
    assert report["sources"]["product"]["state"] == "absent"
    assert "GUARD003" in {f["code"] for f in report["findings"]}
    assert _evidence(report)["INV-03-E3"] == "unchecked"


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b'{"schema": 1, "source": "product",\n  "commit": ', "is not valid JSON"),
        (b'{"schema": 2}\n', "does not match the record schema: $: missing required key"),
        (b"\xff\xfe{}", "is not UTF-8"),
    ],
)
def test_an_unreadable_record_is_an_error_and_not_used(
    setup: tuple[Path, Path, list[str]], gates: Runner, content: bytes, why: str
) -> None:
    program, _, _ = setup
    (program / RECORD).parent.mkdir(parents=True)
    (program / RECORD).write_bytes(content)
    report = _check(gates, program)
    unreadable = [f for f in report["findings"] if f["code"] == "DATA007"]
    assert len(unreadable) == 1 and unreadable[0]["path"] == "data/records/product.json"
    assert why in unreadable[0]["message"]
    assert report["sources"]["product"]["state"] == "absent"
    assert "GUARD003" in {f["code"] for f in report["findings"]}
    assert not report["closure"]["closed"]


def test_a_record_of_another_source_is_unreadable(setup: tuple[Path, Path, list[str]], gates: Runner) -> None:
    program, product, _ = setup
    _record(gates, program, product)
    body = json.loads((program / RECORD).read_text())
    body["source"] = "other"
    (program / RECORD).write_text(json.dumps(body))
    _, out, _ = gates("check", "--root", program, "--today", TODAY, "--offline", "--select", "DATA007")
    assert "records source 'other', not 'product'" in out


def test_record_refuses_a_commit_that_is_not_the_pin(setup: tuple[Path, Path, list[str]], gates: Runner) -> None:
    program, product, shas = setup
    yaml = program / "data" / "program.yaml"
    yaml.write_text(
        yaml.read_text().replace(
            "    repository: https://example.invalid/product\n",
            f"    repository: https://example.invalid/product\n    pin: {shas[0]}\n",
        )
    )
    code, _, err = _record(gates, program, product)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert err.startswith("gates: error: source 'product' is pinned to") and shas[0] in err and shas[-1] in err
    assert not (program / RECORD).exists()
    subprocess.run(["git", "checkout", "-q", shas[0]], cwd=product, check=True)
    code, _, err = _record(gates, program, product)
    assert code == 0, err
    assert json.loads((program / RECORD).read_text())["commit"] == shas[0]
    assert _check(gates, program)["sources"]["product"]["state"] == "recorded"


def test_recording_twice_gives_the_same_bytes(setup: tuple[Path, Path, list[str]], gates: Runner) -> None:
    program, product, _ = setup
    _record(gates, program, product)
    first = (program / RECORD).read_bytes()
    _record(gates, program, product)
    assert (program / RECORD).read_bytes() == first
    text = first.decode()
    assert text.endswith("}\n") and not text.endswith("\n\n")
    body = json.loads(text)
    assert json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n" == text
    assert body["schema"] == 1 and body["tool"].startswith("gates ") and body["recorded"] == TODAY
    hit = body["hits"][0]
    assert set(hit) >= {"guard", "path", "line", "column", "text", "excerpt"}
    assert body["hits"] == sorted(body["hits"], key=lambda h: (h["path"], h["line"], h["column"], h["guard"]))
    assert body["suppressed"] and body["suppressed"][0]["reason"]
    assert any(h.get("unreasoned") for h in body["hits"])
    assert body["endpoints"]["control"]["kind"] == "preset:axum"
    assert {e["id"]: e["status"] for e in body["evidence"]} == {
        "INV-03-E3": "verified",
        "INV-03-E4": "verified",
        "INV-03-E5": "missing",
    }
    assert set(body["scan"]["guards"]["phoenix-frame-protocol"]) == {
        "hits",
        "suppressed",
        "test_code_skipped",
        "definition",
    }
    assert [p["date"] for p in body["burndown"]["points"]] == ["2026-02-01", "2026-02-10", "2026-02-20"]


def test_an_exported_tree_needs_its_commit(setup: tuple[Path, Path, list[str]], gates: Runner, tmp_path: Path) -> None:
    program, product, shas = setup
    export = tmp_path / "export"
    shutil.copytree(product, export, symlinks=True, ignore=shutil.ignore_patterns(".git"))
    code, _, err = _record(gates, program, export)
    assert code == 2 and "--commit SHA" in err and len(err.strip().splitlines()) == 1
    code, _, err = _record(gates, program, export, "--commit", shas[-1][:10])
    assert code == 2 and "full 40-hex" in err
    code, _, err = _record(gates, program, export, "--commit", shas[-1])
    assert code == 0, err
    exported = json.loads((program / RECORD).read_text())
    assert exported["commit"] == shas[-1] and exported["scan"]["mode"] == "walk" and "burndown" not in exported
    code, _, err = _record(gates, program, export, "--commit", shas[-1], "--history", product)
    assert code == 0, err
    with_history = json.loads((program / RECORD).read_text())
    assert len(with_history["burndown"]["points"]) == 3
    _record(gates, program, product)
    assert with_history["hits"] == json.loads((program / RECORD).read_text())["hits"]
    code, _, err = _record(gates, program, export, "--commit", "0" * 40, "--history", product)
    assert code == 2 and "holds no commit" in err


def test_a_bare_repository_is_recorded_at_its_head(
    setup: tuple[Path, Path, list[str]], gates: Runner, tmp_path: Path
) -> None:
    program, product, shas = setup
    _record(gates, program, product)
    from_tree = json.loads((program / RECORD).read_text())
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(product), str(bare)], check=True)
    code, _, err = _record(gates, program, bare)
    assert code == 0, err
    from_bare = json.loads((program / RECORD).read_text())
    assert from_bare["commit"] == shas[-1]
    assert from_bare["hits"] == from_tree["hits"] and from_bare["evidence"] == from_tree["evidence"]
    assert from_bare["endpoints"] == from_tree["endpoints"]
    assert from_bare["burndown"] == from_tree["burndown"]
    code, _, err = _record(gates, program, bare, "--commit", shas[0])
    assert code == 0, err
    assert json.loads((program / RECORD).read_text())["commit"] == shas[0]


def test_record_refuses_uncommitted_changes_and_bad_flags(setup: tuple[Path, Path, list[str]], gates: Runner) -> None:
    program, product, shas = setup
    (product / "apps" / "extra.rs").write_text("// new\n")
    code, _, err = _record(gates, program, product)
    assert code == 2 and "uncommitted changes" in err
    (product / "apps" / "extra.rs").unlink()
    code, _, err = _record(gates, program, product, "--commit", shas[0])
    assert code == 2 and "not at --commit" in err
    code, _, err = gates("record", "--root", program, "--source", f"nope={product}")
    assert code == 2 and "no such source" in err
    code, _, err = gates("record", "--root", program)
    assert code == 2 and "exactly one --source" in err


def test_milestones_mark_the_burndown(setup: tuple[Path, Path, list[str]], gates: Runner) -> None:
    program, product, shas = setup
    yaml = program / "data" / "program.yaml"
    yaml.write_text(
        yaml.read_text().replace(
            "    repository: https://example.invalid/product\n",
            "    repository: https://example.invalid/product\n"
            f"    milestones: [{{commit: {shas[1][:8]}, label: convergence}}]\n",
        )
    )
    code, _, err = _record(gates, program, product, "--max-points", "1")
    assert code == 0, err
    points = json.loads((program / RECORD).read_text())["burndown"]["points"]
    assert [(p["commit"], p["found_by"]) for p in points] == [(shas[1], "milestone"), (shas[2], "sample")]
    subprocess.run(["git", "init", "-q"], cwd=program, check=True)
    _commit(program, "2026-03-01", "tracker")
    code, out, err = gates("history", "--root", program)
    assert code == 0, err
    assert f"{shas[1][:10]}" in out and "[convergence]" in out


def test_the_dashboard_shows_the_recorded_sources(setup: tuple[Path, Path, list[str]], gates: Runner) -> None:
    from tests.sitekit import build_site, prepare_site

    program, product, shas = setup
    yaml = program / "data" / "program.yaml"
    yaml.write_text(
        yaml.read_text().replace(
            "    repository: https://example.invalid/product\n",
            "    repository: https://example.invalid/product\n"
            f"    milestones: [{{commit: {shas[1]}, label: convergence}}]\n",
        )
    )
    code, _, err = _record(gates, program, product)
    assert code == 0, err
    prepare_site(program)
    proc = build_site(program, program / "site", TODAY)
    assert proc.returncode == 0, proc.stderr
    home = (program / "site" / "index.html").read_text()
    assert '<div class="admonition info" id="recorded-sources">' in home
    assert f"product: as recorded at product@{shas[-1][:7]} on {TODAY}" in home
    history = (program / "site" / "history" / "index.html").read_text()
    assert 'aria-label="Guard hits over time in product"' in history
    assert 'class="gates-mark"' in history and ">convergence</text>" in history
    assert f"<td><code>{shas[1][:10]}</code></td>" in history and "<strong>convergence</strong>" in history
    guards = (program / "site" / "guards" / "index.html").read_text()
    assert "recorded, git, " in guards and f"at product@{shas[-1][:7]}" in guards
