"""Each model's regime (DESIGN.md contract) and each item's status as of a day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from notifier.core.items import Item, Timeline
from notifier.core.register import Register
from notifier.core.timeline import DoneMark

MakeRegister = Callable[..., Register]
MakeTimeline = Callable[..., Timeline]

DOCS = "art-53-1-a-technical-documentation"


def by_rule(timeline: Timeline) -> dict[str, Item]:
    return {item.rule: item for item in timeline.models[0].items}


def test_a_model_with_only_a_planned_placement_is_planned_until_that_day(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register({"id": "next", "planned_placement": date(2027, 3, 1)})
    model = make_timeline(register, date(2026, 11, 24)).models[0]

    assert model.regime == "planned"
    assert model.regime_deadline == date(2027, 3, 1)


def test_a_model_placed_after_a_past_as_of_date_is_shown_as_planned(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register({"id": "n2", "placed_on_market": date(2026, 3, 16)})

    assert make_timeline(register, date(2026, 1, 1)).models[0].regime == "planned"
    assert make_timeline(register, date(2026, 3, 16)).models[0].regime == "chapter-v"


def test_a_legacy_model_is_planned_as_of_a_day_before_its_placing(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register({"id": "old", "placed_on_market": date(2024, 11, 5)})

    assert make_timeline(register, date(2024, 10, 1)).models[0].regime == "planned"
    assert make_timeline(register, date(2024, 11, 5)).models[0].regime == "art-111-3-transition"


def test_a_downstream_model_has_the_downstream_regime_and_no_deadline(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register(
        {
            "id": "bot",
            "role": "downstream",
            "upstream": [
                {
                    "provider": "Up",
                    "model": "M",
                    "signatory": "full",
                    "last_verified": date(2026, 1, 1),
                }
            ],
        }
    )
    model = make_timeline(register, date(2026, 11, 24)).models[0]

    assert model.regime == "downstream"
    assert model.regime_deadline is None


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
    make_register: MakeRegister, make_timeline: MakeTimeline, as_of: date, status: str
) -> None:
    register = make_register({"id": "m", "planned_placement": date(2026, 3, 16)}, today=as_of)

    assert by_rule(make_timeline(register, as_of))[DOCS].status == status


@pytest.mark.parametrize(("days", "status"), [(60, "due-soon"), (0, "upcoming")])
def test_the_due_soon_window_is_a_setting(
    make_register: MakeRegister, make_timeline: MakeTimeline, days: int, status: str
) -> None:
    as_of = date(2026, 1, 20)
    register = make_register({"id": "m", "planned_placement": date(2026, 3, 16)}, today=as_of)
    timeline = make_timeline(register, as_of, due_soon_days=days)

    assert by_rule(timeline)[DOCS].status == status


def test_a_zero_day_window_still_calls_an_item_due_today_due_soon(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    as_of = date(2026, 3, 16)
    register = make_register({"id": "m", "placed_on_market": as_of}, today=as_of)

    assert by_rule(make_timeline(register, as_of, due_soon_days=0))[DOCS].status == "due-soon"


def test_a_done_mark_makes_an_overdue_item_done_with_the_day_it_was_met(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register({"id": "m", "placed_on_market": date(2026, 3, 16)})
    done = {f"m/{DOCS}": [DoneMark(date(2026, 3, 1)), DoneMark(date(2026, 3, 20), "v2")]}
    item = by_rule(make_timeline(register, date(2026, 11, 24), done=done))[DOCS]

    assert item.status == "done"
    assert item.done_on == date(2026, 3, 20)
    assert item.due == date(2026, 3, 16)


def test_a_done_mark_for_another_item_changes_nothing(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register({"id": "m", "placed_on_market": date(2026, 3, 16)})
    done = {"other/" + DOCS: [DoneMark(date(2026, 3, 20))]}

    assert by_rule(make_timeline(register, date(2026, 11, 24), done=done))[DOCS].status == (
        "overdue"
    )


def test_a_duty_without_a_date_is_standing(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register(
        {
            "id": "big",
            "placed_on_market": date(2025, 9, 1),
            "training_compute_flop": 2e25,
            "threshold_known_on": date(2025, 6, 1),
        }
    )
    item = by_rule(make_timeline(register, date(2026, 11, 24)))["art-55-1-c-serious-incidents"]

    assert (item.due, item.status) == (None, "standing")


def test_milestones_in_the_past_are_done_and_future_ones_upcoming(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register({"id": "m", "placed_on_market": date(2025, 9, 1)})
    timeline = make_timeline(register, date(2026, 11, 24))
    milestones = {i.rule: i for i in timeline.organisation_items if i.kind == "milestone"}

    assert milestones["aia-chapters-i-ii-apply"].status == "done"
    assert milestones["omnibus-in-force"].status == "done"
    assert milestones["art-5-new-prohibitions"].status == "due-soon"
    assert milestones["art-97-delegation-period"].status == "upcoming"
    assert "overdue" not in {i.status for i in timeline.all_items() if i.kind == "milestone"}


def test_an_aware_datetime_as_of_counts_as_the_date_in_its_own_time_zone(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register({"id": "m", "placed_on_market": date(2026, 3, 16)})
    after_midnight_in_brussels = datetime(2026, 3, 17, 0, 30, tzinfo=timezone(timedelta(hours=1)))
    same_instant_in_utc = after_midnight_in_brussels.astimezone(UTC)

    local = make_timeline(register, after_midnight_in_brussels)
    utc = make_timeline(register, same_instant_in_utc)

    assert (local.as_of, by_rule(local)[DOCS].status) == (date(2026, 3, 17), "overdue")
    assert (utc.as_of, by_rule(utc)[DOCS].status) == (date(2026, 3, 16), "due-soon")


def test_a_naive_datetime_as_of_is_refused(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register({"id": "m", "placed_on_market": date(2026, 3, 16)})

    with pytest.raises(ValueError, match="time-zone-aware"):
        make_timeline(register, datetime(2026, 3, 16, 12, 0))  # noqa: DTZ001


@pytest.mark.parametrize(("done_on", "late"), [(date(2026, 3, 20), 4), (date(2026, 3, 16), None)])
def test_an_item_met_after_its_due_date_says_how_many_days_late(
    make_register: MakeRegister, make_timeline: MakeTimeline, done_on: date, late: int | None
) -> None:
    register = make_register({"id": "m", "placed_on_market": date(2026, 3, 16)})
    done = {f"m/{DOCS}": [DoneMark(done_on)]}
    item = by_rule(make_timeline(register, date(2026, 11, 24), done=done))[DOCS]

    assert item.status == "done"
    assert item.done_late_days == late


def test_a_register_warning_reaches_the_timeline(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register({"id": "m", "planned_placement": date(2026, 3, 16)})
    timeline = make_timeline(register, date(2026, 11, 24))

    (warning,) = timeline.findings
    assert "planned_placement" in warning
