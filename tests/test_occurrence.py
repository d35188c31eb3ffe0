"""`occurrence` skips the intervals that end before the floor without counting them one by one:
it gives exactly what stepping interval by interval gives (month ends, leap days, weeks)."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import product

from notifier.core.law.model import Period
from notifier.core.periods import WEEKENDS_ONLY, shift
from notifier.core.timeline.due_dates import occurrence


def stepped(start: date, k: int, every: Period, floor: date) -> tuple[date, int]:
    due = shift(start, k * every.value, every.unit)
    while due < floor:
        k += 1
        due = shift(start, k * every.value, every.unit)
    return due, k


STARTS = [date(2024, 1, 31), date(2024, 2, 29), date(2024, 8, 30), date(2024, 11, 5)]
FLOORS = [date.min, date(2024, 3, 1), date(2025, 2, 28), date(2027, 8, 2), date(2027, 8, 31)]
PERIODS = [
    Period(value=1, unit="months"),
    Period(value=3, unit="months"),
    Period(value=6, unit="months"),
    Period(value=12, unit="months"),
    Period(value=1, unit="years"),
    Period(value=2, unit="years"),
    Period(value=30, unit="days"),
    Period(value=1, unit="weeks"),
    Period(value=2, unit="weeks"),
]


def test_occurrence_is_the_first_interval_on_or_after_the_floor_as_stepping_finds_it() -> None:
    for start, floor, every, k in product(STARTS, FLOORS, PERIODS, (1, 2, 5)):
        for shifted in (start, start + timedelta(days=1)):
            expected = stepped(shifted, k, every, floor)
            assert occurrence(shifted, k, every, floor, WEEKENDS_ONLY) == expected, (
                shifted,
                k,
                every,
                floor,
            )


def test_the_due_date_is_never_before_the_floor_and_the_one_before_it_is() -> None:
    every = Period(value=6, unit="months")
    due, k = occurrence(date(2024, 8, 31), 1, every, date(2027, 8, 2), WEEKENDS_ONLY)
    assert due == date(2027, 8, 31)
    assert shift(date(2024, 8, 31), (k - 1) * 6, "months") < date(2027, 8, 2)
