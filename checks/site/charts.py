"""Inline SVG charts generated in Python: no scripts, no external assets, every label escaped."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape

from checks.site.palette import ACCENT, FALLBACK, ON_COLOUR, SERIES_COLOURS, STATE_COLOURS, STATUS_COLOURS


@dataclass(frozen=True)
class Bar:
    label: str
    start: dt.date
    end: dt.date
    state: str
    anchor: str


def closure_bar(counts: dict[str, int], width: int = 640) -> str:
    """A stacked bar of invariant statuses."""
    total = sum(counts.values()) or 1
    x = 0.0
    parts = []
    for status in ("closed", "at-risk", "open", "violated"):
        n = counts.get(status, 0)
        if not n:
            continue
        w = width * n / total
        parts.append(
            f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="24" fill="{STATUS_COLOURS[status]}">'
            f"<title>{escape(status)}: {n}</title></rect>"
        )
        if w > 60:
            parts.append(f'<text x="{x + 6:.1f}" y="16" fill="{ON_COLOUR}" font-size="12">{escape(status)} {n}</text>')
        x += w
    return (
        f'<svg class="gates-chart" role="img" aria-label="Invariant statuses" viewBox="0 0 {width} 24" '
        f'width="100%" height="24" xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>'
    )


# A bar is drawn at most this far either side of today (its title keeps the real dates): a far date
# such as 9999-12-31 would squash every other bar, and date arithmetic past it overflows.
HORIZON_DAYS = 3 * 366


def _shift(day: dt.date, days: int) -> dt.date:
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def timeline(bars: list[Bar], today: dt.date, width: int = 520) -> str:
    """One row per exception from opening to expiry, with a line at today."""
    if not bars:
        return ""
    lo, hi = _shift(today, -HORIZON_DAYS), _shift(today, HORIZON_DAYS)

    def clamp(day: dt.date) -> dt.date:
        return min(max(day, lo), hi)

    start = _shift(min(*(clamp(b.start) for b in bars), today), -1)
    end = _shift(max(*(clamp(b.end) for b in bars), today), 2)
    span = max((end - start).days, 1)
    label_w, row_h = 100, 24
    plot_w = width - label_w - 10
    height = row_h * len(bars) + 30

    def x(day: dt.date) -> float:
        return label_w + plot_w * (day - start).days / span

    parts = []
    for i, b in enumerate(bars):
        y = 10 + i * row_h
        x0, x1 = x(clamp(b.start)), x(_shift(clamp(b.end), 1))
        colour = STATE_COLOURS.get(b.state, FALLBACK)
        parts.append(
            f'<text x="0" y="{y + 14}" font-size="14" fill="currentColor">{escape(b.label)}</text>'
            f'<rect x="{x0:.1f}" y="{y + 3}" width="{max(x1 - x0, 2):.1f}" height="14" rx="3" fill="{colour}">'
            f"<title>{escape(b.label)}: {b.start} to {b.end} ({escape(b.state)})</title></rect>"
        )
    tx = x(today)
    # Near the right edge the today label runs leftwards from its line, so it is never clipped.
    lx, anchor = (tx - 3, "end") if tx > label_w + plot_w / 2 else (tx + 3, "start")
    parts.append(
        f'<line x1="{tx:.1f}" y1="4" x2="{tx:.1f}" y2="{height - 14}" stroke="{ACCENT}" stroke-dasharray="4 3"/>'
        f'<text x="{lx:.1f}" y="{height - 2}" font-size="13" fill="{ACCENT}" '
        f'text-anchor="{anchor}">today {today}</text>'
    )
    if tx - label_w > 100:  # the first date, unless the today label would cover it
        parts.append(f'<text x="{label_w}" y="{height - 2}" font-size="13" fill="currentColor">{start}</text>')
    return (
        '<svg class="gates-chart gates-timeline" role="img" aria-label="Exception timeline" '
        f'viewBox="0 0 {width} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>'
    )


def line_chart(
    series: dict[str, list[tuple[str, float]]],
    title: str,
    width: int = 720,
    height: int = 220,
    marks: list[tuple[str, str]] | None = None,
    colours: dict[str, str] | None = None,
    percent: str = "",
) -> str:
    """Lines with point markers over ordered x labels (dates), and a legend below.

    `marks` draws a labelled line at (x label, text); `colours` fixes a series' colour by name; the
    series named `percent` is drawn against its own 0-100 % axis on the right, the others share a
    count axis on the left."""
    points = [p for s in series.values() for p in s]
    if not points:
        return ""
    labels = sorted({p[0] for p in points})
    top = max([p[1] for name, s in series.items() if name != percent for p in s] + [1.0])
    names = sorted(series)
    legend_rows = (len(names) + 3) // 4
    left, right, bottom = 40, 44 if percent in series else 10, 24 + 16 * legend_rows
    plot_w, plot_h = width - left - right, height - bottom - 10

    def x(label: str) -> float:
        if len(labels) == 1:
            return left + plot_w / 2
        return left + (plot_w * labels.index(label) / (len(labels) - 1))

    def y(value: float, scale: float) -> float:
        return 10 + plot_h - plot_h * value / scale

    axis = 10 + plot_h
    parts = [
        f'<line x1="{left}" y1="{axis}" x2="{width - right}" y2="{axis}" stroke="currentColor" opacity=".3"/>',
        f'<text x="0" y="16" font-size="11" fill="currentColor">{top:g}</text>',
        f'<text x="0" y="{axis}" font-size="11" fill="currentColor">0</text>',
        f'<text x="{left}" y="{axis + 14}" font-size="11" fill="currentColor">{escape(labels[0])}</text>',
    ]
    if len(labels) > 1:
        parts.append(
            f'<text x="{width - right}" y="{axis + 14}" font-size="11" fill="currentColor" '
            f'text-anchor="end">{escape(labels[-1])}</text>'
        )
    if percent in series:
        parts.append(
            f'<text x="{width}" y="16" font-size="11" fill="currentColor" text-anchor="end">100%</text>'
            f'<text x="{width}" y="{axis}" font-size="11" fill="currentColor" text-anchor="end">0%</text>'
        )
    for at, text in marks or []:
        if at not in labels:
            continue
        mx = x(at)
        # Near the right edge the label runs leftwards from the line, so it stays inside the chart.
        tx, anchor = (mx - 3, "end") if mx > width / 2 else (mx + 3, "start")
        parts.append(
            f'<line class="gates-mark" x1="{mx:.1f}" y1="10" x2="{mx:.1f}" y2="{axis}" stroke="{ACCENT}" '
            f'stroke-dasharray="4 3"><title>{escape(text)} ({escape(at)})</title></line>'
            f'<text x="{tx:.1f}" y="{axis - 4}" font-size="11" fill="{ACCENT}" '
            f'text-anchor="{anchor}">{escape(text)}</text>'
        )
    for i, name in enumerate(names):
        colour = (colours or {}).get(name) or SERIES_COLOURS[i % len(SERIES_COLOURS)]
        scale = 100.0 if name == percent else top
        unit = "%" if name == percent else ""
        values = sorted(series[name])
        coords = " ".join(f"{x(lbl):.1f},{y(v, scale):.1f}" for lbl, v in values)
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{coords}">'
            f"<title>{escape(name)}</title></polyline>"
        )
        parts += [
            f'<circle class="gates-point" cx="{x(lbl):.1f}" cy="{y(v, scale):.1f}" r="3.5" fill="{colour}">'
            f"<title>{escape(name)} {escape(lbl)}: {v:g}{unit}</title></circle>"
            for lbl, v in values
        ]
        lx, ly = left + 170 * (i % 4), height - 6 - 16 * (legend_rows - 1 - i // 4)
        parts.append(
            f'<g class="gates-legend"><rect x="{lx}" y="{ly - 9}" width="14" height="4" fill="{colour}"/>'
            f'<text x="{lx + 19}" y="{ly}" font-size="12" fill="currentColor">{escape(name)}'
            f"{' (right axis)' if name == percent else ''}</text></g>"
        )
    return (
        f'<svg class="gates-chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>'
    )


def sparkline(values: list[float], width: int = 120, height: int = 24) -> str:
    if len(values) < 2:
        return ""
    top = max(*values, 1.0)
    step = width / (len(values) - 1)
    coords = " ".join(f"{i * step:.1f},{height - 2 - (height - 4) * v / top:.1f}" for i, v in enumerate(values))
    return (
        f'<svg class="gates-spark" role="img" aria-label="closure trend" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
        f'<polyline fill="none" stroke="{ACCENT}" stroke-width="2" points="{coords}"/></svg>'
    )
