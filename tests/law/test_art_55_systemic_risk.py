"""AI Act Arts 51 and 55: systemic-risk classification and the Art 55(1) duties."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from notifier.core.events import DoneMark
from notifier.core.register import Register
from notifier.errors import RegisterError
from tests.support.timelines import ItemsOf, TimelineOf, assert_item, assert_items, items_by_rule

MakeRegister = Callable[..., Register]

DATED = (
    "art-55-1-a-model-evaluation",
    "art-55-1-b-systemic-risk-mitigation",
    "art-55-1-d-cybersecurity",
)
INCIDENTS = "art-55-1-c-serious-incidents"


def model(model_id: str, flop: float, **fields: object) -> dict[str, object]:
    """A model of `flop` training compute; placed on 2025-09-01 unless `fields` say otherwise."""
    return {"id": model_id, "placed_on_market": date(2025, 9, 1), "training_compute_flop": flop} | (
        fields
    )


TITAN = model("titan", 2.4e25, threshold_known_on=date(2025, 3, 1))
ORION = model(
    "orion",
    8e24,
    placed_on_market=date(2025, 10, 1),
    systemic_risk="designated",
    designated_on=date(2026, 5, 20),
)


def test_compute_over_1e25_flop_presumes_systemic_risk_with_the_art_55_duties(
    timeline_of: TimelineOf,
) -> None:
    timeline = timeline_of(TITAN)
    items = items_by_rule(timeline)

    assert timeline.models[0].systemic_risk is True
    assert_items(items, DATED, due=date(2025, 9, 1), basis="law")
    assert items["art-55-1-a-model-evaluation"].citation == "AI Act Art 55(1)(a)"


def test_compute_of_exactly_1e25_flop_does_not_presume_systemic_risk(
    timeline_of: TimelineOf,
) -> None:
    timeline = timeline_of(model("edge", 1e25))

    assert timeline.models[0].systemic_risk is False
    assert not set(DATED) & set(items_by_rule(timeline))


def test_a_presumed_model_without_threshold_known_on_is_a_register_error(
    make_register: MakeRegister,
) -> None:
    with pytest.raises(RegisterError) as caught:
        make_register(model("titan", 3e25))

    (problem,) = caught.value.problems
    assert problem.model == "titan"
    assert problem.field == "threshold_known_on"
    assert "Art 52(1)" in problem.message


def test_serious_incident_reporting_is_a_standing_duty_without_a_date(
    timeline_of: TimelineOf,
) -> None:
    timeline = timeline_of(TITAN)
    item = items_by_rule(timeline)[INCIDENTS]

    assert_item(item, due=None, status="standing", citation="AI Act Art 55(1)(c)")
    assert timeline.models[0].items[-1] == item  # undated items sort last


def test_a_designated_model_has_art_55_duties_from_the_designation_when_placed_earlier(
    timeline_of: TimelineOf,
) -> None:
    timeline = timeline_of(ORION)
    items = items_by_rule(timeline)

    assert timeline.models[0].systemic_risk is True
    assert_items(items, DATED, due=date(2026, 5, 20), trigger=date(2026, 5, 20))
    assert items[INCIDENTS].status == "standing"


@pytest.mark.parametrize(
    ("fields", "due"),
    [
        pytest.param(
            {
                "id": "grown",
                "training_compute_flop": 1.2e25,
                "threshold_known_on": date(2026, 1, 10),
            },
            date(2026, 1, 10),
            id="a-threshold-met-after-placing-makes-them-due-from-that-day",
        ),
        pytest.param(
            {
                "placed_on_market": None,
                "planned_placement": date(2027, 6, 15),
                "threshold_known_on": date(2026, 12, 1),
            },
            date(2027, 6, 15),
            id="a-threshold-known-before-a-planned-placement-makes-them-due-on-placing",
        ),
        pytest.param(
            {
                "id": "silent",
                "training_compute_flop": 1.2e25,
                "threshold_known_on": date(2026, 1, 10),
                "systemic_risk": "designated",
                "designated_on": date(2026, 6, 1),
            },
            date(2026, 1, 10),
            # K4: designation under Art 52(1) for failure to notify: from when the condition
            # was met.
            id="a-model-designated-for-not-notifying-owes-them-from-the-threshold",
        ),
    ],
)
def test_the_dated_art_55_duties_fall_due_on_the_later_of_placing_and_systemic_risk(
    items_of: ItemsOf, fields: dict[str, object], due: date
) -> None:
    assert_items(items_of(TITAN | fields), DATED, due=due)


def test_a_legacy_systemic_risk_models_art_55_duties_are_due_on_2_august_2027(
    items_of: ItemsOf,
) -> None:
    legacy = model(
        "old-titan", 3e25, placed_on_market=date(2025, 1, 15), threshold_known_on=date(2024, 6, 1)
    )
    items = items_of(legacy)

    assert_items(items, DATED, due=date(2027, 8, 2))
    for rule in DATED:
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
    make_register: MakeRegister, timeline_of: TimelineOf
) -> None:
    accepted = model(
        "accepted",
        3e25,
        threshold_known_on=date(2025, 6, 1),
        systemic_risk="none",
        arguments_decision="accepted",
        arguments_decided_on=date(2026, 2, 10),
    )
    timeline = timeline_of(accepted)
    items = items_by_rule(timeline)

    assert make_register(accepted).warnings == ()
    assert timeline.models[0].systemic_risk is False
    assert items["art-52-1-notification"].due == date(2025, 8, 16)
    assert_items(items, DATED, due=date(2025, 9, 1))  # history: due before the decision
    assert INCIDENTS not in items  # the standing duty ended with the decision


def test_a_model_below_the_threshold_has_no_art_55_duties(items_of: ItemsOf) -> None:
    assert not {*DATED, INCIDENTS} & set(items_of(model("small", 9.9e24)))


def test_a_model_designated_after_placing_has_nothing_overdue_before_the_designation(
    timeline_of: TimelineOf,
) -> None:
    # K4: duties start when the provider is informed of the designation, never backdated.
    timeline = timeline_of(ORION, today=date(2026, 11, 24), as_of=date(2026, 5, 19))

    overdue = [i.rule for i in timeline.models[0].items if i.status == "overdue"]
    assert not [rule for rule in overdue if rule.startswith(("art-55", "cop-ss"))]
    assert not any(
        i.due is not None and i.due < date(2026, 5, 20)
        for i in timeline.models[0].items
        if i.rule.startswith(("art-55", "cop-ss")) and i.kind != "milestone"
    )


REVIEW = "review-systemic-risk-duties"


def test_the_art_55_1_duties_recur_as_a_review_twelve_months_after_they_began(
    timeline_of: TimelineOf,
) -> None:
    """L8: placed 2025-09-01 (systemic from placing) -> first review 2026-09-01."""
    item = items_by_rule(timeline_of(TITAN))[REVIEW]

    assert_item(item, due=date(2026, 9, 1), kind="review", status="overdue")
    assert item.citation == "AI Act Art 55(1)(a), (b), (d)"


def test_a_review_recorded_as_done_comes_round_again_a_year_later(
    timeline_of: TimelineOf,
) -> None:
    done = {f"titan/{REVIEW}": [DoneMark(date(2026, 9, 10))]}
    items = [i for i in timeline_of(TITAN, done=done).all_items() if i.rule == REVIEW]

    assert [(i.status, i.due) for i in items] == [
        ("done", date(2026, 9, 1)),
        ("upcoming", date(2027, 9, 10)),
    ]


def test_no_systemic_risk_review_for_a_model_without_systemic_risk(
    timeline_of: TimelineOf,
) -> None:
    assert REVIEW not in items_by_rule(timeline_of(model("small", 1e24)))
