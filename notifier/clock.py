"""The only place that reads the wall clock; everything else is handed the time."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def now(timezone: str) -> datetime:
    """The current instant, in the given IANA time zone."""
    return datetime.now(tz=UTC).astimezone(ZoneInfo(timezone))  # noqa: TID251


def today(timezone: str) -> date:
    return now(timezone).date()
