"""Docs are text unless they are dashboard pages: no template rendering by front matter, no script from raw HTML."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import FIXTURES
from tests.sitekit import build_site, prepare_site

EVIL = """---
render_macros: true
---
# A page from a pull request

{{ 7 * 191 }} {{ cycler.__init__.__globals__.os.system('touch PWNED') }}

<script>window.__pwned = 1</script>
<img src="x" onerror="window.__pwned = 2">
<a href="javascript:alert(1)">click</a>
<iframe src="https://example.invalid/"></iframe>
"""


def test_a_docs_page_cannot_opt_into_macros_or_raw_script(tmp_path: Path) -> None:
    root = tmp_path / "program"
    shutil.copytree(FIXTURES / "program", root)
    prepare_site(root)
    (root / "docs" / "evil.md").write_text(EVIL)
    proc = build_site(root, root / "site", "2026-03-10")
    assert proc.returncode == 0, proc.stderr
    assert not (root / "PWNED").exists()
    html = (root / "site" / "evil" / "index.html").read_text()
    assert "1337" not in html and "{{ 7 * 191 }}" in html
    assert "<script>window.__pwned" not in html and "<iframe" not in html.lower()
    assert 'onerror="' not in html and 'href="javascript:' not in html
    # The dashboard itself still renders its macros.
    home = (root / "site" / "index.html").read_text()
    assert 'id="verdict"' in home
