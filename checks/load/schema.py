"""JSON Schema validation of loaded documents, as DATA003 problems at the offending node."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checks.load.dates import parse_date
from checks.load.valid_cache import digest, known_valid, remember_valid

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError
from checks.load.yamlload import Document, Pointer

SCHEMA_DIR = Path(__file__).parent.parent / "schemas"
SCHEMA_FILES = {
    "program": "program.schema.json",
    "invariants": "invariants.schema.json",
    "exceptions": "exceptions.schema.json",
    "record": "record.schema.json",
}


@dataclass(frozen=True)
class SchemaProblem:
    pointer: Pointer
    line: int
    column: int
    message: str


def _is_date(value: object) -> bool:
    return not isinstance(value, str) or parse_date(value) is not None


@cache
def schema_text(name: str) -> str:
    return (SCHEMA_DIR / SCHEMA_FILES[name]).read_text(encoding="utf-8")


@cache
def load_schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(schema_text(name))
    return schema


@cache
def _validator(name: str) -> Draft202012Validator:
    # jsonschema is imported here, not at module level, so a run can start scanning before it loads.
    from jsonschema import Draft202012Validator, FormatChecker

    checker = FormatChecker(formats=())
    checker.checks("date")(_is_date)
    return Draft202012Validator(load_schema(name), format_checker=checker)


def json_path(pointer: Pointer) -> str:
    out = "$"
    for part in pointer:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


_TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "empty",
}


def _describe(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _short(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _message(error: ValidationError) -> str:
    validator = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    if validator == "type":
        expected: Any = error.validator_value
        names = [expected] if isinstance(expected, str) else list(expected)
        wanted = " or ".join(_TYPE_NAMES.get(n, n) for n in names)
        return f"must be {wanted}, not {_describe(error.instance)}"
    if validator == "required":
        missing = str(error.message).split("'")[1] if "'" in str(error.message) else str(error.validator_value)
        return f"missing required key {missing!r}"
    if validator == "enum":
        allowed: Any = error.validator_value
        options = [str(o) for o in allowed]
        hint = difflib.get_close_matches(str(error.instance), options, n=1)
        suffix = f"; did you mean {hint[0]!r}?" if hint else ""
        return f"{_short(error.instance)} must be one of: {', '.join(options)}{suffix}"
    if validator == "const":
        return f"must be {_short(error.validator_value)}"
    if validator == "format" and error.validator_value == "date":
        return f"{_short(error.instance)} must be a calendar date written YYYY-MM-DD (no time of day)"
    if validator == "pattern":
        description = str(schema.get("description", "")).rstrip(".")
        examples = schema.get("examples")
        example = f"; for example {examples[0]!r}" if isinstance(examples, list) and examples else ""
        form = f": {description}" if description else f" (must match {error.validator_value})"
        return f"{_short(error.instance)} is not in the expected form{form}{example}"
    if validator == "minLength":
        return "must not be empty"
    if validator == "minItems":
        return f"must list at least {error.validator_value} item(s)"
    if validator in ("minimum", "exclusiveMinimum"):
        return f"{_short(error.instance)} must be at least {error.validator_value}"
    if validator in ("maximum", "exclusiveMaximum"):
        return f"{_short(error.instance)} must be at most {error.validator_value}"
    if validator == "not":
        return "has a key that is not allowed here"
    return str(error.message)


def _unknown_keys(error: ValidationError) -> list[str]:
    schema = error.schema if isinstance(error.schema, dict) else {}
    known = set(schema.get("properties", {}))
    if not isinstance(error.instance, dict):
        return []
    return [k for k in error.instance if k not in known]


def validate(doc: Document, name: str) -> list[SchemaProblem]:
    """One problem per schema violation, each at the line of the node it concerns."""
    key = digest(doc.data, schema_text(name))
    if known_valid(key):
        return []
    problems = list(_problems(doc, name))
    if not problems:
        remember_valid(key)
    return problems


def _problems(doc: Document, name: str) -> Iterator[SchemaProblem]:
    validator = _validator(name)
    errors = sorted(validator.iter_errors(doc.data), key=lambda e: (list(map(str, e.absolute_path)), str(e.message)))
    for error in errors:
        if error.context:
            from jsonschema.exceptions import best_match

            # anyOf/oneOf: report the branch closest to what the author wrote.
            chosen = best_match(error.context)
            if chosen is not None:
                error = chosen
        pointer: Pointer = tuple(error.absolute_path)
        where = json_path(pointer)
        if error.validator == "additionalProperties":
            schema = error.schema if isinstance(error.schema, dict) else {}
            known = sorted(schema.get("properties", {}))
            for key in _unknown_keys(error):
                hint = difflib.get_close_matches(key, known, n=1)
                suffix = f"; did you mean {hint[0]!r}?" if hint else f"; allowed keys: {', '.join(known)}"
                line, col = doc.key_loc((*pointer, key))
                yield SchemaProblem(
                    (*pointer, key), line, col, f"{json_path((*pointer, key))}: unknown key {key!r}{suffix}"
                )
            continue
        if error.validator == "not" and error.validator_value == {"required": ["retired"]}:
            line, col = doc.key_loc((*pointer, "retired"))
            yield SchemaProblem(
                (*pointer, "retired"),
                line,
                col,
                f"{where}.retired: only a retired exception has 'retired'; set status: retired or remove it",
            )
            continue
        if error.validator == "if":
            continue
        line, col = doc.loc(pointer)
        yield SchemaProblem(pointer, line, col, f"{where}: {_message(error)}")


def validate_data(data: object, name: str) -> list[str]:
    """Schema violations of plain data (a JSON file, no positions): one "$.path: what must be true" each."""
    key = digest(data, schema_text(name))
    if known_valid(key):
        return []
    validator = _validator(name)
    errors = sorted(validator.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), str(e.message)))
    out = []
    for error in errors:
        where = json_path(tuple(error.absolute_path))
        if error.validator == "additionalProperties":
            out += [f"{where}: unknown key {key!r}" for key in _unknown_keys(error)]
        else:
            out.append(f"{where}: {_message(error)}")
    if not out:
        remember_valid(key)
    return out
