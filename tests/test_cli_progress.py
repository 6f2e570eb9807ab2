"""Progress bars: drawn on stderr when it is a terminal, never otherwise, and never on standard output."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import REPO, git_init

BAR = "━"  # what the bar is drawn with


def _run(args: list[str], terminal: bool) -> tuple[int, str, str]:
    """Run gates in a new process, its stderr on a pseudo-terminal or a pipe; (exit code, stdout, stderr)."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "TERM": "xterm", "COLUMNS": "120"}
    with tempfile.TemporaryFile() as out:
        if not terminal:
            proc = subprocess.run(
                [sys.executable, "-m", "checks", *args], stdout=out, stderr=subprocess.PIPE, env=env, timeout=120
            )
            out.seek(0)
            return proc.returncode, out.read().decode(), proc.stderr.decode()
        leader, follower = pty.openpty()
        child = subprocess.Popen([sys.executable, "-m", "checks", *args], stdout=out, stderr=follower, env=env)
        os.close(follower)
        chunks = []
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:  # the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        code = child.wait(timeout=120)
        os.close(leader)
        out.seek(0)
        return code, out.read().decode(), b"".join(chunks).decode(errors="replace")


def _check_args(program: Path, product: Path, *extra: str) -> list[str]:
    return [
        "check",
        "--root",
        str(program),
        "--today",
        "2026-03-05",
        "--offline",
        "--source",
        f"product={product}",
        *extra,
    ]


def test_check_progress_draws_a_bar_on_a_terminal_and_keeps_stdout_clean(program: Path, product: Path) -> None:
    code, out, err = _run(_check_args(program, product, "--progress", "--format", "json"), terminal=True)
    assert code == 1  # the fixture product has guard hits
    assert "gates: scanning product for guard hits" in err and BAR in err and "1/1" in err
    assert err.rfind("\x1b[?25h") > err.rfind("\x1b[?25l") >= 0  # the cursor is shown again at the end
    report = json.loads(out)  # standard output is the report and nothing else
    assert "\x1b" not in out and any(f["code"] == "GUARD001" for f in report["findings"])


def test_check_progress_is_off_when_stderr_is_not_a_terminal(program: Path, product: Path) -> None:
    code, out, err = _run(_check_args(program, product, "--progress"), terminal=False)
    assert code == 1 and err == ""
    assert "GUARD001" in out and "\x1b" not in out


def test_no_bar_without_progress_and_rich_is_not_imported(program: Path, product: Path) -> None:
    _, _, err = _run(_check_args(program, product), terminal=True)
    assert BAR not in err and "scanning" not in err
    # Start-up time: the bar library loads only when a bar is drawn.
    probe = (
        "import sys; from checks.cli.main import main; "
        f"code = main({_check_args(program, product, '--progress')!r}); "
        "print('rich-loaded' if 'rich' in sys.modules else 'rich-not-loaded', file=sys.stderr)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)}
    )
    assert proc.stderr.strip().splitlines()[-1] == "rich-not-loaded"


def _tracker_repo(program: Path) -> Path:
    """The fixture program with three commits that change data/, at fixed dates."""
    git_init(program)
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }
    exceptions = program / "data" / "exceptions.yaml"
    for day, owner in (("2026-03-02", "@control-a"), ("2026-03-03", "@control-b")):
        exceptions.write_text(exceptions.read_text().replace('owner: "@control', f'owner: "{owner}', 1))
        stamp = f"{day}T12:00:00+00:00"
        subprocess.run(
            ["git", "commit", "-qam", f"change {day}"],
            cwd=program,
            check=True,
            env={**env, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp},
        )
    return program


def test_history_draws_a_bar_of_commits_on_a_terminal_only(program: Path) -> None:
    repo = _tracker_repo(program)
    args = ["history", "--root", str(repo), "--today", "2026-03-05"]
    code, out, err = _run(args, terminal=True)
    assert code == 0 and "gates: evaluating data/ at each change" in err and "3/3" in err and BAR in err
    assert err.rfind("\x1b[?25h") > err.rfind("\x1b[?25l") >= 0
    assert "\x1b" not in out and out.splitlines()[0].split()[:2] == ["date", "commit"]
    code, plain, err = _run(args, terminal=False)
    assert (code, err) == (0, "") and plain == out
    code, out, err = _run([*args, "--format", "json"], terminal=True)
    assert code == 0 and BAR not in err and len(json.loads(out)["history"]) == 3


def test_closed_bars_draw_nothing_more_and_disabled_bars_still_print_notes(capsys: pytest.CaptureFixture[str]) -> None:
    from checks.cli.progress import Bars

    off = Bars(False)
    assert off.add("x", 3) is None
    off.update(None, 1, 3)
    off.note("gates: a note")
    off.close()
    assert capsys.readouterr().err == "gates: a note\n"
    closed = Bars(True)
    closed.close()
    assert closed.add("x", 3) is None and closed.closed.is_set()
    assert capsys.readouterr().err == ""
