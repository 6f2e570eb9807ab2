"""The site's one colour palette: every badge, chart and stylesheet colour is defined here."""

from __future__ import annotations

from dataclasses import dataclass

GOOD = "#2e7d32"
WARN = "#b84e00"  # darker than Material orange: white text on it stays at WCAG AA (>= 4.5:1)
BAD = "#c62828"
INVALID = "#6a1b9a"
NEUTRAL = "#616161"
RETIRED = "#757575"
INFO = "#1565c0"
ON_COLOUR = "#fff"  # text drawn on a coloured badge or bar

FALLBACK = NEUTRAL  # any state, status or label without a colour of its own
ACCENT = INFO  # the today line and the closure sparkline

# History series by meaning: closure is good news, errors bad, exceptions a warning.
HISTORY_COLOURS = {"closure %": GOOD, "active exceptions": WARN, "data errors": BAD}

STATUS_COLOURS = {"closed": GOOD, "open": NEUTRAL, "at-risk": WARN, "violated": BAD}
STATE_COLOURS = {
    "active": GOOD,
    "expiring": WARN,
    "expired": BAD,
    "stale": BAD,
    "invalid": INVALID,
    "retired": RETIRED,
}
RESULT_COLOURS = {  # evidence check results
    "verified": GOOD,
    "missing": BAD,
    "broken": BAD,
    "refused": INVALID,
    "unchecked": NEUTRAL,
    "shown": INFO,
}
SEVERITY_COLOURS = {"error": BAD, "warning": WARN, "info": INFO}
LABEL_COLOURS = {  # yes/no badges on the drift and evidence pages
    "shipped": GOOD,
    "not shipped": BAD,
    "documented": GOOD,
    "undocumented": NEUTRAL,
    "covered": GOOD,
    "uncovered": BAD,
}
# What the doctrine says of an endpoint a runbook names: the badge beside each mention and on the drift page.
ENDPOINT_COLOURS = {
    "canonical": GOOD,
    "alias waived": WARN,  # debt an active exception carries, for the days it has left
    "alias not waived": BAD,
    "alias not shipped": NEUTRAL,
    "prohibited": BAD,
    "shipped": INFO,
    "not shipped": BAD,
    "catalog unknown": NEUTRAL,
}
SERIES_COLOURS = (INFO, BAD, GOOD, WARN, INVALID, "#00838f", "#5d4037", "#ad1457")  # line-chart series, in order


@dataclass(frozen=True)
class Verdict:
    background: str
    text: str
    border: str


VERDICT_COLOURS = {
    "open": Verdict(background="#fff3e0", text="#8a3c00", border=WARN),
    "closed": Verdict(background="#e8f5e9", text="#1b5e20", border=GOOD),
}

# The custom properties docs/assets/gates.css declares in `:root`; tests/test_site.py holds the two equal.
CSS_VARIABLES = {
    "--gates-on-colour": ON_COLOUR,
    **{
        f"--gates-verdict-{name}-{part}": getattr(v, attr)
        for name, v in VERDICT_COLOURS.items()
        for part, attr in (("bg", "background"), ("fg", "text"), ("border", "border"))
    },
}
