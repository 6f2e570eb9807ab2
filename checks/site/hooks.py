"""MkDocs hooks: one generated page per invariant, listed in the navigation.

The pages hold no data, only a macro call; the invariant's title and content come escaped from
the macro. Only ids of the form INV-NN become pages, so no data string ever becomes a file name.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

from checks.load.workspace import DATA_FILES
from checks.load.yamlload import load_file
from checks.model import build_invariants
from checks.model.ids import INVARIANT_ID

_ID = re.compile(INVARIANT_ID)


def _ids(config: Any) -> list[str]:
    # Only the invariants file is needed here; the full check runs once, in the macros module.
    doc = load_file(Path(config["config_file_path"]).parent / DATA_FILES["invariants"], DATA_FILES["invariants"])
    return sorted({i.id for i in build_invariants(doc) if _ID.match(i.id)})


def on_config(config: Any) -> Any:
    nav = config.get("nav")
    if isinstance(nav, list):
        for entry in nav:
            if isinstance(entry, dict) and "Invariants" in entry and isinstance(entry["Invariants"], list):
                keep = [e for e in entry["Invariants"] if not (isinstance(e, str) and _ID.match(Path(e).stem))]
                entry["Invariants"] = keep + [f"invariants/{i}.md" for i in _ids(config)]
    return config


def on_files(files: Files, config: Any) -> Files:
    for ident in _ids(config):
        src = f"invariants/{ident}.md"
        if files.get_file_from_path(src) is not None:
            continue
        content = f"---\nrender_macros: true\nhide: [toc]\n---\n# {ident}\n\n{{{{ invariant_page('{ident}') }}}}\n"
        files.append(File.generated(config, src, content=content))
    return files


# Only these pages may render macros: the dashboard, whose text is ours and whose data comes escaped
# from the report. Any other page is text, whatever its front matter says (a docs page in a pull
# request must not become a template that runs code at build time).
DASHBOARD_PAGES = (
    "index.md",
    "exceptions.md",
    "drift.md",
    "guards.md",
    "evidence.md",
    "history.md",
    "rules.md",
    "invariants/*.md",
    "adr/0007-spacetime-only-sync-transport.md",
)
_RENDER_MACROS = re.compile(r"^(\s*render_macros\s*:\s*)\S+\s*$", re.M)
_ACTIVE = re.compile(
    r"<\s*(/?\s*(?:script|iframe|object|embed|base|meta|form)\b)"  # elements that run, frame or redirect
    r"|\bon[a-z]+\s*=(?=\s*[\"'\w])"  # event handler attributes
    r"|javascript\s*:",  # script URLs
    re.I,
)


def _dashboard(src_uri: str) -> bool:
    from fnmatch import fnmatchcase

    return any(fnmatchcase(src_uri, pattern) for pattern in DASHBOARD_PAGES)


def on_page_read_source(page: Any, config: Any) -> str | None:
    """Turn off `render_macros` in the front matter of any page that is not a dashboard page."""
    if page.file.generated_by or _dashboard(page.file.src_uri):
        return None
    try:
        text = Path(page.file.abs_src_path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, TypeError):
        return None
    if not text.startswith("---"):
        return text
    end = text.find("\n---", 3)
    if end < 0:
        return text
    return _RENDER_MACROS.sub(r"\1false", text[:end]) + text[end:]


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Raw HTML that could run script is shown as text on any page that is not a dashboard page."""
    if page.file.generated_by or _dashboard(page.file.src_uri):
        return markdown
    return _ACTIVE.sub(lambda m: m.group(0).replace("<", "&lt;").replace(":", "&#58;").replace("=", "&#61;"), markdown)
