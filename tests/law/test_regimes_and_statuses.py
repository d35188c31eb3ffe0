"""Each model's regime (DESIGN.md contract) and each item's status as of a day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from notifier.core.timeline import DoneMark
from tests.support.registers import downstream_model, presumed_model
from tests.support.timelines import ItemsOf, TimelineOf, assert_item, items_by_rule, regime

DOCS = "art-53-1-a-technical-documentation"
# Placed on 2026-03-16, so its Art 53(1)(a) documentation is due that day.
PLACED = {"id": "m", "placed_on_market": date(2026, 3, 16)}
PLANNED = {"id": "m", "planned_placement": date(2026, 3, 16)}


def regimes(timeline_of: TimelineOf, model: dict[str, object], *days: date) -> list[str]:
    """The model's regime as of each of `days`."""
    return [timeline_of(model, as_of=day).models[0].regime for day in days]


def test_a_model_with_only_a_planned_placement_is_planned_until_that_day(
    timeline_of: TimelineOf,
) -> None:
    timeline = timeline_of({"id": "next", "planned_placement": date(2027, 3, 1)})

    assert regime(timeline) == ("planned", date(2027, 3, 1))


@pytest.mark.parametrize(
    ("placed_on_market", "before", "on_the_day"),
    [
        pytest.param(
            date(2026, 3, 16),
            date(2026, 1, 1),
            "chapter-v",
            id="a-model-placed-after-a-past-as-of-date-is-shown-as-planned",
        ),
        pytest.param(
            date(2024, 11, 5),
            date(2024, 10, 1),
            "art-111-3-transition",
            id="a-legacy-model-is-planned-as-of-a-day-before-its-placing",
        ),
    ],
)
def test_a_model_is_planned_as_of_a_day_before_its_placing_and_in_its_regime_from_it(
    timeline_of: TimelineOf, placed_on_market: date, before: date, on_the_day: str
) -> None:
    model = {"id": "m", "placed_on_market": placed_on_market}

    assert regimes(timeline_of, model, before, placed_on_market) == ["planned", on_the_day]


def test_a_downstream_model_has_the_downstream_regime_and_no_deadline(
    timeline_of: TimelineOf,
) -> None:
    bot = downstream_model(model="M", last_verified=date(2026, 1, 1))

    assert regime(timeline_of(bot)) == ("downstream", None)


@pytest.mark.parametrize(
    ("as_of", "status"),
    [
        (date(2026, 3, 17), "overdue"),
        (date(2026, 3, 16), "due-soon"),
        (date(2026, 2, 14), "due-soon"),  # exactly 30 days before
        (date(2026, 2, 13), "upcoming"),  # 31 days before
    ],
)
def test_a_deadline_is_overdue_after_its_day_due_soon_within_30_days_and_upcoming_before(
    items_of: ItemsOf, as_of: date, status: str
) -> None:
    assert items_of(PLANNED, today=as_of, as_of=as_of)[DOCS].status == status


@pytest.mark.parametrize(("days", "status"), [(60, "due-soon"), (0, "upcoming")])
def test_the_due_soon_window_is_a_setting(items_of: ItemsOf, days: int, status: str) -> None:
    as_of = date(2026, 1, 20)
    items = items_of(PLANNED, today=as_of, as_of=as_of, due_soon_days=days)

    assert items[DOCS].status == status


def test_a_zero_day_window_still_calls_an_item_due_today_due_soon(items_of: ItemsOf) -> None:
    as_of = date(2026, 3, 16)
    items = items_of(
        {"id": "m", "placed_on_market": as_of}, today=as_of, as_of=as_of, due_soon_days=0
    )

    assert items[DOCS].status == "due-soon"


def test_a_done_mark_makes_an_overdue_item_done_with_the_day_it_was_met(items_of: ItemsOf) -> None:
    done = {f"m/{DOCS}": [DoneMark(date(2026, 3, 1)), DoneMark(date(2026, 3, 20), "v2")]}
    item = items_of(PLACED, done=done)[DOCS]

    assert_item(item, status="done", done_on=date(2026, 3, 20), due=date(2026, 3, 16))


def test_a_done_mark_for_another_item_changes_nothing(items_of: ItemsOf) -> None:
    done = {"other/" + DOCS: [DoneMark(date(2026, 3, 20))]}

    assert items_of(PLACED, done=done)[DOCS].status == "overdue"


def test_a_duty_without_a_date_is_standing(items_of: ItemsOf) -> None:
    big = presumed_model("big", date(2025, 9, 1), threshold_known_on=date(2025, 6, 1))
    item = items_of(big)["art-55-1-c-serious-incidents"]

    assert (item.due, item.status) == (None, "standing")


def test_milestones_in_the_past_are_done_and_future_ones_upcoming(
    timeline_of: TimelineOf,
) -> None:
    timeline = timeline_of({"id": "m", "placed_on_market": date(2025, 9, 1)})
    milestones = {i.rule: i for i in timeline.organisation_items if i.kind == "milestone"}

    assert milestones["aia-chapters-i-ii-apply"].status == "done"
    assert milestones["omnibus-in-force"].status == "done"
    assert milestones["art-5-new-prohibitions"].status == "due-soon"
    assert milestones["art-97-delegation-period"].status == "upcoming"
    # B4: Art 111(4) as inserted by Reg 2026/1744: legacy generative systems mark by 2026-12-02
    marking = milestones["art-111-4-generative-marking"]
    assert (marking.due, marking.citation) == (
        date(2026, 12, 2),
        "AI Act Art 111(4) as inserted by Regulation (EU) 2026/1744",
    )
    assert "overdue" not in {i.status for i in timeline.all_items() if i.kind == "milestone"}


def test_an_aware_datetime_as_of_counts_as_the_date_in_its_own_time_zone(
    timeline_of: TimelineOf,
) -> None:
    after_midnight_in_brussels = datetime(2026, 3, 17, 0, 30, tzinfo=timezone(timedelta(hours=1)))
    same_instant_in_utc = after_midnight_in_brussels.astimezone(UTC)

    local = timeline_of(PLACED, as_of=after_midnight_in_brussels)
    utc = timeline_of(PLACED, as_of=same_instant_in_utc)

    assert (local.as_of, items_by_rule(local)[DOCS].status) == (date(2026, 3, 17), "overdue")
    assert (utc.as_of, items_by_rule(utc)[DOCS].status) == (date(2026, 3, 16), "due-soon")


def test_a_naive_datetime_as_of_is_refused(timeline_of: TimelineOf) -> None:
    with pytest.raises(ValueError, match="time-zone-aware"):
        timeline_of(PLACED, as_of=datetime(2026, 3, 16, 12, 0))  # noqa: DTZ001


@pytest.mark.parametrize(("done_on", "late"), [(date(2026, 3, 20), 4), (date(2026, 3, 16), None)])
def test_an_item_met_after_its_due_date_says_how_many_days_late(
    items_of: ItemsOf, done_on: date, late: int | None
) -> None:
    item = items_of(PLACED, done={f"m/{DOCS}": [DoneMark(done_on)]})[DOCS]

    assert_item(item, status="done", done_late_days=late)


def test_a_register_warning_reaches_the_timeline(timeline_of: TimelineOf) -> None:
    (warning,) = timeline_of(PLANNED).findings

    assert "planned_placement" in warning
