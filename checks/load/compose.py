"""Build plain values from the YAML parser's event stream, recording locations and enforcing every limit.

The loader builds plain Python values directly from the parser's event stream instead of
composing a node graph: that keeps memory and time bounded on hostile input (no recursion, so
deep nesting cannot overflow a stack; aliases are shared, never copied, and their expanded size
is counted), and it lets every limit fail as a finding at the offending line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.resolver import Resolver

from checks.load.document import Document, LoadProblem, Pointer

MAX_DEPTH = 64
# Expanded size: every value counts once for each path that reaches it through aliases.
MAX_EXPANDED_VALUES = 1_000_000
MAX_ALIASES = 1_000
# Nodes actually built (keys, values, lists and mappings): each costs memory for its value and its
# location, so a file of a few megabytes of `[1,1,1,...]` must stop long before it costs a gigabyte.
# The largest real data files hold well under a tenth of this.
MAX_NODES = 500_000

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


class ComposeError(Exception):
    """A limit or a disallowed construct, reported as DATA001 at its line and column."""

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
        raise ComposeError(line, col, f"tag {tag!r} is not allowed; only plain YAML scalars, lists and mappings")
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
        raise ComposeError(line, col, f"value {event.value!r} cannot be read as {tag.rsplit(':', 1)[-1]}") from exc


def _check_collection_tag(event: Any, expected: str) -> None:
    if event.tag not in (None, "!", expected):
        line, col = _mark(event)
        raise ComposeError(line, col, f"tag {event.tag!r} is not allowed; only plain YAML scalars, lists and mappings")


def compose(text: str, doc: Document) -> None:
    """Turn the event stream into values, recording locations and enforcing every limit."""
    stack: list[_Frame] = []
    anchors: dict[str, tuple[Any, int]] = {}
    aliases = 0
    expanded = 0
    nodes = 0
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
            raise ComposeError(mark[0], mark[1], "mapping keys must be plain scalars")
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
                    pointer,
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
            raise ComposeError(mark[0], mark[1], "mapping keys must be plain scalars")
        return (*top.pointer, top.pending_key)

    for event in yaml.parse(text, Loader=_PARSER):
        if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            nodes += 1
            if nodes > MAX_NODES:
                line, col = _mark(event)
                raise ComposeError(line, col, f"file holds more than {MAX_NODES:,} keys and values; split it")
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                line, col = _mark(event)
                raise ComposeError(line, col, "file holds more than one YAML document; keep one")
            continue
        if isinstance(event, yaml.ScalarEvent):
            mark = _mark(event)
            if stack and isinstance(stack[-1].container, dict) and stack[-1].pending_key is None:
                # A mapping key: keep the raw text so `yes:` or `1:` stays the key the author typed.
                if event.tag not in (None, "!", _STR):
                    raise ComposeError(mark[0], mark[1], f"tag {event.tag!r} is not allowed on a key")
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
                raise ComposeError(
                    mark[0],
                    mark[1],
                    f"alias *{event.anchor} refers to no complete anchor before it (recursive or undefined)",
                )
            aliases += 1
            value, size = anchors[event.anchor]
            expanded += size
            if aliases > MAX_ALIASES:
                raise ComposeError(mark[0], mark[1], f"more than {MAX_ALIASES:,} aliases; write the values out")
            if expanded > MAX_EXPANDED_VALUES:
                raise ComposeError(
                    mark[0], mark[1], f"aliases expand past {MAX_EXPANDED_VALUES:,} values; write the values out"
                )
            if stack and isinstance(stack[-1].container, dict) and stack[-1].pending_key is None:
                raise ComposeError(mark[0], mark[1], "mapping keys must be plain scalars, not aliases")
            place(value, mark, size)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            mark = _mark(event)
            is_map = isinstance(event, yaml.MappingStartEvent)
            _check_collection_tag(event, _MAP if is_map else _SEQ)
            if len(stack) >= MAX_DEPTH:
                raise ComposeError(mark[0], mark[1], f"nesting is deeper than {MAX_DEPTH} levels")
            pointer = child_pointer(mark)
            container: dict[str, Any] | list[Any] = {} if is_map else []
            stack.append(_Frame(container, pointer, event.anchor))
            doc.locations.setdefault(pointer, mark)
            expanded += 1
            if expanded > MAX_EXPANDED_VALUES:
                raise ComposeError(mark[0], mark[1], f"file holds more than {MAX_EXPANDED_VALUES:,} values")
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
