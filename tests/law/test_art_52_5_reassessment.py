"""AI Act Art 52(5): reassessment of a designation may be requested six months after it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from notifier.core.events import DesignationDecision
from notifier.core.items import Item, Timeline
from notifier.core.register import Register
from notifier.core.timeline import DoneMark

MakeRegister = Callable[..., Register]
MakeTimeline = Callable[..., Timeline]

RULE = "art-52-5-reassessment"


def designated(designated_on: date) -> dict[str, object]:
    return {
        "id": "orion",
        "placed_on_market": date(2025, 10, 1),
        "training_compute_flop": 8e24,
        "systemic_risk": "designated",
        "designated_on": designated_on,
    }


def reassessment(timeline: Timeline) -> Item:
    return next(item for item in timeline.models[0].items if item.rule == RULE)


@pytest.mark.parametrize(
    ("designated_on", "earliest"),
    [
        (date(2026, 5, 20), date(2026, 11, 20)),
        (date(2025, 8, 31), date(2026, 2, 28)),
        (date(2027, 8, 31), date(2028, 2, 29)),
        (date(2026, 3, 31), date(2026, 9, 30)),
    ],
)
def test_reassessment_may_be_requested_six_months_after_designation_clamped_to_month_end(
    make_register: MakeRegister, make_timeline: MakeTimeline, designated_on: date, earliest: date
) -> None:
    register = make_register(designated(designated_on), today=date(2027, 9, 1))
    item = reassessment(make_timeline(register, designated_on))

    assert item.due == earliest
    assert item.trigger == designated_on
    assert item.kind == "milestone"
    assert item.citation == "AI Act Art 52(5)"


def test_the_reassessment_right_is_upcoming_before_its_day_and_open_from_it_never_done(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register(designated(date(2026, 5, 20)))

    assert reassessment(make_timeline(register, date(2026, 11, 19))).status == "due-soon"
    assert reassessment(make_timeline(register, date(2026, 6, 1))).status == "upcoming"
    assert reassessment(make_timeline(register, date(2026, 11, 20))).status == "open"
    assert reassessment(make_timeline(register, date(2027, 11, 21))).status == "open"


def test_a_reassessment_request_recorded_as_done_is_done(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register(designated(date(2026, 5, 20)))
    done = {f"orion/{RULE}": [DoneMark(date(2026, 11, 23), "request filed")]}
    item = reassessment(make_timeline(register, date(2026, 11, 24), done=done))

    assert (item.status, item.done_on) == ("done", date(2026, 11, 23))


def test_a_presumed_model_has_no_reassessment_milestone(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register(
        {
            "id": "big",
            "placed_on_market": date(2025, 10, 1),
            "training_compute_flop": 2e25,
            "threshold_known_on": date(2025, 6, 1),
        }
    )
    rules = {i.rule for i in make_timeline(register, date(2026, 11, 24)).models[0].items}

    assert RULE not in rules


def test_a_recorded_decision_maintaining_a_designation_opens_the_next_request_as_a_right(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register(designated(date(2025, 10, 1)))
    decision = DesignationDecision("designation-1", "orion", date(2026, 3, 31))
    timeline = make_timeline(register, date(2026, 11, 24), events=[decision])
    (item,) = [i for i in timeline.all_items() if i.event == "designation-1"]

    assert item.due == date(2026, 9, 30)
    assert item.status == "open"
