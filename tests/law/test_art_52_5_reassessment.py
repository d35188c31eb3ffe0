"""AI Act Art 52(5): reassessment of a designation may be requested six months after it."""

from __future__ import annotations

from datetime import date

import pytest

from notifier.core.events import DesignationDecision
from notifier.core.timeline import DoneMark
from tests.support.registers import presumed_model
from tests.support.timelines import ItemsOf, TimelineOf, assert_item

RULE = "art-52-5-reassessment"


def designated(designated_on: date) -> dict[str, object]:
    return {
        "id": "orion",
        "placed_on_market": date(2025, 10, 1),
        "training_compute_flop": 8e24,
        "systemic_risk": "designated",
        "designated_on": designated_on,
    }


@pytest.mark.parametrize(
    ("designated_on", "earliest"),
    [
        # L9: the six months end with the same-numbered day (clamped to a shorter month's
        # end); the request may be made from the next day
        (date(2026, 5, 20), date(2026, 11, 21)),
        (date(2025, 8, 31), date(2026, 3, 1)),
        (date(2027, 8, 31), date(2028, 3, 1)),
        (date(2026, 3, 31), date(2026, 10, 1)),
    ],
)
def test_reassessment_may_be_requested_six_months_after_designation_clamped_to_month_end(
    items_of: ItemsOf, designated_on: date, earliest: date
) -> None:
    item = items_of(designated(designated_on), today=date(2027, 9, 1), as_of=designated_on)[RULE]

    assert_item(
        item, due=earliest, trigger=designated_on, kind="milestone", citation="AI Act Art 52(5)"
    )


def test_the_reassessment_right_is_upcoming_before_its_day_and_open_from_it_never_done(
    items_of: ItemsOf,
) -> None:
    model = designated(date(2026, 5, 20))
    days = [date(2026, 11, 19), date(2026, 6, 1), date(2026, 11, 20), date(2026, 11, 21)]

    assert [items_of(model, as_of=day)[RULE].status for day in days] == [
        "due-soon",
        "upcoming",
        "due-soon",  # L9: the last day of the six months, not yet the first day of the right
        "open",
    ]


def test_a_reassessment_request_recorded_as_done_is_done(items_of: ItemsOf) -> None:
    done = {f"orion/{RULE}": [DoneMark(date(2026, 11, 23), "request filed")]}
    item = items_of(designated(date(2026, 5, 20)), done=done)[RULE]

    assert (item.status, item.done_on) == ("done", date(2026, 11, 23))


def test_a_presumed_model_has_no_reassessment_milestone(items_of: ItemsOf) -> None:
    big = presumed_model("big", date(2025, 10, 1), threshold_known_on=date(2025, 6, 1))

    assert RULE not in items_of(big)


def test_a_recorded_decision_maintaining_a_designation_opens_the_next_request_as_a_right(
    timeline_of: TimelineOf,
) -> None:
    decision = DesignationDecision("designation-1", "orion", date(2026, 3, 31))
    timeline = timeline_of(designated(date(2025, 10, 1)), events=[decision])
    (item,) = [i for i in timeline.all_items() if i.event == "designation-1"]

    assert_item(item, due=date(2026, 10, 1), status="open")  # L9: the day after 2026-09-30
