"""The decision record a program is governed by: read from the tracker or a source, and its stated facts.

An ADR states its title, status and date in a handful of conventional ways: a `## Status` section
whose first line is the status (the common ADR template), a `Status: Accepted` or `**Status:**`
line, YAML front matter, or an rST field list (`:Status: Accepted`). The text is never trusted as
markup: callers render it escaped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

MAX_ADR_BYTES = 1024 * 1024

_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")
_FIELD = re.compile(
    r"^\s*(?:[-*]\s+)?(?:\*\*|__)?:?(status|date|decided|accepted)(?:\*\*|__)?\s*:?(?:\*\*|__)?\s*:\s*(.+)$", re.I
)
_FIELD_AFTER = re.compile(r"^\s*(?:[-*]\s+)?(?:\*\*|__)(status|date)\s*:\s*(?:\*\*|__)\s*(.+)$", re.I)
_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
_RST_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+])\1{2,}\s*$")


@dataclass(frozen=True)
class AdrFacts:
    title: str = ""
    status: str = ""  # as the ADR writes it: "Accepted", "Superseded by ADR-0012"
    date: str = ""  # YYYY-MM-DD when the ADR gives one


def _strip(value: str) -> str:
    return value.strip().strip("*_`").strip()


def adr_facts(text: str) -> AdrFacts:
    """Title, status and date as the ADR states them ("" for what it does not state)."""
    lines = text.splitlines()
    title = status = date = ""
    if lines and lines[0].strip() == "---":
        for line in lines[1:]:
            if line.strip() == "---":
                break
            key, _, value = line.partition(":")
            key = key.strip().lower()
            if key == "status" and not status:
                status = _strip(value).strip("'\"")
            elif key in ("date", "accepted") and not date:
                found = _DATE.search(value)
                date = found.group(1) if found else ""
            elif key == "title" and not title:
                title = _strip(value).strip("'\"")
    if lines and lines[0].strip() == "---":
        end = next((n for n in range(1, len(lines)) if lines[n].strip() == "---"), 0)
        lines = lines[end + 1 :]
    section = ""
    for i, line in enumerate(lines):
        heading = _HEADING.match(line)
        underlined = i + 1 < len(lines) and _RST_UNDERLINE.match(lines[i + 1]) and line.strip()
        if heading or underlined:
            name = _strip(heading.group(1) if heading else line)
            if not title:
                title = name
            section = name.lower()
            continue
        if _RST_UNDERLINE.match(line):
            continue
        field = _FIELD_AFTER.match(line) or _FIELD.match(line)
        if field:
            key, value = field.group(1).lower(), _strip(re.split(r"\s[·|]\s", field.group(2))[0])
            if key == "status" and not status:
                # "accepted on 2026-02-26": the status, and the date it took effect.
                on = re.match(r"(.+?)\s+(?:on|since)\s+(\d{4}-\d{2}-\d{2})\b", value)
                status, date = (on.group(1), date or on.group(2)) if on else (value, date)
            elif key != "status" and not date:
                found = _DATE.search(value)
                date = found.group(1) if found else date
            continue
        if line.strip() and section in ("status", "date"):
            # The first line of a "## Status" or "## Date" section is the value.
            if section == "status" and not status:
                status = _strip(line)
            elif section == "date" and not date:
                found = _DATE.search(line)
                date = found.group(1) if found else date
            section = ""
    return AdrFacts(title, status, date)


def read_adr(root: Path, rel: str) -> tuple[str | None, str]:
    """(text, "") of the ADR at `rel` under `root`, or (None, why not): only a regular file inside the root."""
    if not rel or rel.startswith("/") or "\\" in rel:
        return None, f"{rel!r} is not a path relative to its root"
    base = root.resolve()
    path = base / rel
    try:
        resolved = path.resolve()
        resolved.relative_to(base)
    except (OSError, ValueError, RuntimeError):
        return None, f"{rel} is outside its root"
    if not resolved.is_file():
        return None, f"{rel} does not exist" if not path.exists() else f"{rel} is not a regular file"
    try:
        with resolved.open("rb") as handle:
            data = handle.read(MAX_ADR_BYTES + 1)
    except OSError as exc:
        return None, f"{rel} cannot be read: {exc.strerror or exc}"
    if len(data) > MAX_ADR_BYTES:
        return None, f"{rel} is over {MAX_ADR_BYTES:,} bytes"
    return data.decode("utf-8", errors="replace"), ""
