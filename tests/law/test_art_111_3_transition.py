"""AI Act Art 111(3): models placed before 2 August 2025 comply by 2 August 2027."""

from __future__ import annotations

from datetime import date

from tests.support.timelines import (
    ItemsOf,
    TimelineOf,
    assert_item,
    assert_items,
    items_by_rule,
    regime,
)

LEGACY = {"id": "legacy", "placed_on_market": date(2024, 11, 5)}
ART_53 = (
    "art-53-1-a-technical-documentation",
    "art-53-1-b-downstream-information",
    "art-53-1-c-copyright-policy",
    "art-53-1-d-training-content-summary",
)


def test_a_legacy_models_art_53_1_a_item_is_due_on_2_august_2027_citing_art_111_3(
    items_of: ItemsOf,
) -> None:
    assert_item(
        items_of(LEGACY)["art-53-1-a-technical-documentation"],
        due=date(2027, 8, 2),
        citation="AI Act Art 53(1)(a); Annex XI; AI Act Art 111(3)",
        status="upcoming",
        trigger=date(2024, 11, 5),
    )


def test_every_art_53_item_of_a_legacy_model_is_due_on_2_august_2027(items_of: ItemsOf) -> None:
    items = items_of({"id": "legacy", "placed_on_market": date(2023, 3, 1)})

    assert_items(items, ART_53, due=date(2027, 8, 2))
    for rule in ART_53:
        assert "Art 111(3)" in items[rule].citation, rule


def test_a_model_placed_on_1_august_2025_is_in_the_art_111_3_transition(
    timeline_of: TimelineOf,
) -> None:
    timeline = timeline_of({"id": "eve", "placed_on_market": date(2025, 8, 1)})

    assert regime(timeline) == ("art-111-3-transition", date(2027, 8, 2))


def test_a_model_placed_on_2_august_2025_is_chapter_v_with_art_53_items_due_that_day(
    timeline_of: TimelineOf,
) -> None:
    timeline = timeline_of({"id": "day-one", "placed_on_market": date(2025, 8, 2)})
    item = items_by_rule(timeline)["art-53-1-a-technical-documentation"]

    assert regime(timeline) == ("chapter-v", date(2025, 8, 2))
    assert item.due == date(2025, 8, 2)
    assert "Art 111(3)" not in item.citation


def test_the_transition_end_milestone_is_shown_only_when_some_model_is_legacy(
    timeline_of: TimelineOf,
) -> None:
    legacy = timeline_of({"id": "old", "placed_on_market": date(2025, 1, 10)})
    recent = timeline_of({"id": "new", "placed_on_market": date(2025, 9, 10)})

    assert "art-111-3-transition-ends" in {i.rule for i in legacy.organisation_items}
    assert "art-111-3-transition-ends" not in {i.rule for i in recent.organisation_items}


def test_a_code_commitment_moved_to_2_august_2027_is_labelled_an_inference(
    items_of: ItemsOf,
) -> None:
    item = items_of(LEGACY)["cop-t-1-1-model-documentation"]

    assert_item(item, due=date(2027, 8, 2), basis="code", verification="inference")


def test_a_legacy_models_first_documentation_review_is_a_year_after_its_2027_deadline(
    items_of: ItemsOf,
) -> None:
    item = items_of(LEGACY)["review-documentation"]

    assert_item(item, due=date(2028, 8, 2), trigger=date(2027, 8, 2))


def test_a_legacy_models_recorded_documentation_review_sets_the_next_one(
    items_of: ItemsOf,
) -> None:
    reviewed = LEGACY | {"documentation_reviewed_on": date(2026, 7, 20)}

    assert items_of(reviewed)["review-documentation"].due == date(2027, 7, 20)


def test_a_legacy_models_ten_year_retention_runs_from_placing_not_from_2027(
    items_of: ItemsOf,
) -> None:
    item = items_of(LEGACY)["cop-t-1-1-documentation-retention"]

    assert item.due == date(2034, 11, 5)
    assert "Art 111(3)" not in item.citation
