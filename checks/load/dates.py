"""Calendar dates and "today" in the program's timezone."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", re.ASCII)


def parse_date(value: object) -> dt.date | None:
    """A YYYY-MM-DD calendar date, or None for anything else (times of day, impossible dates, numbers)."""
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _DATE.match(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def valid_timezone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def today_in(timezone: str, now: dt.datetime | None = None) -> dt.date:
    """The current calendar date in `timezone` (UTC when the zone is unknown)."""
    moment = now or dt.datetime.now(dt.UTC)
    try:
        zone: dt.tzinfo = zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        zone = dt.UTC
    return moment.astimezone(zone).date()
