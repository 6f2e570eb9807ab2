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


# Front matter that turns `render_macros` on, in every spelling YAML allows, and `ignore_macros`
# (which the macros plugin refuses with an error that would fail the build).
FRONT_MATTER = {
    "comment": "---\nrender_macros: true # on\n---\n",
    "anchor": "---\nrender_macros: &a true\n---\n",
    "alias": "---\non: &a true\nrender_macros: *a\n---\n",
    "tag": "---\nrender_macros: !!bool true\n---\n",
    "quoted-key": '---\n"render_macros": true\n---\n',
    "flow": "---\n{render_macros: true}\n---\n",
    "merge": "---\n<<: {render_macros: true}\n---\n",
    "complex-key": "---\n? render_macros\n: true\n---\n",
    "dots": "---\nrender_macros: true\n...\n",
    "yes": "---\nrender_macros: yes\n---\n",
    "ignore": "---\nignore_macros: true\n---\n",
    "ignore-and-render": "---\nignore_macros: true\nrender_macros: true\n---\n",
}


def test_no_front_matter_spelling_turns_macros_on(tmp_path: Path) -> None:
    root = tmp_path / "program"
    shutil.copytree(FIXTURES / "program", root)
    prepare_site(root)
    for name, front in FRONT_MATTER.items():
        body = f"# {name}\n\n{{{{ 7 * 191 }}}} {{{{ cycler.__init__.__globals__.os.system('touch PWNED-{name}') }}}}\n"
        (root / "docs" / f"fm-{name}.md").write_text(front + body)
    proc = build_site(root, root / "site", "2026-03-10")
    assert proc.returncode == 0, proc.stderr
    assert not list(root.rglob("PWNED*"))
    for name in FRONT_MATTER:
        html = (root / "site" / f"fm-{name}" / "index.html").read_text()
        assert "1337" not in html and "{{ 7 * 191 }}" in html, name
    assert 'id="verdict"' in (root / "site" / "index.html").read_text()


# Links a browser would follow into script: entity-encoded, tab- or newline-split, or with a
# control character in front, as Markdown links and as raw HTML.
SCRIPT_LINKS = [
    "[a](javascript:alert(1))",
    "[a](&#106;avascript:alert(1))",
    "[a](javascript&colon;alert(1))",
    "[a](<java\tscript:alert(1)>)",
    '<a href="javascript:alert(1)">a</a>',
    '<a href="&#106;avascript:alert(1)">a</a>',
    '<a href="javascript&colon;alert(1)">a</a>',
    '<a href="javascript&#58;alert(1)">a</a>',
    '<a href="java\tscript:alert(1)">a</a>',
    '<a href="java&#x09;script:alert(1)">a</a>',
    '<a href=" &#1;javascript:alert(1)">a</a>',
    "<a href=JaVaScRiPt&colon;alert(1)>a</a>",
    '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">a</a>',
    '<a href="vbscript:msgbox(1)">a</a>',
    '<img src="&#106;avascript:alert(1)">',
    '<svg><a xlink:href="&#106;avascript:alert(1)"><text>a</text></a></svg>',
    '<button formaction="&#106;avascript:alert(1)">a</button>',
    "<a title='>' href='&#106;avascript:alert(1)'>a</a>",
]
SAFE_LINKS = ["[web](https://example.invalid/x)", "[mail](mailto:a@example.invalid)", "[rel](usage.md)", "[top](#top)"]


def test_no_script_url_survives_on_a_docs_page(tmp_path: Path) -> None:
    import html as html_lib
    import re

    root = tmp_path / "program"
    shutil.copytree(FIXTURES / "program", root)
    prepare_site(root)
    (root / "docs" / "usage.md").write_text("# Usage\n")
    (root / "docs" / "links.md").write_text("# Links\n\n" + "\n\n".join(SCRIPT_LINKS + SAFE_LINKS) + "\n")
    proc = build_site(root, root / "site", "2026-03-10")
    assert proc.returncode == 0, proc.stderr
    page = (root / "site" / "links" / "index.html").read_text()
    content = page.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
    tags = re.findall(r"<[a-zA-Z][^<>]*>", content)
    values = [
        re.sub(r"[\x00-\x20\x7f]+", "", html_lib.unescape(next(g for g in m.groups() if g is not None))).lower()
        for tag in tags
        for m in re.finditer(
            r"""(?:href|src|action|formaction|xlink:href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", tag, re.I
        )
    ]
    assert values, content
    unsafe = [v for v in values if re.match(r"[^/?#]*:", v) and not v.startswith(("http:", "https:", "mailto:"))]
    assert not unsafe, unsafe
    assert "https://example.invalid/x" in values and "mailto:a@example.invalid" in values and "../usage/" in values


def test_a_far_expiry_draws_a_saturated_bar(tmp_path: Path) -> None:
    root = tmp_path / "program"
    shutil.copytree(FIXTURES / "program", root)
    data = root / "data" / "exceptions.yaml"
    data.write_text(data.read_text().replace("expires: 2026-03-12", "expires: 9999-12-31", 1))
    prepare_site(root)
    proc = build_site(root, root / "site", "2026-03-10")
    assert proc.returncode == 0, proc.stderr
    page = (root / "site" / "exceptions" / "index.html").read_text()
    timeline = page.split('aria-label="Exception timeline"', 1)[1].split("</svg>", 1)[0]
    assert "EXC-001: 2026-03-01 to 9999-12-31" in timeline
