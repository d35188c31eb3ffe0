"""Date arithmetic for legal periods: pure, no clock, no I/O.

Months and years end on the same-numbered day, clamped to the end of a shorter month (the rule of
Regulation (EEC, Euratom) No 1182/71 Art 3(2)(c), seen only in secondary material, see REFERENCE.md
note 5). Business days skip weekends and the holidays of a calendar the caller supplies: the Code
of Practice does not define business days, so the calendar is an assumption the caller states.
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Unit = Literal["days", "weeks", "months", "years", "business_days"]


@dataclass(frozen=True)
class BusinessCalendar:
    """Which days count as business days: Monday to Friday, less the given holidays."""

    name: str
    holidays: frozenset[date] = frozenset()
    # years whose holidays are not a published list but an assumed pattern (L5: inference)
    assumed_years: frozenset[int] = frozenset()

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays


WEEKENDS_ONLY = BusinessCalendar("weekends only (no public holidays)")


def add_days(start: date, days: int) -> date:
    return start + timedelta(days=days)


def add_weeks(start: date, weeks: int) -> date:
    return start + timedelta(weeks=weeks)


def add_months(start: date, months: int) -> date:
    """Same day-of-month `months` later (or earlier), clamped to the last day of a shorter month."""
    index = start.year * 12 + (start.month - 1) + months
    year, month0 = divmod(index, 12)
    last_day = _calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(start.day, last_day))


def add_years(start: date, years: int) -> date:
    """Same day `years` later; 29 February becomes 28 February in a common year."""
    return add_months(start, 12 * years)


def add_business_days(start: date, days: int, business: BusinessCalendar) -> date:
    """The `days`-th business day after `start` (the start day itself is not counted)."""
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    current = start
    while remaining:
        current += timedelta(days=step)
        if business.is_business_day(current):
            remaining -= 1
    return current


def shift(start: date, value: int, unit: Unit, business: BusinessCalendar = WEEKENDS_ONLY) -> date:
    """Move `start` by a signed period in one of the units the rule data uses."""
    if unit == "business_days":
        return add_business_days(start, value, business)
    return _MOVERS[unit](start, value)


_MOVERS: dict[str, Callable[[date, int], date]] = {
    "days": add_days,
    "weeks": add_weeks,
    "months": add_months,
    "years": add_years,
}
