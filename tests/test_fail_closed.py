"""Fail closed: data that cannot be trusted waives nothing, and files that are not plain tracker files are not read."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from checks.model.workspace import load_workspace
from checks.net.urls import Refused, refuse_statically
from checks.policy.waivers import evaluate_all
from tests.conftest import Runner

D = "2026-03-05"


def _states(program: Path, today: str = D) -> list[tuple[str, str, tuple[str, ...]]]:
    import datetime as dt

    ws = load_workspace(program)
    states = evaluate_all(ws.waivers, ws.program, dt.date.fromisoformat(today))
    return [(s.id, str(s.state), s.reasons) for s in states.values()]


def _edit(program: Path, old: str, new: str) -> None:
    path = program / "data" / "exceptions.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_expires_before_opened_is_an_error_and_waives_nothing(program: Path, gates: Runner) -> None:
    _edit(program, "    opened: 2026-03-01\n    expires: 2026-03-12", "    opened: 2026-03-12\n    expires: 2026-03-06")
    ((_, state, reasons),) = _states(program, "2026-03-05")
    assert state == "invalid" and "expires 2026-03-06, before it opened on 2026-03-12" in reasons
    _, out, _ = gates("check", "--root", program, "--today", D, "--offline", "--select", "EXC010", "--format", "json")
    (finding,) = json.loads(out)["findings"]
    assert finding["code"] == "EXC010" and finding["line"] == 9


def test_an_exception_opened_after_today_does_not_waive_yet(program: Path) -> None:
    ((_, state, reasons),) = _states(program, "2026-02-28")
    assert state == "invalid" and "opens on 2026-03-01, after today" in reasons


def test_a_repeated_key_inside_an_exception_makes_it_waive_nothing(program: Path) -> None:
    _edit(program, "    expires: 2026-03-12\n", "    expires: 2026-03-12\n    expires: 2026-12-31\n")
    ((_, state, reasons),) = _states(program)
    assert state == "invalid" and "a key is given twice in it (DATA002)" in reasons


def test_a_duplicated_id_makes_every_copy_waive_nothing(program: Path) -> None:
    path = program / "data" / "exceptions.yaml"
    text = path.read_text()
    entry = text.split("exceptions:\n", 1)[1]
    path.write_text(text + entry)
    states = _states(program)
    assert [s for _, s, _ in states] == ["invalid", "invalid"]
    assert all("its id EXC-001 is used by another exception too (DATA004)" in r for _, _, r in states)


@pytest.mark.parametrize("target", ["/dev/zero", "/etc/hostname"])
def test_a_data_file_that_is_a_symlink_out_of_the_tracker_is_not_read(
    program: Path, gates: Runner, target: str
) -> None:
    if not os.path.exists(target):
        pytest.skip(f"{target} does not exist here")
    data = program / "data" / "invariants.yaml"
    data.unlink()
    data.symlink_to(target)
    code, out, _ = gates("check", "--root", program, "--today", D, "--offline", "--select", "DATA001")
    assert code == 1 and "symlink to a file outside the tracker" in out


def test_a_fifo_data_file_is_refused_without_blocking(program: Path, gates: Runner) -> None:
    data = program / "data" / "invariants.yaml"
    data.unlink()
    os.mkfifo(data)
    code, out, _ = gates("check", "--root", program, "--today", D, "--offline", "--select", "DATA001")
    assert code == 1 and "not a regular file" in out


@pytest.mark.parametrize(
    "url",
    [
        "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
        "http://[2002:a00:1::]/",  # 6to4 of 10.0.0.1
        "http://[64:ff9b::7f00:1]/",  # NAT64 of 127.0.0.1
        "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",  # Teredo
    ],
)
def test_ipv6_forms_embedding_private_ipv4_are_refused(url: str) -> None:
    with pytest.raises(Refused):
        refuse_statically(url, ())


@pytest.mark.parametrize("pattern", ["(a|a)*$", "(a|aa)+$", "(?:a?){30}a{30}", "(a+)+$", "(x|xy){12}z"])
def test_ambiguous_alternation_or_optional_runs_under_a_repeat_are_refused(pattern: str) -> None:
    from checks.scan.regexsafety import unsafe_regex

    assert unsafe_regex(pattern) is not None


@pytest.mark.parametrize(
    "pattern", [r"\b(phx_join|phx_reply)\b", "/api/(spacetime|v1/sync)/token", "x?y?z", "(?:ab?){3}"]
)
def test_guard_shaped_patterns_stay_allowed(pattern: str) -> None:
    from checks.scan.regexsafety import unsafe_regex

    assert unsafe_regex(pattern) is None
