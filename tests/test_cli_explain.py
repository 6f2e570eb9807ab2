"""`gates rules CODE` explains one rule; `gates status --strict` gates a release on closure."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Runner


def test_rules_explains_one_rule_by_code_or_slug(gates: Runner) -> None:
    code, out, _ = gates("rules", "EXC001")
    assert code == 0
    assert out.startswith("EXC001 exception-expired (default severity: error)\n\nAn active exception must not be past")
    assert "Pass (`--today 2026-03-12`)" in out and "Fail (`--today 2026-03-13`)" in out
    code, by_slug, _ = gates("rules", "exception-expired")
    assert by_slug == out
    code, out, _ = gates("rules", "exc001", "--format", "json")
    body = json.loads(out)
    assert body["code"] == "EXC001" and body["doc"].startswith("An active exception")


def test_rules_suggests_the_closest_name(gates: Runner) -> None:
    code, out, err = gates("rules", "exceptin-expired")
    assert code == 2 and out == ""
    assert err.strip() == "gates: error: no rule 'exceptin-expired'; did you mean exception-expired?"


def test_status_strict_exits_1_until_closed(program: Path, gates: Runner) -> None:
    args = ("status", "--root", program, "--today", "2026-03-05", "--offline")
    assert gates(*args)[0] == 0
    assert gates(*args, "--strict")[0] == 1  # EXC-001 is active: not closed
    assert gates(*args, "--exit-code")[0] == 1
    (program / "data" / "exceptions.yaml").write_text("exceptions: []\n")
    snap = program / "data" / "endpoints.snapshot.json"
    data = json.loads(snap.read_text())
    data["services"]["control"]["endpoints"] = data["services"]["control"]["endpoints"][:1]
    snap.write_text(json.dumps(data))
    code, out, _ = gates(*args, "--strict")
    assert code == 0, out
