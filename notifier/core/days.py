"""The organisation's calendar day and local wall times: the one owner of that conversion.

Statuses, days left, feed stamps and reminder instants all count in the organisation's time
zone (the register's `organisation.timezone`); every edge converts through these two functions.
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import cache
from zoneinfo import ZoneInfo

UTC_ZONE = "UTC"


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
