"""AI Act Art 111(3): models placed before 2 August 2025 comply by 2 August 2027."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from notifier.core.items import Item, Timeline
from notifier.core.register import Register

MakeRegister = Callable[..., Register]
MakeTimeline = Callable[..., Timeline]

AS_OF = date(2026, 11, 24)


def by_rule(timeline: Timeline, model_id: str) -> dict[str, Item]:
    model = next(m for m in timeline.models if m.id == model_id)
    return {item.rule: item for item in model.items}


def test_a_legacy_models_art_53_1_a_item_is_due_on_2_august_2027_citing_art_111_3(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register({"id": "legacy", "placed_on_market": date(2024, 11, 5)})
    timeline = make_timeline(register, AS_OF)

    item = by_rule(timeline, "legacy")["art-53-1-a-technical-documentation"]

    assert item.due == date(2027, 8, 2)
    assert item.citation == "AI Act Art 53(1)(a); Annex XI; AI Act Art 111(3)"
    assert item.status == "upcoming"
    assert item.trigger == date(2024, 11, 5)


def test_every_art_53_item_of_a_legacy_model_is_due_on_2_august_2027(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register({"id": "legacy", "placed_on_market": date(2023, 3, 1)})
    items = by_rule(make_timeline(register, AS_OF), "legacy")

    for rule in (
        "art-53-1-a-technical-documentation",
        "art-53-1-b-downstream-information",
        "art-53-1-c-copyright-policy",
        "art-53-1-d-training-content-summary",
    ):
        assert items[rule].due == date(2027, 8, 2), rule
        assert "Art 111(3)" in items[rule].citation, rule


def test_a_model_placed_on_1_august_2025_is_in_the_art_111_3_transition(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register({"id": "eve", "placed_on_market": date(2025, 8, 1)})
    model = make_timeline(register, AS_OF).models[0]

    assert model.regime == "art-111-3-transition"
    assert model.regime_deadline == date(2027, 8, 2)


def test_a_model_placed_on_2_august_2025_is_chapter_v_with_art_53_items_due_that_day(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register({"id": "day-one", "placed_on_market": date(2025, 8, 2)})
    timeline = make_timeline(register, AS_OF)
    model = timeline.models[0]
    item = by_rule(timeline, "day-one")["art-53-1-a-technical-documentation"]

    assert model.regime == "chapter-v"
    assert model.regime_deadline == date(2025, 8, 2)
    assert item.due == date(2025, 8, 2)
    assert "Art 111(3)" not in item.citation


def test_the_transition_end_milestone_is_shown_only_when_some_model_is_legacy(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    legacy = make_register({"id": "old", "placed_on_market": date(2025, 1, 10)})
    recent = make_register({"id": "new", "placed_on_market": date(2025, 9, 10)})

    legacy_rules = {i.rule for i in make_timeline(legacy, AS_OF).organisation_items}
    recent_rules = {i.rule for i in make_timeline(recent, AS_OF).organisation_items}

    assert "art-111-3-transition-ends" in legacy_rules
    assert "art-111-3-transition-ends" not in recent_rules


def test_a_code_commitment_moved_to_2_august_2027_is_labelled_an_inference(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register({"id": "legacy", "placed_on_market": date(2024, 11, 5)})
    item = by_rule(make_timeline(register, AS_OF), "legacy")["cop-t-1-1-model-documentation"]

    assert item.due == date(2027, 8, 2)
    assert item.basis == "code"
    assert item.verification == "inference"


def test_a_legacy_models_first_documentation_review_is_a_year_after_its_2027_deadline(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register({"id": "legacy", "placed_on_market": date(2024, 11, 5)})
    item = by_rule(make_timeline(register, AS_OF), "legacy")["review-documentation"]

    assert item.due == date(2028, 8, 2)
    assert item.trigger == date(2027, 8, 2)


def test_a_legacy_models_recorded_documentation_review_sets_the_next_one(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register(
        {
            "id": "legacy",
            "placed_on_market": date(2024, 11, 5),
            "documentation_reviewed_on": date(2026, 7, 20),
        }
    )
    item = by_rule(make_timeline(register, AS_OF), "legacy")["review-documentation"]

    assert item.due == date(2027, 7, 20)


def test_a_legacy_models_ten_year_retention_runs_from_placing_not_from_2027(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register({"id": "legacy", "placed_on_market": date(2024, 11, 5)})
    item = by_rule(make_timeline(register, AS_OF), "legacy")["cop-t-1-1-documentation-retention"]

    assert item.due == date(2034, 11, 5)
    assert "Art 111(3)" not in item.citation
