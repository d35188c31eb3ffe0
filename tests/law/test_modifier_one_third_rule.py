"""Commission guidelines C(2025) 5045, s.3.2: a modifier over one third of the compute provides."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from notifier.core.items import Timeline
from notifier.core.register import Register
from notifier.core.register.classification import base_systemic, classify
from notifier.errors import RegisterError
from tests.support.timelines import AS_OF, TimelineOf, items_by_rule

MakeRegister = Callable[..., Register]
MakeTimeline = Callable[..., Timeline]

UPSTREAM = {
    "provider": "Example Upstream",
    "model": "Base-70B",
    "signatory": "full",
    "last_verified": date(2026, 11, 2),
}


def modifier(modification: float, base: float | None = None, **fields: object) -> dict[str, object]:
    model: dict[str, object] = {
        "id": "tune",
        "role": "modifier",
        "placed_on_market": date(2026, 6, 1),
        "base_model": "Base-70B by Example Upstream",
        "base_compute_flop": base,
        "modification_compute_flop": modification,
        "upstream": [UPSTREAM],
    }
    model.update(fields)
    return model


def test_a_modification_above_one_third_of_the_base_compute_makes_the_modifier_a_provider(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register(modifier(2.5e24, base=6e24))
    timeline = make_timeline(register, AS_OF)
    items = items_by_rule(timeline)

    assert classify(register.models[0]).modifier_threshold_flop == 2e24
    assert timeline.models[0].regime == "chapter-v"
    assert items["art-53-1-a-technical-documentation"].due == date(2026, 6, 1)
    assert "review-upstream-signatory" in items


@pytest.mark.parametrize("modification", [2e24, 1.9e24, 1e21])
def test_a_modification_of_at_most_one_third_leaves_the_modifier_downstream(
    timeline_of: TimelineOf, modification: float
) -> None:
    timeline = timeline_of(modifier(modification, base=6e24, placed_on_market=None))
    model = timeline.models[0]

    assert model.regime == "downstream"
    assert model.regime_deadline is None
    assert model.systemic_risk is False
    assert {item.rule for item in model.items} == {"review-upstream-signatory"}


@pytest.mark.parametrize(("base_systemic_risk", "threshold"), [(True, 1e25 / 3), (False, 1e23 / 3)])
def test_without_the_base_compute_the_threshold_is_one_third_of_1e25_or_1e23(
    make_register: MakeRegister, base_systemic_risk: bool, threshold: float
) -> None:
    # A modifier of a systemic-risk model is presumed systemic and must date the threshold.
    known_on = date(2026, 5, 1) if base_systemic_risk else None
    register = make_register(
        modifier(
            threshold * 1.01, base_systemic_risk=base_systemic_risk, threshold_known_on=known_on
        )
    )

    assert classify(register.models[0]).modifier_threshold_flop == pytest.approx(threshold)
    assert classify(register.models[0]).provider is True


@pytest.mark.parametrize(("base_systemic_risk", "modification"), [(True, 3.3e24), (False, 3.3e22)])
def test_below_the_fallback_threshold_the_modifier_stays_downstream(
    timeline_of: TimelineOf,
    base_systemic_risk: bool,
    modification: float,
) -> None:
    assert (
        timeline_of(
            modifier(modification, base_systemic_risk=base_systemic_risk, placed_on_market=None)
        )
        .models[0]
        .regime
        == "downstream"
    )


def test_a_modifier_of_a_systemic_risk_model_over_the_threshold_is_presumed_systemic(
    timeline_of: TimelineOf,
) -> None:
    timeline = timeline_of(
        modifier(4e24, base_systemic_risk=True, threshold_known_on=date(2026, 5, 1))
    )
    items = items_by_rule(timeline)

    assert timeline.models[0].systemic_risk is True
    assert items["art-52-1-notification"].due == date(2026, 5, 15)
    assert items["art-55-1-a-model-evaluation"].due == date(2026, 6, 1)


def test_a_modifier_of_a_systemic_risk_model_must_give_threshold_known_on(
    make_register: MakeRegister,
) -> None:
    with pytest.raises(RegisterError) as caught:
        make_register(modifier(4e24, base_systemic_risk=True))

    assert [(p.model, p.field) for p in caught.value.problems] == [("tune", "threshold_known_on")]


def test_a_modifier_must_name_its_base_model_and_modification_compute(
    make_register: MakeRegister,
) -> None:
    with pytest.raises(RegisterError) as caught:
        make_register(
            {
                "id": "tune",
                "role": "modifier",
                "placed_on_market": date(2026, 6, 1),
                "upstream": [UPSTREAM],
            }
        )

    fields = {p.field for p in caught.value.problems}
    assert {"base_model", "modification_compute_flop"} <= fields
    assert all(p.model == "tune" for p in caught.value.problems)


def test_a_provider_over_the_threshold_needs_a_placement_date(
    make_register: MakeRegister,
) -> None:
    with pytest.raises(RegisterError) as caught:
        make_register(modifier(2.5e24, base=6e24, placed_on_market=None))

    (problem,) = caught.value.problems
    assert problem.field == "placed_on_market"
    assert "planned_placement" in problem.message


def test_a_base_known_to_exceed_1e25_flop_makes_the_modified_model_systemic_without_a_flag(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    # K5: the modified model's compute includes the base's (GL Annex A.1); GL s.3.2.2.
    register = make_register(modifier(1.0e25, base=2.4e25, threshold_known_on=date(2026, 5, 1)))
    timeline = make_timeline(register, AS_OF)
    items = items_by_rule(timeline)

    assert base_systemic(register.models[0]) is True
    assert classify(register.models[0]).systemic_risk == "presumed"
    assert timeline.models[0].systemic_risk is True
    assert items["art-52-1-notification"].due == date(2026, 5, 15)
    assert items["art-55-1-a-model-evaluation"].due == date(2026, 6, 1)


def test_a_modifier_of_a_base_over_1e25_flop_must_date_the_threshold(
    make_register: MakeRegister,
) -> None:
    with pytest.raises(RegisterError) as caught:
        make_register(modifier(1.0e25, base=2.4e25))

    (problem,) = caught.value.problems
    assert problem.field == "threshold_known_on"
    assert "base model over 1e25 FLOP" in problem.message


def test_a_light_fine_tune_of_a_base_over_1e25_flop_stays_downstream(
    timeline_of: TimelineOf,
) -> None:
    assert (
        timeline_of(modifier(1e21, base=2.4e25, placed_on_market=None)).models[0].regime
        == "downstream"
    )
