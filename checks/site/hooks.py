"""MkDocs hooks: one generated page per invariant with its tags, and endpoint badges on runbook pages.

The pages hold no data, only a macro call; the invariant's title and content come escaped from
the macro. Only ids of the form INV-NN become pages, so no data string ever becomes a file name.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from checks.load.workspace import DATA_FILES
from checks.load.yamlload import load_file
from checks.model import build_invariants
from checks.model.ids import INVARIANT_ID
from checks.site.dashboard import Dashboard
from checks.site.lookup import lookup
from checks.site.macros import build_report, html_block, report_for, restore_blocks
from checks.site.pages.runbooks import runbook_page
from checks.site.pages.view import View
from checks.site.sanitize import sanitise
from checks.site.search_view import index_light_pages

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


def on_pre_build(config: Any) -> None:
    """Make the report current once per build (a rebuild under `mkdocs serve` re-reads changed data);
    the page hooks then use it as is (`build_report`)."""
    report_for(Path(config["config_file_path"]).parent)
    index_light_pages(config)


# Every page renders the whole navigation: with one entry per invariant in it, a program of n
# invariants costs n x n entries. Past this many, the invariant pages are left out of the navigation
# (configured or generated); they are still built, and linked from the invariants table. Any other
# section with more pages than this (a folder of generated runbooks, say) keeps only its index page.
MAX_NAV_INVARIANTS = 50
MAX_NAV_SECTION_PAGES = 50
# The tags page has one heading per tag, and its search indexing looks each heading up in the page's
# table of contents (quadratic). Past this many open exceptions in the program, a waived invariant is
# tagged `exceptions: open` rather than once per exception (the exceptions page lists them all).
MAX_EXCEPTION_TAGS = 50


def _invariant_page(item: Any) -> bool:
    file = getattr(item, "file", None)
    return file is not None and bool(
        re.fullmatch(r"invariants/[^/]+\.md", file.src_uri) and _ID.fullmatch(Path(file.src_uri).stem)
    )


def _is_page(item: Any) -> bool:
    return getattr(item, "file", None) is not None


def _index_page(item: Any) -> bool:
    return _is_page(item) and Path(item.file.src_uri).stem in ("index", "README")


def _is_section(item: Any) -> bool:
    return isinstance(getattr(item, "children", None), list)


def _prune(items: list[Any], top: bool = True) -> list[Any]:
    for item in items:
        if _is_section(item):
            item.children = _prune(item.children, top=False)
    items = [i for i in items if not _is_section(i) or i.children]  # a section left with nothing goes too
    if sum(_invariant_page(i) for i in items) > MAX_NAV_INVARIANTS:
        items = [i for i in items if not _invariant_page(i)]
    if not top and sum(_is_page(i) for i in items) > MAX_NAV_SECTION_PAGES:
        # The pages are still built and linked from where they are named; the section keeps its index.
        items = [i for i in items if not _is_page(i) or _index_page(i)]
    return items


def on_nav(nav: Any, config: Any, files: Any) -> Any:
    nav.items = _prune(nav.items)
    return nav


def _generated_body(ident: str) -> str:
    return f"# {ident}\n\n{{{{ invariant_page('{ident}') }}}}\n"


def on_files(files: Files, config: Any) -> Files:
    for ident in _ids(config):
        src = f"invariants/{ident}.md"
        if files.get_file_from_path(src) is not None:
            continue
        content = f"---\nrender_macros: true\nhide: [toc]\n---\n{_generated_body(ident)}"
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
_ACTIVE = re.compile(
    r"<\s*(/?\s*(?:script|iframe|object|embed|base|meta|form)\b)"  # elements that run, frame or redirect
    r"|\bon[a-z]+\s*=(?=\s*[\"'\w])"  # event handler attributes
    r"|javascript\s*:",  # script URLs
    re.I,
)


def _dashboard(src_uri: str) -> bool:
    from fnmatch import fnmatchcase

    return any(fnmatchcase(src_uri, pattern) for pattern in DASHBOARD_PAGES)


def _text_page(page: Any) -> bool:
    """A page that is not ours: no macros, no script."""
    return not (page.file.generated_by or _dashboard(page.file.src_uri))


# Material renders tag names unescaped: a tag is made only of characters that are inert in HTML.
_SAFE_TAG = re.compile(r"[\w@:./+ -]{1,80}")


def tag_for(kind: str, value: str) -> str | None:
    """`kind: value` (or the value alone when it already starts with `kind:`); None unless it is inert text."""
    tag = value if value.startswith(kind + ":") else f"{kind}: {value}"
    return tag if value and _SAFE_TAG.fullmatch(tag) else None


def invariant_tags(root: Path, invariant_id: str) -> list[str]:
    """An invariant page's tags: owner, posture, status today, open exceptions (a value with markup makes none)."""
    index = lookup(build_report(root)[0])
    status, inv = index.status.get(invariant_id), index.invariant.get(invariant_id)
    if status is None or inv is None:
        return []
    tags = [tag_for("owner", inv.owner), tag_for("posture", inv.posture), tag_for("status", str(status.status))]
    waived = [s.id for s in index.exceptions.get(invariant_id, []) if s.waiver.active]
    if len(index.open_exceptions) <= MAX_EXCEPTION_TAGS:
        # An open exception against it: the tag lists every invariant one exception reaches.
        tags += [tag_for("exception", ident) for ident in waived]
    elif waived:
        tags.append("exceptions: open")
    return [t for t in tags if t]


# The macros plugin renders in its own `on_page_markdown`, at the default priority, reading
# `page.meta["render_macros"]` (and failing the build on a truthy `ignore_macros`). This runs first.
@event_priority(100)
def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Invariant pages get their tags; raw HTML that could run script is shown as text on non-dashboard pages."""
    stem = Path(page.file.src_uri).stem
    if page.file.src_uri == f"invariants/{stem}.md" and _ID.fullmatch(stem):
        # Set before Material's tags plugin reads the page's meta (it runs later, at priority -50).
        page.meta["tags"] = invariant_tags(Path(config["config_file_path"]).parent, stem)
        if markdown.strip() == _generated_body(stem).strip() and "macros" in config["plugins"]:
            # A generated invariant page is one macro call: made here, it spares the macros plugin a
            # template compile per page (a program of thousands of invariants has thousands of them).
            report, commit = build_report(Path(config["config_file_path"]).parent)
            view = Dashboard(report, commit, "../" * (page.url or "").count("/"))
            page.meta["render_macros"] = False
            return f"# {stem}\n" + html_block(view.invariant_page(stem))
    if not _text_page(page):
        return markdown
    # Whatever spelling the front matter used, the parsed meta is what the macros plugin reads.
    page.meta.pop("ignore_macros", None)
    page.meta["render_macros"] = False
    return _ACTIVE.sub(lambda m: m.group(0).replace("<", "&lt;").replace(":", "&#58;").replace("=", "&#61;"), markdown)


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Macro output goes back in place; a page that is one of the program's runbooks gets a badge beside
    each endpoint it names."""
    html = restore_blocks(html)
    if _text_page(page):
        html = sanitise(html)
    root = Path(config["config_file_path"]).parent.resolve()
    try:
        doc = (Path(config["docs_dir"]).resolve() / page.file.src_uri).relative_to(root).as_posix()
    except ValueError:
        return html  # docs outside the program root are nobody's runbook
    report, commit = build_report(root)
    if doc not in report.ctx.drift.runbooks.docs:
        return html
    return runbook_page(View(report, commit, "../" * (page.url or "").count("/")), doc, html)
