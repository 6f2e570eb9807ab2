"""The rule catalog page, generated from the rule registry (Markdown, not HTML)."""

from __future__ import annotations

from checks.rules import all_rules


def rules_page() -> str:
    """The catalog from the registry. Docstrings are our own Markdown, so they are not escaped."""
    out = ["| code | rule | default | what |", "|---|---|---|---|"]
    rules = all_rules()
    for r in rules:
        out.append(f"| [{r.code}](#{r.anchor}) | `{r.slug}` | {r.severity.value} | {r.summary} |")
    for r in rules:
        body = r.doc.split("\n", 1)[1].strip() if "\n" in r.doc else ""
        out.append(
            f"\n## {r.code} {r.slug} {{#{r.anchor}}}\n\n**{r.summary}** Default severity: "
            f"{r.severity.value}.\n\n{body}\n"
        )
    return "\n".join(out)
