"""One owner for id patterns: every id `pattern` in the JSON schemas equals its constant in checks/model/ids.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from checks.model import ids

SCHEMAS = sorted((Path(__file__).parent.parent / "checks" / "schemas").glob("*.json"))
# Schema keywords whose value describes the members of a collection, not a named field.
_MEMBER = {"items": "[]", "additionalProperties": "{}", "propertyNames": "<key>"}
# Fields that hold a reference to an id defined in program.yaml.
_PROGRAM_REFS = {"source", "sources", "service", "guard", "family", "class"}
# The collection an `id` field sits in, when it is not a program.yaml lower-case id.
_ID_BY_COLLECTION = {
    "invariants": ids.INVARIANT_ID,
    "exceptions": ids.EXCEPTION_ID,
    "evidence": ids.EVIDENCE_ID,
    "requirements": ids.REQUIREMENT_ID,
}
_ID_DEFS = {"id": ids.PROGRAM_ID, "invariant_id": ids.INVARIANT_ID}


def _patterns(node: Any, path: tuple[str, ...], root: dict[str, Any]) -> Iterator[tuple[tuple[str, ...], str]]:
    """Every `pattern` in a schema, at the data path of the field it constrains ($refs resolved in place)."""
    if isinstance(node, list):
        for sub in node:
            yield from _patterns(sub, path, root)
        return
    if not isinstance(node, dict):
        return
    if isinstance(node.get("pattern"), str):
        yield path, node["pattern"]
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        target = root["$defs"][ref.removeprefix("#/$defs/")]
        if isinstance(target.get("pattern"), str):
            yield path, target["pattern"]
    for key, sub in node.items():
        if key in ("properties", "$defs", "patternProperties", "dependentSchemas"):
            prefix = ("$defs",) if key == "$defs" and not path else ()
            for name, field in sub.items():
                yield from _patterns(field, (*path, *prefix, name), root)
        elif key in _MEMBER:
            yield from _patterns(sub, (*path, _MEMBER[key]), root)
        elif isinstance(sub, (dict, list)) and key not in ("examples", "default", "const", "enum", "required"):
            yield from _patterns(sub, path, root)


def _expected(path: tuple[str, ...]) -> str | None:
    """The ids.py constant an id field must carry, or None for a field that holds no id."""
    keys = [k for k in path if k not in _MEMBER.values()]
    if not keys:
        return None
    if keys[0] == "$defs":
        return _ID_DEFS.get(keys[1])
    name, parent = keys[-1], keys[-2] if len(keys) > 1 else ""
    if name in ("invariant", "invariants"):
        return ids.INVARIANT_ID
    if name == "id":
        return _ID_BY_COLLECTION.get(parent, ids.PROGRAM_ID)
    if name in _PROGRAM_REFS:
        return ids.PROGRAM_ID
    return None


def _all_patterns() -> list[tuple[str, tuple[str, ...], str]]:
    out = []
    for file in SCHEMAS:
        schema = json.loads(file.read_text())
        out += [(file.name, path, pattern) for path, pattern in _patterns(schema, (), schema)]
    return out


def test_schema_id_patterns_equal_the_owned_constants() -> None:
    seen = set()
    for name, path, pattern in _all_patterns():
        expected = _expected(path)
        if expected is not None:
            assert pattern == expected, f"{name} {'.'.join(path)}: {pattern!r} != ids.py {expected!r}"
            seen.add(expected)
    # Every constant is checked against at least one schema field, so the walk cannot pass vacuously.
    assert seen == {ids.INVARIANT_ID, ids.EXCEPTION_ID, ids.EVIDENCE_ID, ids.REQUIREMENT_ID, ids.PROGRAM_ID}


def test_every_id_pattern_in_the_schemas_is_owned() -> None:
    """A new id field (or an id prefix spelled in a pattern) must be classified above, not drift silently."""
    for name, path, pattern in _all_patterns():
        keys = [k for k in path if k not in _MEMBER.values()]
        field = keys[-1] if keys else ""
        looks_like_id = field == "id" or field.endswith("_id") or any(p in pattern for p in ("INV-", "EXC-", "REQ-"))
        if looks_like_id:
            assert _expected(path) is not None, f"{name} {'.'.join(path)}: id pattern {pattern!r} has no owner"


@pytest.mark.parametrize(
    ("raw", "compiled"),
    [
        (ids.INVARIANT_ID, ids.INVARIANT_ID_RE),
        (ids.EXCEPTION_ID, ids.EXCEPTION_ID_RE),
        (ids.REQUIREMENT_ID, ids.REQUIREMENT_ID_RE),
        (ids.EVIDENCE_ID, ids.EVIDENCE_ID_RE),
        (ids.PROGRAM_ID, ids.PROGRAM_ID_RE),
    ],
)
def test_compiled_constants_are_the_raw_patterns(raw: str, compiled: Any) -> None:
    assert compiled.pattern == raw


def test_id_examples() -> None:
    assert ids.INVARIANT_ID_RE.match("INV-03") and ids.INVARIANT_ID_RE.match("INV-1234")
    assert not ids.INVARIANT_ID_RE.match("INV-3") and not ids.INVARIANT_ID_RE.match("INV-12345")
    assert ids.EXCEPTION_ID_RE.match("EXC-001") and not ids.EXCEPTION_ID_RE.match("EXC-01")
    assert ids.REQUIREMENT_ID_RE.match("REQ-1") and not ids.REQUIREMENT_ID_RE.match("REQ-")
    assert ids.EVIDENCE_ID_RE.match("INV-03-E1") and not ids.EVIDENCE_ID_RE.match("-E1")
    assert ids.PROGRAM_ID_RE.match("repo-guard-checks") and not ids.PROGRAM_ID_RE.match("Repo")


def test_code_uses_the_owned_invariant_pattern() -> None:
    from checks.rules import data
    from checks.site import hooks

    assert data._INV.pattern == ids.INVARIANT_ID
    assert hooks._ID.pattern == ids.INVARIANT_ID
