"""The only place that reads the wall clock; everything else is handed the time.

The daemon takes a Clock so that tests (and rehearsals: "what would it send on 2027-07-03?")
can start it at any instant; the clock then advances at the real pace.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo


def system_now() -> datetime:
    """The current instant, UTC."""
    return datetime.now(tz=UTC)  # noqa: TID251 - the one sanctioned reader of the clock


def now(timezone: str) -> datetime:
    """The current instant, in the given IANA time zone."""
    return system_now().astimezone(ZoneInfo(timezone))


def today(timezone: str) -> date:
    return now(timezone).date()


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return system_now()


class StartedClock:
    """Starts at a given instant and advances with the real monotonic clock."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("the clock's start must be time-zone aware")
        self.start = start
        self._origin = time.monotonic()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self._origin)
