"""Aligned text tables for the commands' human output: each column starts at one offset in every row."""

from __future__ import annotations

from collections.abc import Sequence

GAP = "  "


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], rule: bool = False, indent: str = "") -> list[str]:
    """Header, an optional rule of dashes, then the rows; each column as wide as its widest cell.

    Cells are left-aligned, so a column's values start where its header does whatever their width
    (a guard id longer than its counts, a percentage beside "n/e"). Trailing spaces are dropped.
    """
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        return (indent + GAP.join(c.ljust(w) for c, w in zip(cells, widths, strict=True))).rstrip()

    out = [line(headers)]
    if rule:
        out.append(line(["-" * w for w in widths]))
    out += [line(r) for r in rows]
    return out
