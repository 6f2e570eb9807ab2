"""The schemas double as editor help: every field has a title and a description, and free-form fields an example."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

SCHEMAS = sorted((Path(__file__).parent.parent / "checks" / "schemas").glob("*.json"))


def _fields(node: Any, path: str, defs: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    out = []
    if not isinstance(node, dict):
        return out
    for key, sub in (node.get("properties") or {}).items():
        target = sub
        if "$ref" in sub:
            target = {**defs.get(sub["$ref"].split("/")[-1], {}), **sub}
        out.append((f"{path}.{key}", target))
        out += _fields(sub, f"{path}.{key}", defs)
    for k in ("items", "additionalProperties"):
        if isinstance(node.get(k), dict):
            out += _fields(node[k], path + "[]", defs)
    return out


@pytest.mark.parametrize("schema_file", SCHEMAS, ids=lambda p: p.name)
def test_every_field_is_documented(schema_file: Path) -> None:
    schema = json.loads(schema_file.read_text())
    Draft202012Validator.check_schema(schema)
    assert schema.get("title") and schema.get("description")
    fields = _fields(schema, "$", schema.get("$defs", {}))
    assert fields
    for path, field in fields:
        assert field.get("title") and field.get("description"), path
        free_text = field.get("type") in ("string", "integer") and "enum" not in field and "const" not in field
        if free_text and field.get("type") == "string" and "pattern" in field:
            assert field.get("examples"), f"{path} has a pattern but no example"
        for example in field.get("examples", []):
            Draft202012Validator({**field, "$defs": schema.get("$defs", {})}).validate(example)


@pytest.mark.parametrize("name", ["program", "invariants", "exceptions"])
def test_data_files_point_at_their_schema(name: str) -> None:
    first = (Path(__file__).parent.parent / "data" / f"{name}.yaml").read_text().splitlines()[0]
    assert first == f"# yaml-language-server: $schema=../checks/schemas/{name}.schema.json"
    assert yaml.safe_load((Path(__file__).parent.parent / "data" / f"{name}.yaml").read_text())


def test_any_of_errors_report_the_closest_branch() -> None:
    from checks.load.schema import validate
    from checks.load.yamlload import load_bytes

    doc = load_bytes(
        b"exceptions:\n  - id: EXC-001\n    title: t\n    invariants: [INV-01]\n    opened: 2026-03-01\n"
        b"    expires: 2026-03-02\n    status: active\n    rollback: 3\n",
        "x.yaml",
    )
    problems = list(validate(doc, "exceptions"))
    assert [(p.line, p.message) for p in problems] == [(8, "$.exceptions[0].rollback: must be a list, not a number")]
