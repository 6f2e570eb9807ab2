"""Safe YAML loading that keeps a line and column for every value.

The loader builds plain Python values directly from the parser's event stream instead of
composing a node graph: that keeps memory and time bounded on hostile input (no recursion, so
deep nesting cannot overflow a stack; aliases are shared, never copied, and their expanded size
is counted), and it lets every limit fail as a finding at the offending line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.resolver import Resolver

Pointer = tuple[str | int, ...]

MAX_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 64
# Expanded size: every value counts once for each path that reaches it through aliases.
MAX_EXPANDED_VALUES = 1_000_000
MAX_ALIASES = 1_000

_PARSER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"
_SAFE_SCALAR_TAGS = {
    _STR,
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    # Dates stay text: the model validates them, so an impossible date is a finding, not a crash.
    "tag:yaml.org,2002:timestamp",
}
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


@dataclass(frozen=True)
class LoadProblem:
    code: str  # DATA001 or DATA002
    line: int
    column: int
    message: str


@dataclass
class Document:
    """One loaded YAML file: its value, where each value sits, and what went wrong."""

    path: str
    data: Any = None
    locations: dict[Pointer, tuple[int, int]] = field(default_factory=dict)
    key_locations: dict[Pointer, tuple[int, int]] = field(default_factory=dict)
    problems: list[LoadProblem] = field(default_factory=list)
    exists: bool = True

    @property
    def readable(self) -> bool:
        """False when the file could not be parsed into a value (DATA001)."""
        return self.exists and not any(p.code == "DATA001" for p in self.problems)

    def loc(self, pointer: Pointer) -> tuple[int, int]:
        """Line and column of the value at `pointer`, or of its nearest located ancestor."""
        current = tuple(pointer)
        while current:
            if current in self.locations:
                return self.locations[current]
            current = current[:-1]
        return self.locations.get((), (1, 1))

    def key_loc(self, pointer: Pointer) -> tuple[int, int]:
        """Line and column of the key that holds `pointer` (falls back to the value)."""
        return self.key_locations.get(tuple(pointer)) or self.loc(pointer)


class _Limit(Exception):
    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


@dataclass
class _Frame:
    container: dict[str, Any] | list[Any]
    pointer: Pointer
    anchor: str | None
    size: int = 1
    pending_key: str | None = None
    pending_key_mark: tuple[int, int] = (0, 0)


_resolver = Resolver()
_constructor = SafeConstructor()


def _mark(event: Any) -> tuple[int, int]:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1)


def _scalar_value(event: Any) -> Any:
    tag = event.tag
    if tag in (None, "!"):
        tag = _resolver.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
    if tag not in _SAFE_SCALAR_TAGS:
        line, col = _mark(event)
        raise _Limit(line, col, f"tag {tag!r} is not allowed; only plain YAML scalars, lists and mappings")
    if tag in (_STR, "tag:yaml.org,2002:timestamp"):
        return event.value
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    try:
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:bool":
            return _constructor.construct_yaml_bool(node)
        if tag == "tag:yaml.org,2002:int":
            return _constructor.construct_yaml_int(node)
        return _constructor.construct_yaml_float(node)
    except (ConstructorError, ValueError) as exc:
        line, col = _mark(event)
        raise _Limit(line, col, f"value {event.value!r} cannot be read as {tag.rsplit(':', 1)[-1]}") from exc


def _check_collection_tag(event: Any, expected: str) -> None:
    if event.tag not in (None, "!", expected):
        line, col = _mark(event)
        raise _Limit(line, col, f"tag {event.tag!r} is not allowed; only plain YAML scalars, lists and mappings")


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
        _compose(text, doc)
    except _Limit as exc:
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
        doc.problems.append(LoadProblem("DATA001", line, col, f"YAML syntax: {what}"))
    except yaml.YAMLError as exc:
        doc.data = None
        doc.problems.append(LoadProblem("DATA001", 1, 1, f"YAML syntax: {str(exc).splitlines()[0]}"))
    return doc


def load_file(file: Path, path: str, max_bytes: int = MAX_BYTES) -> Document:
    """Load `file` (shown as `path` in findings). A missing file is a document that does not exist."""
    try:
        size = file.stat().st_size
        if size > max_bytes:
            doc = Document(path=path)
            doc.problems.append(
                LoadProblem("DATA001", 1, 1, f"file is {size:,} bytes, over the {max_bytes:,}-byte limit; split it")
            )
            return doc
        raw = file.read_bytes()
    except FileNotFoundError:
        return Document(path=path, exists=False)
    except OSError as exc:
        doc = Document(path=path)
        doc.problems.append(LoadProblem("DATA001", 1, 1, f"file cannot be read: {exc.strerror or exc}"))
        return doc
    return load_bytes(raw, path, max_bytes)


def _compose(text: str, doc: Document) -> None:
    """Turn the event stream into values, recording locations and enforcing every limit."""
    stack: list[_Frame] = []
    anchors: dict[str, tuple[Any, int]] = {}
    aliases = 0
    expanded = 0
    documents = 0
    root_set = False

    def place(value: Any, mark: tuple[int, int], size: int) -> None:
        nonlocal root_set
        if not stack:
            doc.data = value
            doc.locations[()] = mark
            root_set = True
            return
        top = stack[-1]
        top.size += size
        if isinstance(top.container, list):
            pointer = (*top.pointer, len(top.container))
            top.container.append(value)
            doc.locations.setdefault(pointer, mark)
            return
        if top.pending_key is None:
            raise _Limit(mark[0], mark[1], "mapping keys must be plain scalars")
        key = top.pending_key
        top.pending_key = None
        pointer = (*top.pointer, key)
        if key in top.container:
            first = doc.key_locations.get(pointer, (0, 0))[0]
            doc.problems.append(
                LoadProblem(
                    "DATA002",
                    top.pending_key_mark[0],
                    top.pending_key_mark[1],
                    f"key {key!r} repeats the key at line {first}; keep one",
                )
            )
            return
        top.container[key] = value
        doc.key_locations[pointer] = top.pending_key_mark
        doc.locations[pointer] = mark

    def child_pointer(mark: tuple[int, int]) -> Pointer:
        if not stack:
            return ()
        top = stack[-1]
        if isinstance(top.container, list):
            return (*top.pointer, len(top.container))
        if top.pending_key is None:
            raise _Limit(mark[0], mark[1], "mapping keys must be plain scalars")
        return (*top.pointer, top.pending_key)

    for event in yaml.parse(text, Loader=_PARSER):
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                line, col = _mark(event)
                raise _Limit(line, col, "file holds more than one YAML document; keep one")
            continue
        if isinstance(event, yaml.ScalarEvent):
            mark = _mark(event)
            if stack and isinstance(stack[-1].container, dict) and stack[-1].pending_key is None:
                # A mapping key: keep the raw text so `yes:` or `1:` stays the key the author typed.
                if event.tag not in (None, "!", _STR):
                    raise _Limit(mark[0], mark[1], f"tag {event.tag!r} is not allowed on a key")
                stack[-1].pending_key = event.value
                stack[-1].pending_key_mark = mark
                continue
            value = _scalar_value(event)
            expanded += 1
            if event.anchor:
                anchors[event.anchor] = (value, 1)
            place(value, mark, 1)
        elif isinstance(event, yaml.AliasEvent):
            mark = _mark(event)
            if event.anchor not in anchors:
                raise _Limit(
                    mark[0],
                    mark[1],
                    f"alias *{event.anchor} refers to no complete anchor before it (recursive or undefined)",
                )
            aliases += 1
            value, size = anchors[event.anchor]
            expanded += size
            if aliases > MAX_ALIASES:
                raise _Limit(mark[0], mark[1], f"more than {MAX_ALIASES:,} aliases; write the values out")
            if expanded > MAX_EXPANDED_VALUES:
                raise _Limit(
                    mark[0], mark[1], f"aliases expand past {MAX_EXPANDED_VALUES:,} values; write the values out"
                )
            if stack and isinstance(stack[-1].container, dict) and stack[-1].pending_key is None:
                raise _Limit(mark[0], mark[1], "mapping keys must be plain scalars, not aliases")
            place(value, mark, size)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            mark = _mark(event)
            is_map = isinstance(event, yaml.MappingStartEvent)
            _check_collection_tag(event, _MAP if is_map else _SEQ)
            if len(stack) >= MAX_DEPTH:
                raise _Limit(mark[0], mark[1], f"nesting is deeper than {MAX_DEPTH} levels")
            pointer = child_pointer(mark)
            container: dict[str, Any] | list[Any] = {} if is_map else []
            stack.append(_Frame(container, pointer, event.anchor))
            doc.locations.setdefault(pointer, mark)
            expanded += 1
            if expanded > MAX_EXPANDED_VALUES:
                raise _Limit(mark[0], mark[1], f"file holds more than {MAX_EXPANDED_VALUES:,} values")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frame = stack.pop()
            if frame.anchor:
                anchors[frame.anchor] = (frame.container, frame.size)
            mark = doc.locations.get(frame.pointer, _mark(event))
            if not stack:
                doc.data = frame.container
                doc.locations[()] = mark
                root_set = True
            else:
                # The location was recorded at the start event; place() must not move it.
                place(frame.container, mark, frame.size)
    if not root_set:
        doc.data = None
