"""Documents already found valid: JSON Schema validation is skipped for content validated before.

Validation (and importing jsonschema) is most of a small check's time, yet the data rarely changes
between runs. A clean result is remembered by a digest of the content, the schema text and the Gates
version, in the user's cache folder (never in the repository, which a pull request controls). Only
clean results are remembered: a document with problems is validated every time, so its findings
keep their positions and wording.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from checks import __version__
from checks.load.cache_dir import cache_base


def _tagged(value: object) -> str:
    # Dates and other non-JSON values hash with their type: "2026-01-01" the string is not the date.
    return f"{type(value).__name__}:{value!r}"


def digest(data: object, schema_text: str) -> str:
    body = json.dumps(data, sort_keys=True, ensure_ascii=False, default=_tagged, allow_nan=True)
    h = hashlib.sha256()
    for part in (__version__, schema_text, body):
        h.update(part.encode("utf-8", "surrogateescape"))
        h.update(b"\0")
    return h.hexdigest()


def _marker(key: str) -> Path:
    return cache_base() / "validated" / key[:2] / key[2:40]


def known_valid(key: str) -> bool:
    try:
        return _marker(key).is_file()
    except OSError:
        return False


def remember_valid(key: str) -> None:
    marker = _marker(key)
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass  # a read-only cache only costs speed
