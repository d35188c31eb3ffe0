"""AI Act Art 52(5): reassessment of a designation may be requested six months after it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from notifier.core.items import Item, Timeline
from notifier.core.register import Register

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


def test_the_reassessment_milestone_is_upcoming_before_and_done_after_its_day(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register(designated(date(2026, 5, 20)))

    assert reassessment(make_timeline(register, date(2026, 11, 19))).status == "due-soon"
    assert reassessment(make_timeline(register, date(2026, 6, 1))).status == "upcoming"
    assert reassessment(make_timeline(register, date(2026, 11, 21))).status == "done"


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
