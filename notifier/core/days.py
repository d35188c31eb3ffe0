"""The organisation's calendar day and local wall times: the one owner of that conversion.

Statuses, days left, feed stamps and reminder instants all count in the organisation's time
zone (the register's `organisation.timezone`); every edge converts through these two functions.
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import cache
from zoneinfo import ZoneInfo

UTC_ZONE = "UTC"

# The dates this service accepts anywhere (register, command line, records): far enough back
# for any model's history, far enough ahead for every period the rules reach (10-year
# retentions), and safely inside what date arithmetic can represent. A date outside is a typo.
EARLIEST = date(1990, 1, 1)
LATEST = date(2200, 12, 31)


def date_problem(value: date) -> str | None:
    """Why `value` is outside the accepted window, or None."""
    if EARLIEST <= value <= LATEST:
        return None
    return f"{value.isoformat()} lies outside {EARLIEST.isoformat()} to {LATEST.isoformat()}"


@cache
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def organisation_day(instant: datetime, timezone: str) -> date:
    """The calendar date at `instant` in the organisation's time zone."""
    if instant.tzinfo is None:
        raise ValueError("the instant must be time-zone aware")
    return instant.astimezone(zone(timezone)).date()


def local_instant(day: date, at: time, timezone: str) -> datetime:
    """`at` on `day` in the zone, correct across DST (a wall time in a gap moves forward)."""
    aware = datetime.combine(day, at).replace(tzinfo=zone(timezone))
    # Round-trip through UTC: a non-existent local time (spring-forward gap) normalises.
    return aware.astimezone(zone(UTC_ZONE)).astimezone(zone(timezone))
