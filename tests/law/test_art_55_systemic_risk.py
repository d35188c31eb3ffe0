"""AI Act Arts 51 and 55: systemic-risk classification and the Art 55(1) duties."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from notifier.core.items import Item, Timeline
from notifier.core.register import Register
from notifier.errors import RegisterError

MakeRegister = Callable[..., Register]
MakeTimeline = Callable[..., Timeline]

AS_OF = date(2026, 11, 24)
DATED = (
    "art-55-1-a-model-evaluation",
    "art-55-1-b-systemic-risk-mitigation",
    "art-55-1-d-cybersecurity",
)
INCIDENTS = "art-55-1-c-serious-incidents"


def by_rule(timeline: Timeline) -> dict[str, Item]:
    return {item.rule: item for item in timeline.models[0].items}


def test_compute_over_1e25_flop_presumes_systemic_risk_with_the_art_55_duties(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register(
        {
            "id": "titan",
            "placed_on_market": date(2025, 9, 1),
            "training_compute_flop": 2.4e25,
            "threshold_known_on": date(2025, 3, 1),
        }
    )
    timeline = make_timeline(register, AS_OF)
    items = by_rule(timeline)

    assert timeline.models[0].systemic_risk is True
    for rule in DATED:
        assert items[rule].due == date(2025, 9, 1), rule
        assert items[rule].basis == "law", rule
    assert items["art-55-1-a-model-evaluation"].citation == "AI Act Art 55(1)(a)"


def test_compute_of_exactly_1e25_flop_does_not_presume_systemic_risk(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register(
        {"id": "edge", "placed_on_market": date(2025, 9, 1), "training_compute_flop": 1e25}
    )
    timeline = make_timeline(register, AS_OF)

    assert timeline.models[0].systemic_risk is False
    assert not set(DATED) & set(by_rule(timeline))


def test_a_presumed_model_without_threshold_known_on_is_a_register_error(
    make_register: MakeRegister,
) -> None:
    with pytest.raises(RegisterError) as caught:
        make_register(
            {"id": "titan", "placed_on_market": date(2025, 9, 1), "training_compute_flop": 3e25}
        )

    (problem,) = caught.value.problems
    assert problem.model == "titan"
    assert problem.field == "threshold_known_on"
    assert "Art 52(1)" in problem.message


def test_serious_incident_reporting_is_a_standing_duty_without_a_date(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register(
        {
            "id": "titan",
            "placed_on_market": date(2025, 9, 1),
            "training_compute_flop": 2.4e25,
            "threshold_known_on": date(2025, 3, 1),
        }
    )
    timeline = make_timeline(register, AS_OF)
    item = by_rule(timeline)[INCIDENTS]

    assert item.due is None
    assert item.status == "standing"
    assert item.citation == "AI Act Art 55(1)(c)"
    assert timeline.models[0].items[-1] == item  # undated items sort last


def test_a_designated_model_has_art_55_duties_from_the_designation_when_placed_earlier(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register(
        {
            "id": "orion",
            "placed_on_market": date(2025, 10, 1),
            "training_compute_flop": 8e24,
            "systemic_risk": "designated",
            "designated_on": date(2026, 5, 20),
        }
    )
    timeline = make_timeline(register, AS_OF)
    items = by_rule(timeline)

    assert timeline.models[0].systemic_risk is True
    for rule in DATED:
        assert items[rule].due == date(2026, 5, 20), rule
        assert items[rule].trigger == date(2026, 5, 20), rule
    assert items[INCIDENTS].status == "standing"


def test_a_threshold_met_after_placing_makes_the_art_55_duties_due_from_that_day(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register(
        {
            "id": "grown",
            "placed_on_market": date(2025, 9, 1),
            "training_compute_flop": 1.2e25,
            "threshold_known_on": date(2026, 1, 10),
        }
    )
    items = by_rule(make_timeline(register, AS_OF))

    for rule in DATED:
        assert items[rule].due == date(2026, 1, 10), rule


def test_a_threshold_known_before_a_planned_placement_makes_them_due_on_placing(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register(
        {
            "id": "titan",
            "planned_placement": date(2027, 6, 15),
            "training_compute_flop": 2.4e25,
            "threshold_known_on": date(2026, 12, 1),
        }
    )
    items = by_rule(make_timeline(register, AS_OF))

    for rule in DATED:
        assert items[rule].due == date(2027, 6, 15), rule


def test_a_legacy_systemic_risk_models_art_55_duties_are_due_on_2_august_2027(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register(
        {
            "id": "old-titan",
            "placed_on_market": date(2025, 1, 15),
            "training_compute_flop": 3e25,
            "threshold_known_on": date(2024, 6, 1),
        }
    )
    items = by_rule(make_timeline(register, AS_OF))

    for rule in DATED:
        assert items[rule].due == date(2027, 8, 2), rule
        assert items[rule].citation.endswith("AI Act Art 111(3)"), rule


@pytest.mark.parametrize(
    "fields",
    [
        {"training_compute_flop": 3e25, "threshold_known_on": date(2025, 6, 1)},
        {"training_compute_flop": 3e25},
        {"training_compute_flop": 5e24, "threshold_known_on": date(2025, 6, 1)},
    ],
)
def test_systemic_risk_none_against_a_presumption_is_an_error_without_accepted_arguments(
    make_register: MakeRegister, fields: dict[str, object]
) -> None:
    with pytest.raises(RegisterError) as caught:
        make_register(
            {
                "id": "hidden",
                "placed_on_market": date(2025, 9, 1),
                "systemic_risk": "none",
                **fields,
            }
        )

    problem = next(p for p in caught.value.problems if p.field == "systemic_risk")
    assert problem.model == "hidden"
    assert not problem.is_warning
    assert "Art 52(2)-(3)" in problem.message
    assert "arguments_decision" in problem.message


def test_systemic_risk_none_after_accepted_arguments_keeps_the_history_until_the_decision(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register(
        {
            "id": "accepted",
            "placed_on_market": date(2025, 9, 1),
            "training_compute_flop": 3e25,
            "threshold_known_on": date(2025, 6, 1),
            "systemic_risk": "none",
            "arguments_decision": "accepted",
            "arguments_decided_on": date(2026, 2, 10),
        }
    )
    timeline = make_timeline(register, AS_OF)
    items = by_rule(timeline)

    assert register.warnings == ()
    assert timeline.models[0].systemic_risk is False
    assert items["art-52-1-notification"].due == date(2025, 8, 16)
    for rule in DATED:
        assert items[rule].due == date(2025, 9, 1), rule  # history: due before the decision
    assert INCIDENTS not in items  # the standing duty ended with the decision


def test_a_model_below_the_threshold_has_no_art_55_duties(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register(
        {"id": "small", "placed_on_market": date(2025, 9, 1), "training_compute_flop": 9.9e24}
    )
    items = by_rule(make_timeline(register, AS_OF))

    assert not {*DATED, INCIDENTS} & set(items)


def test_a_model_designated_after_placing_has_nothing_overdue_before_the_designation(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    # K4: duties start when the provider is informed of the designation, never backdated.
    register = make_register(
        {
            "id": "orion",
            "placed_on_market": date(2025, 10, 1),
            "training_compute_flop": 8e24,
            "systemic_risk": "designated",
            "designated_on": date(2026, 5, 20),
        },
        today=date(2026, 11, 24),
    )
    timeline = make_timeline(register, date(2026, 5, 19))

    overdue = [i.rule for i in timeline.models[0].items if i.status == "overdue"]
    assert not [rule for rule in overdue if rule.startswith(("art-55", "cop-ss"))]
    assert not any(
        i.due is not None and i.due < date(2026, 5, 20)
        for i in timeline.models[0].items
        if i.rule.startswith(("art-55", "cop-ss")) and i.kind != "milestone"
    )


def test_a_model_designated_for_not_notifying_owes_its_duties_from_the_threshold(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    # K4: designation under Art 52(1) for failure to notify -> from when the condition was met.
    register = make_register(
        {
            "id": "silent",
            "placed_on_market": date(2025, 9, 1),
            "training_compute_flop": 1.2e25,
            "threshold_known_on": date(2026, 1, 10),
            "systemic_risk": "designated",
            "designated_on": date(2026, 6, 1),
        }
    )
    items = by_rule(make_timeline(register, AS_OF))

    for rule in DATED:
        assert items[rule].due == date(2026, 1, 10), rule
