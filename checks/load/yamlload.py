"""Safe YAML loading that keeps a line and column for every value.

Bytes are checked (size, encoding, control characters) here; `checks.load.compose` turns the
text into values. The document types and limits are re-exported so importers need only this module.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from checks.load.compose import MAX_ALIASES, MAX_DEPTH, MAX_EXPANDED_VALUES, ComposeError, compose
from checks.load.document import Document, LoadProblem, Pointer
from checks.load.files import Refusal, Unreadable, read_regular

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
        said = " ".join(part for part in (exc.context, exc.problem) if part) or "invalid YAML"
        opened = exc.context_mark.line + 1 if exc.context_mark is not None else line
        cause = _cause(said, text.splitlines(), line, col, opened)
        # The likely cause first, in the file's terms; the parser's own words after it, for searching.
        what = f"{cause} (the parser says: {said})" if cause else said
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
    (
        "could not find expected ':'",
        "line {opened} lacks 'key: value'; if it continues the line above, a wrapped value needs quotes or '>-'",
    ),
    ("expected <block end>", "line {line} does not line up with the lines above it; check its indentation"),
    ("quoted scalar", "a quote opened on line {opened} is never closed"),
    ("flow sequence", "a '[' opened on line {opened} is never closed, or a ',' is missing"),
    ("flow mapping", "a '{{' opened on line {opened} is never closed, or a ',' is missing"),
    ("did not find expected key", "line {line} starts a key at the wrong indentation, or a list item lacks '- '"),
    (
        "expected '-' indicator",
        "line {line} sits at the indentation of a list but does not start with '- '; make it an item, or "
        "indent it like the key that holds the list",
    ),
)


def _key_column(text: str) -> int:
    """Where a line's key starts: after its indentation and any '- ' list markers."""
    stripped = text.lstrip(" ")
    column = len(text) - len(stripped)
    while stripped.startswith("- "):
        rest = stripped[2:].lstrip(" ")
        column += len(stripped) - len(rest)
        stripped = rest
    return column


def _cause(raw: str, lines: list[str], line: int, col: int, opened: int) -> str:
    """The likely cause of a syntax error, naming the line to look at; "" when there is no good guess."""
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in here[: len(here) - len(here.lstrip())] or "found character '\\t'" in raw:
        return f"line {line} is indented with a tab; YAML indents with spaces only"
    before = here[: col - 1].rstrip()
    if ("expected <block end>" in raw or "did not find expected key" in raw) and before.endswith(("'", '"')):
        return f"text follows a closing quote on line {line}; put the whole value inside the quotes"
    stray = here[col - 1] if 0 < col <= len(here) else ""
    if ("expected <block end>" in raw or "did not find expected key" in raw) and stray in ("]", "}"):
        return f"the {stray!r} on line {line} closes nothing; remove it or add its opening bracket"
    if "cannot start any token" in raw and stray:
        return f"a plain value cannot start with {stray!r} (line {line}); put the value in quotes"
    if "unknown escape character" in raw:
        return (
            f"a backslash in double quotes starts an escape (line {line}); use single quotes, or double the backslash"
        )
    if "mapping values are not allowed" in raw:
        above = next((t for t in reversed(lines[: line - 1]) if t.strip() and not t.lstrip().startswith("#")), None)
        if above is not None and _key_column(here) > _key_column(above) and not above.rstrip().endswith(":"):
            return (
                f"line {line} is indented deeper than the line above it ({_key_column(here)} spaces, not "
                f"{_key_column(above)}); line it up with its siblings"
            )
        key, sep, value = here[_key_column(here) :].partition(": ")
        if sep and ": " in value and '"' not in value:
            return f"a value holding ': ' needs quotes: on line {line}, write {key}: \"{value.strip()}\""
    for needle, hint in _HINTS:
        if needle in raw:
            return hint.format(line=line, opened=opened)
    return ""


_ADVICE = {
    Refusal.OUTSIDE: "commit the file itself",
    Refusal.SPECIAL: "commit a YAML file",
    Refusal.FOLDER: "commit a YAML file",
    Refusal.TOO_LARGE: "split it",
}


def load_file(file: Path, path: str, max_bytes: int = MAX_BYTES, root: Path | None = None) -> Document:
    """Load `file` (shown as `path` in findings). A missing file is a document that does not exist.

    Only a regular file is read, and no more than `max_bytes` of it whatever its reported size (a
    device reports 0); with `root`, a file that resolves outside the root (through a symlink of its
    own or of a folder above it) is refused.
    """

    def refused(why: str) -> Document:
        doc = Document(path=path)
        doc.problems.append(LoadProblem("DATA001", 1, 1, why))
        return doc

    try:
        raw = read_regular(file, max_bytes, within=root)
    except Unreadable as exc:
        what = "is a symlink to a file outside the tracker" if exc.refusal is Refusal.OUTSIDE else str(exc)
        return refused(f"file {what}; {_ADVICE.get(exc.refusal, 'commit a readable YAML file')}")
    if raw is None:
        return Document(path=path, exists=False)
    return load_bytes(raw, path, max_bytes)
