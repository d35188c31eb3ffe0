"""Period arithmetic: days, weeks, months with end-of-month clamping, years, business days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notifier.core.periods import (
    WEEKENDS_ONLY,
    BusinessCalendar,
    Unit,
    add_business_days,
    add_days,
    add_months,
    add_weeks,
    add_years,
    shift,
)

CHRISTMAS_WEEK = BusinessCalendar(
    "test holidays", frozenset({date(2026, 12, 25), date(2027, 1, 1)})
)
DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


def test_days_and_weeks_are_calendar_days() -> None:
    assert add_days(date(2026, 1, 9), 14) == date(2026, 1, 23)
    assert add_weeks(date(2026, 12, 15), 4) == date(2027, 1, 12)
    assert add_days(date(2028, 2, 28), 1) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 5, 20), 6, date(2026, 11, 20)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 10, 15), 3, date(2027, 1, 15)),
        (date(2026, 12, 31), 12, date(2027, 12, 31)),
        (date(2026, 1, 15), 0, date(2026, 1, 15)),
    ],
)
def test_months_end_on_the_same_numbered_day_clamped_to_the_end_of_a_shorter_month(
    start: date, months: int, end: date
) -> None:
    assert add_months(start, months) == end


def test_month_clamping_does_not_carry_over_into_the_next_step() -> None:
    # Counted from the start each time: 31 Aug + 12 months is 31 Aug, not 28 Aug.
    assert add_months(date(2026, 8, 31), 12) == date(2027, 8, 31)
    assert add_months(add_months(date(2026, 8, 31), 6), 6) == date(2027, 8, 28)


@pytest.mark.parametrize(
    ("start", "years", "end"),
    [
        (date(2028, 2, 29), 1, date(2029, 2, 28)),
        (date(2028, 2, 29), 4, date(2032, 2, 29)),
        (date(2028, 2, 29), 10, date(2038, 2, 28)),
        (date(2025, 8, 2), 10, date(2035, 8, 2)),
        (date(2028, 2, 29), -1, date(2027, 2, 28)),
    ],
)
def test_years_from_a_leap_day_land_on_28_february_in_common_years(
    start: date, years: int, end: date
) -> None:
    assert add_years(start, years) == end


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2027, 1, 15), -3, date(2026, 10, 15)),
        (date(2026, 1, 31), -2, date(2025, 11, 30)),
        (date(2026, 1, 10), -13, date(2024, 12, 10)),
    ],
)
def test_negative_month_offsets_go_back_with_the_same_clamping(
    start: date, months: int, end: date
) -> None:
    assert add_months(start, months) == end


def test_negative_day_and_week_offsets_go_back() -> None:
    assert add_days(date(2027, 3, 1), -1) == date(2027, 2, 28)
    assert add_weeks(date(2027, 6, 15), -2) == date(2027, 6, 1)


@pytest.mark.parametrize(
    ("start", "days", "end"),
    [
        (date(2026, 11, 20), 1, date(2026, 11, 23)),  # Friday -> Monday
        (date(2026, 11, 21), 1, date(2026, 11, 23)),  # Saturday -> Monday
        (date(2026, 11, 16), 5, date(2026, 11, 23)),  # Monday -> next Monday
        (date(2026, 11, 18), 5, date(2026, 11, 25)),
        (date(2026, 11, 18), 0, date(2026, 11, 18)),
    ],
)
def test_business_days_skip_weekends_and_do_not_count_the_start_day(
    start: date, days: int, end: date
) -> None:
    assert add_business_days(start, days, WEEKENDS_ONLY) == end


def test_business_days_skip_the_holidays_of_the_given_calendar() -> None:
    # 23 Dec 2026 is a Wednesday; 25 Dec and 1 Jan are holidays of this calendar.
    assert add_business_days(date(2026, 12, 23), 5, CHRISTMAS_WEEK) == date(2026, 12, 31)
    assert add_business_days(date(2026, 12, 23), 6, CHRISTMAS_WEEK) == date(2027, 1, 4)
    assert add_business_days(date(2026, 12, 23), 5, WEEKENDS_ONLY) == date(2026, 12, 30)


def test_negative_business_days_go_back_over_weekends_and_holidays() -> None:
    assert add_business_days(date(2026, 11, 23), -1, WEEKENDS_ONLY) == date(2026, 11, 20)
    assert add_business_days(date(2027, 1, 4), -2, CHRISTMAS_WEEK) == date(2026, 12, 30)


def test_a_holiday_on_a_weekend_costs_no_extra_day() -> None:
    saturday_holiday = BusinessCalendar("s", frozenset({date(2026, 11, 21)}))

    assert add_business_days(date(2026, 11, 20), 1, saturday_holiday) == date(2026, 11, 23)


@pytest.mark.parametrize(
    ("value", "unit", "end"),
    [
        (14, "days", date(2026, 2, 14)),
        (2, "weeks", date(2026, 2, 14)),
        (1, "months", date(2026, 2, 28)),
        (1, "years", date(2027, 1, 31)),
        (5, "business_days", date(2026, 2, 6)),
        (-1, "days", date(2026, 1, 30)),
    ],
)
def test_shift_moves_by_a_period_in_any_unit_of_the_rule_data(
    value: int, unit: Unit, end: date
) -> None:
    assert shift(date(2026, 1, 31), value, unit, WEEKENDS_ONLY) == end


@given(start=DAYS, months=st.integers(min_value=-240, max_value=240))
def test_a_month_period_never_moves_the_day_of_month_up_and_lands_in_the_right_month(
    start: date, months: int
) -> None:
    end = add_months(start, months)

    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    assert end.day <= start.day
    assert end.day == start.day or (end + timedelta(days=1)).day == 1


@given(start=DAYS, days=st.integers(min_value=-40, max_value=40))
def test_business_days_always_land_on_a_business_day_and_count_exactly(
    start: date, days: int
) -> None:
    end = add_business_days(start, days, CHRISTMAS_WEEK)
    low, high = sorted((start, end))
    between = [low + timedelta(days=n) for n in range(1, (high - low).days + 1)]
    if days < 0:
        between = [low + timedelta(days=n) for n in range((high - low).days)]

    assert sum(CHRISTMAS_WEEK.is_business_day(d) for d in between) == abs(days)
    if days:
        assert CHRISTMAS_WEEK.is_business_day(end)
