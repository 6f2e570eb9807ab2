"""Material's search plugin indexes a lighter copy of each page; the page itself keeps everything.

The plugin parses each page's HTML with the standard library's parser, the slowest part of a big
build. Much of what it parses it then throws away:

- bulk tables (see checks.site.html.table): marked `data-search-exclude`, so their text is skipped,
  but only after every tag of them has been parsed;
- inline markup the index drops anyway: `<span>` and `<wbr>` (identifier segments, badges). The
  index keeps text and a few block tags (p, code, pre, lists), never these.

So the plugin's indexing step is given the page with those removed, and the page's own content is
put back before anything else reads it. The index comes out the same (a test compares it with an
index of the full pages), and the page the reader gets is unchanged.
"""

from __future__ import annotations

import re
from typing import Any

_BULK = re.compile(r'<div class="gates-scroll" data-search-exclude>.*?</table></div>', re.S)
_INLINE = re.compile(r"</?span\b[^>]*>|<wbr\s*/?>")


def search_view(html: str) -> str:
    """The page as the search index needs it: no bulk tables, no inline markup the index drops."""
    if "data-search-exclude" in html:
        html = _BULK.sub("", html)
    return _INLINE.sub("", html)


def index_light_pages(config: Any) -> bool:
    """Have the search plugin of this build index `search_view` copies; False when there is no such plugin.

    Wraps the plugin's per-page indexing call (`search_index.add_entry_from_context`, made afresh on
    each build's config), so the swap lasts exactly as long as that call.
    """
    plugin = next((p for name, p in config["plugins"].items() if name in ("material/search", "search")), None)
    index = getattr(plugin, "search_index", None)
    add = getattr(index, "add_entry_from_context", None)
    if index is None or add is None or getattr(add, "gates_light", False):
        return False

    def add_light(page: Any) -> None:
        full = page.content
        page.content = search_view(full or "")
        try:
            add(page)
        finally:
            page.content = full

    add_light.gates_light = True  # type: ignore[attr-defined]
    add_light.__wrapped__ = add  # type: ignore[attr-defined]
    index.add_entry_from_context = add_light
    return True
