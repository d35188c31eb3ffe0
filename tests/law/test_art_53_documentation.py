"""AI Act Art 53(1)(a)-(d) and the Art 53(2) open-source exemption."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from notifier.core.items import Item, Timeline
from notifier.core.register import Register

MakeRegister = Callable[..., Register]
MakeTimeline = Callable[..., Timeline]

AS_OF = date(2026, 11, 24)
ART_53 = (
    "art-53-1-a-technical-documentation",
    "art-53-1-b-downstream-information",
    "art-53-1-c-copyright-policy",
    "art-53-1-d-training-content-summary",
)


def by_rule(timeline: Timeline) -> dict[str, Item]:
    return {item.rule: item for item in timeline.models[0].items}


def test_a_chapter_v_model_placed_on_2_august_2025_has_art_53_1_a_to_d_due_that_day(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register({"id": "m", "placed_on_market": date(2025, 8, 2)})
    items = by_rule(make_timeline(register, AS_OF))

    for rule in ART_53:
        assert items[rule].due == date(2025, 8, 2), rule
        assert items[rule].basis == "law", rule
        assert items[rule].kind == "deadline", rule
        assert items[rule].status == "overdue", rule
    assert items["art-53-1-a-technical-documentation"].citation == "AI Act Art 53(1)(a); Annex XI"
    assert items["art-53-1-b-downstream-information"].citation == "AI Act Art 53(1)(b); Annex XII"
    assert items["art-53-1-c-copyright-policy"].citation == "AI Act Art 53(1)(c)"
    assert items["art-53-1-d-training-content-summary"].citation.startswith("AI Act Art 53(1)(d)")


def test_a_planned_model_has_its_art_53_items_due_on_the_planned_day(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register({"id": "m", "planned_placement": date(2027, 3, 1)})
    items = by_rule(make_timeline(register, AS_OF))

    assert {items[rule].due for rule in ART_53} == {date(2027, 3, 1)}
    assert {items[rule].status for rule in ART_53} == {"upcoming"}


def test_the_open_source_exemption_removes_art_53_1_a_and_b_but_not_c_and_d(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register(
        {"id": "open", "placed_on_market": date(2025, 9, 10), "open_source": True}
    )
    items = by_rule(make_timeline(register, AS_OF))

    assert "art-53-1-a-technical-documentation" not in items
    assert "art-53-1-b-downstream-information" not in items
    assert items["art-53-1-c-copyright-policy"].due == date(2025, 9, 10)
    assert items["art-53-1-d-training-content-summary"].due == date(2025, 9, 10)


def test_the_open_source_exemption_also_drops_the_yearly_documentation_review(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register(
        {"id": "open", "placed_on_market": date(2025, 9, 10), "open_source": True}
    )

    assert "review-documentation" not in by_rule(make_timeline(register, AS_OF))


def test_the_open_source_exemption_does_not_apply_to_a_systemic_risk_model(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register(
        {
            "id": "open-xl",
            "placed_on_market": date(2026, 2, 10),
            "training_compute_flop": 1.5e25,
            "threshold_known_on": date(2025, 9, 1),
            "open_source": True,
        }
    )
    items = by_rule(make_timeline(register, AS_OF))

    for rule in ART_53:
        assert items[rule].due == date(2026, 2, 10), rule


def test_a_designated_open_source_model_keeps_art_53_1_a_and_b(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register(
        {
            "id": "open-designated",
            "placed_on_market": date(2025, 9, 10),
            "training_compute_flop": 5e24,
            "systemic_risk": "designated",
            "designated_on": date(2026, 5, 20),
            "open_source": True,
        }
    )
    items = by_rule(make_timeline(register, AS_OF))

    assert "art-53-1-a-technical-documentation" in items
    assert "art-53-1-b-downstream-information" in items


def test_a_downstream_model_has_no_art_53_items(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register(
        {
            "id": "bot",
            "role": "downstream",
            "upstream": [
                {
                    "provider": "Up",
                    "model": "Big-1",
                    "signatory": "full",
                    "last_verified": date(2026, 11, 2),
                }
            ],
        }
    )
    items = by_rule(make_timeline(register, AS_OF))

    assert not set(ART_53) & set(items)


def test_the_documentation_review_runs_yearly_from_the_last_review(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register(
        {
            "id": "m",
            "placed_on_market": date(2025, 8, 2),
            "documentation_reviewed_on": date(2026, 7, 20),
        }
    )
    item = by_rule(make_timeline(register, AS_OF))["review-documentation"]

    assert item.due == date(2027, 7, 20)
    assert item.kind == "review"
    assert item.trigger == date(2026, 7, 20)


GROWN_OPEN = {
    "id": "open-grown",
    "placed_on_market": date(2025, 9, 10),
    "training_compute_flop": 1.2e25,
    "threshold_known_on": date(2026, 4, 1),
    "open_source": True,
}


def test_an_open_source_model_that_becomes_systemic_owes_art_53_1_a_b_from_that_day(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    # K4: the Art 53(2) exemption ends when systemic risk arises, not backdated to placing.
    items = by_rule(make_timeline(make_register(GROWN_OPEN), AS_OF))

    for rule in ("art-53-1-a-technical-documentation", "art-53-1-b-downstream-information"):
        assert items[rule].due == date(2026, 4, 1), rule
        assert items[rule].trigger == date(2026, 4, 1), rule
        assert items[rule].verification == "inference", rule
        assert "exemptions ended on 2026-04-01" in items[rule].description, rule
    for rule in ("art-53-1-c-copyright-policy", "art-53-1-d-training-content-summary"):
        assert items[rule].due == date(2025, 9, 10), rule  # never exempt
    assert items["review-documentation"].due == date(2027, 4, 1)
    assert items["review-documentation"].verification == "inference"  # from an inferred date


def test_before_the_threshold_day_nothing_of_it_is_overdue(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    items = by_rule(make_timeline(make_register(GROWN_OPEN), date(2026, 1, 15)))

    assert items["art-53-1-a-technical-documentation"].status == "upcoming"
    assert items["art-55-1-a-model-evaluation"].status == "upcoming"
