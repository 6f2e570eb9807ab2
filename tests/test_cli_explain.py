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


def test_a_tree_that_is_not_the_source_gets_one_warning(program: Path, tmp_path: Path, gates: Runner) -> None:
    other = tmp_path / "other-repo"
    (other / "lib").mkdir(parents=True)
    (other / "lib" / "a.py").write_text("x = 1\n")
    code, out, _ = gates(
        "check", "--root", program, "--today", "2026-03-05", "--offline", "--source", f"product={other}"
    )
    mismatch = [line for line in out.splitlines() if "GUARD004" in line]
    assert len(mismatch) == 1
    assert f"source 'product' at {other} holds none of the paths the program reads (apps/control/src" in mismatch[0]


def test_the_real_source_gets_no_mismatch_warning(program: Path, product: Path, gates: Runner) -> None:
    _, out, _ = gates(
        "check", "--root", program, "--today", "2026-03-05", "--offline", "--source", f"product={product}"
    )
    assert "GUARD004" not in out


def test_yaml_syntax_errors_name_the_likely_cause() -> None:
    from checks.load.yamlload import load_bytes

    cases = {
        b"a: b: c\n": "a value holding ': ' needs quotes",
        b"a:\n  b: 1\n c: 2\n": "line 3 starts a key at the wrong indentation",
        b'a: "x\nb: 1\n': "a quote opened on line 1 is never closed",
        b"a: [1, 2\nb: 3\n": "a '[' opened on line 1 is never closed",
        b"k: v\nfoo\nbar: 1\n": "a wrapped value needs quotes or '>-'",
    }
    for text, hint in cases.items():
        (problem,) = load_bytes(text, "f.yaml").problems
        assert problem.code == "DATA001" and hint in problem.message, (text, problem.message)


def _in_a_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run gates on a pseudo-terminal (so stdout is a TTY) and return what it printed."""
    import os
    import pty
    import subprocess
    import sys

    from tests.conftest import REPO

    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "checks", *args],
        stdout=follower,
        stderr=subprocess.DEVNULL,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO), **env},
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode(errors="replace")


def test_colour_on_a_terminal_unless_no_color(program: Path) -> None:
    args = ["check", "--root", str(program), "--today", "2026-03-13", "--offline", "--select", "EXC"]
    env = {k: "" for k in ("NO_COLOR",)}
    coloured = _in_a_terminal(args, {"TERM": "xterm", **env})
    assert "\x1b[31merror\x1b[0m" in coloured
    plain = _in_a_terminal(args, {"TERM": "xterm", "NO_COLOR": "1"})
    assert "\x1b[" not in plain and " error EXC001" in plain
    forced = _in_a_terminal([*args, "--color", "never"], {"TERM": "xterm"})
    assert "\x1b[" not in forced


def test_text_lists_errors_first_and_min_severity_filters(program: Path, product: Path, gates: Runner) -> None:
    args = ("check", "--root", program, "--today", "2026-03-13", "--offline", "--source", f"product={product}")
    _, out, _ = gates(*args, "--color", "always")
    levels = [line.split(": ", 1)[1].split()[0] for line in out.splitlines()[:-1]]
    levels = [lv.replace("\x1b[31m", "").replace("\x1b[36m", "").replace("\x1b[0m", "") for lv in levels]
    assert levels == sorted(levels, key=["error", "warning", "info"].index) and "info" in levels
    _, quiet, _ = gates(*args, "-q")
    assert ": info " not in quiet and quiet.count(": error ") == 8
    _, errors, _ = gates(*args, "--min-severity", "error", "--format", "json")
    assert {f["severity"] for f in json.loads(errors)["findings"]} == {"error"}
    # A source path is shown where the file is, and an unknown column is left out.
    assert f"{product}/apps/control/src/routes.rs:9: error DRIFT004" in out.replace("\x1b[31m", "").replace(
        "\x1b[0m", ""
    ).replace("\x1b[1m", "")


def test_data_values_cannot_start_a_line_of_text_output(program: Path, gates: Runner) -> None:
    exc = program / "data" / "exceptions.yaml"
    exc.write_text(exc.read_text().replace('owner: "@control"', 'owner: "@control\\n::error file=x::forged"'))
    _, out, _ = gates("check", "--root", program, "--today", "2026-03-13", "--offline", "--select", "EXC")
    assert not any(line.startswith("::") for line in out.splitlines())
    assert "@control\\n::error file=x::forged" in out


def test_history_of_a_source_that_is_not_a_repository_is_one_line(program: Path, product: Path, gates: Runner) -> None:
    code, out, err = gates("history", "--root", program, "--source", f"product={product}")
    assert code == 2 and out == ""
    assert err.strip().splitlines()[-1] == (
        f"gates: error: --source product: {product} is not a git repository (a work tree, a bare repository or a "
        "partial clone); the burndown reads the source's history"
    )


def test_an_unknown_reference_suggests_the_closest_name(program: Path, gates: Runner) -> None:
    inv = program / "data" / "invariants.yaml"
    inv.write_text(inv.read_text().replace("class: guard-checks, kind: path", "class: guard-check, kind: path"))
    _, out, _ = gates("check", "--root", program, "--today", "2026-03-05", "--offline", "--select", "DATA005")
    assert "evidence class 'guard-check' does not exist; did you mean 'guard-checks'?" in out


def test_review_corners_are_clear_errors(program: Path, tmp_path: Path, gates: Runner) -> None:
    code, _, err = gates("validate", "--root", program, str(tmp_path / "nosuch.yaml"))
    assert code == 2 and "no such file" in err
    code, _, err = gates("check", "--root", program, "--select", "", "--offline")
    assert code == 2 and "need at least one code" in err
    code, _, err = gates("check", "--root", program, "--offline", "--source", f"product={tmp_path / 'missing'}")
    assert code == 2 and err.strip().endswith("does not exist")
    code, _, err = gates("check", "--root", program, "--offline", "--format", "json", "--format", "text")
    assert code == 2 and "only one --format can go to standard output" in err
    code, _, err = gates("history", "--root", program, "--since", "2026-03-02", "--until", "2026-03-01")
    assert code == 2 and "is after --until" in err
    code, out, _ = gates("rules", "EXC")
    assert (
        code == 0 and out.splitlines()[0].startswith("EXC001") and all(ln.startswith("EXC") for ln in out.splitlines())
    )
