"""The Python engine's prefilter narrows the lines to read for every guard flag combination."""

from __future__ import annotations

import itertools

import pytest

from checks.scan.guards import compile_guard
from checks.scan.guards.compiled import CompiledGuard
from checks.scan.guards.python_engine import build_prefilter
from tests.test_guards import _guard

TEXT = b'fn ok() {}\nlet url = "/Sync/Socket/WEBSOCKET";\nsend(PHX_JOIN)\nplain line\n'


def _compiled(pattern: str, regex: bool, word: bool, case_sensitive: bool) -> CompiledGuard:
    guard = _guard(pattern, regex=regex, word=word, case_sensitive=case_sensitive)
    compiled, error = compile_guard(guard)
    assert error is None and compiled is not None
    return CompiledGuard(guard, compiled)


@pytest.mark.parametrize(("regex", "word", "case_sensitive"), list(itertools.product([False, True], repeat=3)))
def test_prefilter_narrows_for_every_flag_combination(regex: bool, word: bool, case_sensitive: bool) -> None:
    guards = [
        _compiled("/sync/socket/websocket", regex, word, case_sensitive),
        _compiled(r"\bphx_join\b" if regex else "phx_join", regex, word, case_sensitive),
    ]
    prefilter = build_prefilter(guards)
    lines = {TEXT.count(b"\n", 0, m.start()) + 1 for m in prefilter.finditer(TEXT)}
    # Never every line (the old every-byte fallback): at most the two candidate lines.
    assert lines <= {2, 3}
    assert len(list(prefilter.finditer(TEXT))) <= 2
    if not case_sensitive:
        assert lines == {2, 3}  # the upper-case spellings are candidates
