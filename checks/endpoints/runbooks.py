"""Endpoints and repository files that active markdown docs tell an operator to use.

An endpoint is a path under one of the program's prefixes (in inline code, fenced blocks, curl or
httpie command lines and links) or any path in an explicit `METHOD /path` form. File paths such as
`apps/runtime/src/lib.rs` or `/tmp/out` are not endpoints. The scanner works line by line with
bounded regexes, so pathological markdown (deep nesting, huge lines, unterminated fences) costs
linear time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from checks.endpoints.normalize import METHODS

MAX_DOC_BYTES = 8 * 1024 * 1024
MAX_LINE = 20_000  # characters of one line that are scanned; the rest of a huge line is ignored

_PATH_CHARS = r"[A-Za-z0-9._~!$&'*+,;=:@%/{}<>\-]"
_METHOD_LINE = re.compile(r"(?:^|[\s`>|])(" + "|".join(METHODS) + r")\s+((?:https?://[^\s`/]+)?/" + _PATH_CHARS + r"*)")
_URL = re.compile(r"\b(?:https?|wss?)://[^\s`'\"()\[\]]+")
_BARE_PATH = re.compile(r"(?<![\w.~/:-])(/" + _PATH_CHARS + r"+)")
_INLINE_CODE = re.compile(r"(`+)(.+?)\1")
_LINK = re.compile(r"\[[^\]\n]{0,500}\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# A fence marked as an example ("```bash example", "``` { .http .example }"): what it names is
# illustration, not instruction, so neither its endpoints nor its file references are checked.
_EXAMPLE_WORDS = frozenset({"example", ".example", "gates:example"})
# A command word at the start of a shell command, followed by a space (so "https://" is not httpie).
_CURL = re.compile(r"(?:^|[\s;&|(`$>])(curl|http|https|xh|wget)(?=\s)")
_CURL_METHOD = re.compile(r"(?:-X|--request)\s*['\"]?([A-Za-z]+)")
_HTTPIE_METHOD = re.compile(r"\b(?:https?|xh)\s+(?:--?[\w-]+(?:=\S+)?\s+)*(" + "|".join(METHODS) + r")\b")
_SUPPRESS = re.compile(
    r"<!--\s*gates:\s*ignore\s+([A-Z]+[0-9]{3}(?:\s*,\s*[A-Z]+[0-9]{3})*)(?:\s+reason\s*=\s*\"([^\"]*)\")?\s*-->"
)
# A repository path named in inline code: a file with an extension, a well-known extension-less file
# (Dockerfile, Makefile…), or a folder written with its trailing slash.
_FILE_LIKE = re.compile(
    r"^(?!/)(?![a-z][a-z0-9+.-]*:)[A-Za-z0-9_.\-]+(?:/[A-Za-z0-9_.\-]+)*"
    r"/(?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-]\.[A-Za-z0-9]{1,8}|Dockerfile|Makefile|Procfile|Justfile|LICENSE|CODEOWNERS)?$"
)
_RETIRED = re.compile(
    r"\b(?:retired|removed|deleted|deprecated|prohibited|decommissioned|no longer|must not|do not use|never use)\b"
    r"|\b404\b",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?)'\""


@dataclass(frozen=True, order=True)
class EndpointRef:
    doc: str
    line: int
    column: int
    path: str
    method: str
    context: str  # inline, fence, command, link, method-line
    host: str = ""  # the host when the reference was a full URL
    # The line says the endpoint is gone ("retired", "removed", "must not be used", "returns 404"):
    # naming a retired endpoint to say so is not prescribing it.
    retired: bool = False


@dataclass(frozen=True, order=True)
class FileRef:
    doc: str
    line: int
    column: int
    target: str
    kind: str  # link or inline


@dataclass(frozen=True)
class FileResolution:
    """Where a file reference lands in one tree (see `checks.endpoints.doc_refs.resolve_file`)."""

    exists: bool  # the target exists
    inside: bool = True  # links: the target stays inside the tree
    folder: bool = True  # named paths: the tree holds the target's first folder (else it names another tree)


@dataclass(frozen=True)
class DocSuppression:
    doc: str
    line: int  # line the comment is on
    codes: tuple[str, ...]
    reason: str

    def covers(self, code: str, line: int) -> bool:
        return code in self.codes and line in (self.line, self.line + 1)


@dataclass
class RunbookScan:
    docs: list[str] = field(default_factory=list)
    endpoints: list[EndpointRef] = field(default_factory=list)
    files: list[FileRef] = field(default_factory=list)
    suppressions: list[DocSuppression] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    # Include patterns that name an absent source (its runbooks are unchecked), match no file, or
    # try to leave their root: (pattern, why).
    unchecked: list[tuple[str, str]] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    # File references of docs replayed from a source's record, resolved when it was recorded.
    resolved: dict[FileRef, FileResolution] = field(default_factory=dict)

    def suppression_for(self, code: str, doc: str, line: int) -> DocSuppression | None:
        return next((s for s in self.suppressions if s.doc == doc and s.covers(code, line)), None)


def _clean(path: str) -> str:
    path = path.rstrip(_TRAILING)
    # `<https://host/x>` autolinks: drop a closing bracket that opens nowhere in the path.
    while path.endswith(">") and path.count(">") > path.count("<"):
        path = path[:-1].rstrip(_TRAILING)
    return path


def _under(path: str, prefixes: tuple[str, ...]) -> bool:
    return any(path == p.rstrip("/") or path.startswith(p if p.endswith("/") else p + "/") for p in prefixes)


def _url_path(url: str) -> str:
    rest = url.split("://", 1)[1]
    slash = rest.find("/")
    return rest[slash:] if slash >= 0 else "/"


def _url_host(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[0].rsplit("@", 1)[-1].lower()


_LOCAL_HOST = re.compile(r"^(?:localhost|127\.[0-9.]+|\[::1\]|0\.0\.0\.0)(?::\S*)?$")
# One placeholder token: $HOST, ${API_HOST}, <host>, {hostname}.
_PLACEHOLDER = re.compile(r"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|<[^<>/]+>|\{[^{}/]+\}")


def program_host(host: str, hosts: tuple[str, ...]) -> bool:
    """Whether a URL's host is one the program's services answer on (or a placeholder for one).

    A host that is only a placeholder (`$HOST`, `${API_HOST}:8080`, `<host>`) stands for the
    program's own. One with literal parts around a placeholder (`{region}.vendor.example`) is
    resolved against the program's hosts, the placeholder matching any one name: another vendor's
    URL template is not the program's because it has a placeholder in it.
    """
    from checks.scan.globs import matches

    if not host or _LOCAL_HOST.match(host):
        return True
    bare = host.split(":", 1)[0] if not host.startswith("[") else host
    if _PLACEHOLDER.search(bare):
        if not _PLACEHOLDER.sub("", bare).strip("."):
            return True
        candidate = _PLACEHOLDER.sub("placeholder", bare)
        return any(matches(candidate, pattern) for pattern in hosts)
    return any(matches(bare, pattern) for pattern in hosts)


def _command_method(line: str) -> str:
    m = _CURL_METHOD.search(line)
    if m and m.group(1).upper() in METHODS:
        return m.group(1).upper()
    m = _HTTPIE_METHOD.search(line)
    if m:
        return m.group(1)
    if re.search(r"(?:^|\s)(?:-d|--data(?:-raw|-binary|-urlencode)?|--json|-F|--form)\b", line):
        return "POST"
    return "ANY"


def extract_line(
    doc: str, lineno: int, line: str, in_fence: bool, prefixes: tuple[str, ...], scan: RunbookScan
) -> None:
    line = line[:MAX_LINE]
    # The words around the endpoint decide, not a path segment that happens to read "removed".
    retired = bool(_RETIRED.search(re.sub(r"/\S+", " ", _URL.sub(" ", _INLINE_CODE.sub(" ", line)))))
    found: dict[int, EndpointRef] = {}

    def add(column: int, path: str, method: str, context: str, host: str = "") -> None:
        path = _clean(path.split("#", 1)[0].split("?", 1)[0])
        if len(path) < 2 or column in found:
            return
        found[column] = EndpointRef(doc, lineno, column, path, method, context, host, retired)

    is_command = bool(_CURL.search(line)) and ("://" in line or " /" in line)
    command_method = _command_method(line) if is_command else "ANY"
    for m in _METHOD_LINE.finditer(line):
        target = m.group(2)
        path = _url_path(target) if "://" in target else target
        add(m.start(2) + 1, path, m.group(1), "method-line", _url_host(target) if "://" in target else "")
    urls = [(m.start(), m.end()) for m in _URL.finditer(line)]

    def in_url(column: int) -> bool:
        # One mention, one finding: the path inside a URL is the URL's, not a second endpoint.
        return any(start < column - 1 < end for start, end in urls)

    for m in _URL.finditer(line):
        url = _clean(m.group(0))
        path = _url_path(url)
        if _under(path, prefixes):
            context = "command" if is_command else ("fence" if in_fence else "link")
            add(m.start() + 1, path, command_method, context, _url_host(url))
    if in_fence:
        for m in _BARE_PATH.finditer(line):
            if _under(_clean(m.group(1)), prefixes) and not in_url(m.start(1) + 1):
                add(m.start(1) + 1, m.group(1), command_method, "command" if is_command else "fence")
        scan.endpoints.extend(found[c] for c in sorted(found))
        return
    for m in _INLINE_CODE.finditer(line):
        code = m.group(2).strip()
        offset = m.start(2) + (len(m.group(2)) - len(m.group(2).lstrip()))
        for p in _BARE_PATH.finditer(code):
            if _under(_clean(p.group(1)), prefixes):
                add(
                    offset + p.start(1) + 1,
                    p.group(1),
                    _command_method(code) if _CURL.search(code) else "ANY",
                    "inline",
                )
        if _FILE_LIKE.match(code):
            scan.files.append(FileRef(doc, lineno, offset + 1, code, "inline"))
    for m in _LINK.finditer(line):
        target = m.group(1)
        if target.startswith("/") and _under(_clean(target.split("#")[0]), prefixes):
            add(m.start(1) + 1, target, "ANY", "link")
        elif not re.match(r"^[a-z][a-z0-9+.-]*:", target) and not target.startswith(("#", "/")):
            scan.files.append(FileRef(doc, lineno, m.start(1) + 1, target, "link"))
    scan.endpoints.extend(found[c] for c in sorted(found))


def is_example_fence(info: str) -> bool:
    """Whether a fence's info string marks the block as an example."""
    return not _EXAMPLE_WORDS.isdisjoint(re.split(r"[\s{}]+", info.strip().lower()))


def scan_text(doc: str, text: str, prefixes: tuple[str, ...], scan: RunbookScan) -> None:
    fence: str | None = None
    example = False
    in_comment = False
    comment_opened = 0
    for lineno, line in enumerate(text.splitlines(), start=1):
        if len(line) > MAX_LINE:
            # Fail closed: what lies past the limit is not checked, so say so rather than pass it.
            scan.unreadable.append((doc, f"line {lineno} is over {MAX_LINE:,} characters; its rest is not checked"))
        for m in _SUPPRESS.finditer(line[:MAX_LINE]):
            codes = tuple(c.strip() for c in m.group(1).split(","))
            scan.suppressions.append(DocSuppression(doc, lineno, codes, (m.group(2) or "").strip()))
        fence_match = _FENCE.match(line)
        if fence_match:
            marker = fence_match.group(1)
            if fence is None:
                fence = marker
                example = is_example_fence(line.strip()[len(marker) :])
                continue
            if marker[0] == fence[0] and len(marker) >= len(fence) and not line.strip()[len(marker) :].strip():
                fence = None
                continue
        if fence is not None and example:
            continue
        if fence is None:
            # Skip prose inside HTML comments (suppression comments included).
            if in_comment:
                if "-->" in line:
                    in_comment = False
                continue
            if "<!--" in line and "-->" not in line.split("<!--", 1)[1]:
                in_comment, comment_opened = True, lineno
                line = line.split("<!--", 1)[0]
            line = re.sub(r"<!--.*?-->", lambda m: " " * len(m.group(0)), line)
        extract_line(doc, lineno, line, fence is not None, prefixes, scan)
    if in_comment:
        scan.unreadable.append(
            (doc, f"an HTML comment opened on line {comment_opened} is never closed; the rest is not checked")
        )
