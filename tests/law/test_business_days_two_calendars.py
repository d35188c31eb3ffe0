"""Business days towards the AI Office (REFERENCE.md L5, K8, K9; Reg 1182/71 Art 2(1)): each
period is counted on the Belgian calendar and on the Commission's staff calendar, the earlier
date is shown and the other named. Dates worked out by hand from the calendars."""

from __future__ import annotations

from datetime import date

from notifier.core.commission_calendar import commission_calendar, easter, usual_pattern
from notifier.core.items import Item
from notifier.core.law import load_commission_holidays
from notifier.core.timeline import DoneMark
from notifier.settings import BusinessDaySettings
from tests.support.timelines import ItemsOf

CONFIRM = "cop-ss-1-1-framework-confirmation"
ACCESS = "cop-ss-1-4-framework-access"
BELGIUM = BusinessDaySettings(country="BE").calendar()
COMMISSION = commission_calendar(load_commission_holidays(), range(2024, 2031))
TITAN = {
    "id": "titan",
    "planned_placement": date(2027, 6, 15),
    "training_compute_flop": 2.4e25,
    "threshold_known_on": date(2026, 10, 1),
}


def access(items_of: ItemsOf, confirmed_on: date) -> Item:
    done = {f"titan/{CONFIRM}": [DoneMark(confirmed_on)]}
    return items_of(
        TITAN,
        as_of=confirmed_on,
        today=confirmed_on,
        done=done,
        business_calendar=BELGIUM,
        compared_calendar=COMMISSION,
    )[ACCESS]


def test_around_11_november_the_commissions_calendar_gives_the_earlier_date(
    items_of: ItemsOf,
) -> None:
    """Confirmed Thursday 2026-11-05. Belgium: 6, 9, 10, (11 Nov holiday), 12, 13 -> 13 Nov.
    Commission (11 Nov is no holiday; 2026 has no published list: pattern, inference):
    6, 9, 10, 11, 12 -> 12 Nov."""
    item = access(items_of, date(2026, 11, 5))

    assert item.due == date(2026, 11, 12)
    assert item.verification == "inference"
    assert "2026-11-13" in item.description
    assert "Commission" in item.description


def test_around_christmas_the_belgian_calendar_gives_the_earlier_date(items_of: ItemsOf) -> None:
    """Confirmed Wednesday 2026-12-23. Belgium: 24, (25 Christmas), 28, 29, 30, 31 -> 31 Dec.
    Commission (24 Dec - 2 Jan off): 4, 5, 6, 7, 8 January -> 2027-01-08, named."""
    item = access(items_of, date(2026, 12, 23))

    assert item.due == date(2026, 12, 31)
    assert "2027-01-08" in item.description


def test_the_adopted_2023_list_is_rule_data_with_its_source() -> None:
    adopted = load_commission_holidays()[2023]

    assert "OJ C 201 I, 28.5.2021" in adopted.source
    assert date(2023, 11, 11) not in adopted.days  # not a Commission holiday
    assert {date(2023, 7, 21), date(2023, 11, 2), date(2023, 5, 19)} <= set(adopted.days)
    assert 2026 in COMMISSION.assumed_years


def test_the_usual_pattern_reproduces_the_adopted_years_on_working_days() -> None:
    for year, adopted in load_commission_holidays().items():
        weekdays = {d for d in usual_pattern(year) if d.weekday() < 5}
        assert weekdays == {d for d in adopted.days if d.weekday() < 5}, year


def test_easter_sundays() -> None:
    assert [easter(y) for y in (2023, 2026, 2027)] == [
        date(2023, 4, 9),
        date(2026, 4, 5),
        date(2027, 3, 28),
    ]


def test_the_setting_chooses_whether_the_commission_calendar_is_compared() -> None:
    assert BusinessDaySettings(country="BE").compared() is not None
    assert BusinessDaySettings(country="BE", compare_commission=False).compared() is None
