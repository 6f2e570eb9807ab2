"""Safe YAML loading that keeps a line and column for every value.

Bytes are checked (size, encoding, control characters) here; `checks.load.compose` turns the
text into values. The document types and limits are re-exported so importers need only this module.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import yaml

from checks.load.compose import MAX_ALIASES, MAX_DEPTH, MAX_EXPANDED_VALUES, ComposeError, compose
from checks.load.document import Document, LoadProblem, Pointer

__all__ = [
    "MAX_ALIASES",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_EXPANDED_VALUES",
    "Document",
    "LoadProblem",
    "Pointer",
    "load_bytes",
    "load_file",
]

MAX_BYTES = 8 * 1024 * 1024


def _decode(raw: bytes) -> tuple[str | None, LoadProblem | None]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, LoadProblem("DATA001", 1, 1, "file is UTF-16; save it as UTF-8")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        return None, LoadProblem(
            "DATA001", line, nul - raw.rfind(b"\n", 0, nul), "file contains a NUL byte; save it as UTF-8 text"
        )
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - raw.rfind(b"\n", 0, exc.start)
        return None, LoadProblem(
            "DATA001", line, column, f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8"
        )


_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


def load_bytes(raw: bytes, path: str, max_bytes: int = MAX_BYTES) -> Document:
    doc = Document(path=path)
    if len(raw) > max_bytes:
        doc.problems.append(
            LoadProblem("DATA001", 1, 1, f"file is {len(raw):,} bytes, over the {max_bytes:,}-byte limit; split it")
        )
        return doc
    text, problem = _decode(raw)
    if problem is not None or text is None:
        doc.problems.append(problem or LoadProblem("DATA001", 1, 1, "file cannot be decoded"))
        return doc
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        column = control.start() - text.rfind("\n", 0, control.start())
        doc.problems.append(
            LoadProblem(
                "DATA001", line, column, f"control character U+{ord(control.group()):04X} is not allowed in YAML"
            )
        )
        return doc
    try:
        compose(text, doc)
    except ComposeError as exc:
        doc.data = None
        doc.problems.append(LoadProblem("DATA001", exc.line, exc.column, exc.message))
    except yaml.MarkedYAMLError as exc:
        doc.data = None
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and "end of stream" in (exc.problem or ""):
            # An unclosed quote or bracket: point at where it was opened, not at the end of the file.
            mark = exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(part for part in (exc.context, exc.problem) if part) or "invalid YAML"
        source_line = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
        if "\t" in source_line[: len(source_line) - len(source_line.lstrip())] or "found character '\\t'" in what:
            what += " (a tab is used for indentation; indent with spaces)"
        else:
            opened = exc.context_mark.line + 1 if exc.context_mark is not None else line
            what += _hint(what, line, opened)
        doc.problems.append(LoadProblem("DATA001", line, col, f"YAML syntax: {what}"))
    except yaml.YAMLError as exc:
        doc.data = None
        doc.problems.append(LoadProblem("DATA001", 1, 1, f"YAML syntax: {str(exc).splitlines()[0]}"))
    return doc


# PyYAML's wording, and what usually causes it, said the way a reader of the file would look for it.
_HINTS = (
    (
        "mapping values are not allowed",
        "a value holding ': ' needs quotes, or line {line} is indented deeper than its siblings",
    ),
    ("could not find expected ':'", "a line lacks 'key: value'; a wrapped value needs quotes or '>-'"),
    ("expected <block end>", "line {line} does not line up with the lines above it; check its indentation"),
    ("quoted scalar", "a quote opened on line {opened} is never closed"),
    ("flow sequence", "a '[' opened on line {opened} is never closed, or a ',' is missing"),
    ("flow mapping", "a '{{' opened on line {opened} is never closed, or a ',' is missing"),
    ("did not find expected key", "line {line} starts a key at the wrong indentation, or a list item lacks '- '"),
)


def _hint(what: str, line: int, opened: int) -> str:
    for needle, hint in _HINTS:
        if needle in what:
            return f" (likely: {hint.format(line=line, opened=opened)})"
    return ""


def load_file(file: Path, path: str, max_bytes: int = MAX_BYTES, root: Path | None = None) -> Document:
    """Load `file` (shown as `path` in findings). A missing file is a document that does not exist.

    Only a regular file is read, and no more than `max_bytes` of it whatever its reported size (a
    device reports 0); with `root`, a symlink whose target leaves the root is refused.
    """

    def refused(why: str) -> Document:
        doc = Document(path=path)
        doc.problems.append(LoadProblem("DATA001", 1, 1, why))
        return doc

    if root is not None and file.is_symlink():
        try:
            file.resolve().relative_to(root.resolve())
        except (ValueError, OSError, RuntimeError):
            return refused("file is a symlink to a file outside the tracker; commit the file itself")
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer before it can be refused.
        with os.fdopen(os.open(file, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return refused("file is not a regular file (a device, FIFO or socket); commit a YAML file")
            raw = handle.read(max_bytes + 1)
    except FileNotFoundError:
        return Document(path=path, exists=False)
    except OSError as exc:
        return refused(f"file cannot be read: {exc.strerror or exc}")
    if len(raw) > max_bytes:
        return refused(f"file is over the {max_bytes:,}-byte limit; split it")
    return load_bytes(raw, path, max_bytes)
