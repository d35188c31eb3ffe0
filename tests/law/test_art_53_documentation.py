"""AI Act Art 53(1)(a)-(d) and the Art 53(2) open-source exemption."""

from __future__ import annotations

from datetime import date

from notifier.core.events import FurtherTraining
from tests.support.registers import downstream_model
from tests.support.timelines import ItemsOf, TimelineOf, assert_item, assert_items

ART_53 = (
    "art-53-1-a-technical-documentation",
    "art-53-1-b-downstream-information",
    "art-53-1-c-copyright-policy",
    "art-53-1-d-training-content-summary",
)


def test_a_chapter_v_model_placed_on_2_august_2025_has_art_53_1_a_to_d_due_that_day(
    items_of: ItemsOf,
) -> None:
    items = items_of({"id": "m", "placed_on_market": date(2025, 8, 2)})

    assert_items(
        items, ART_53, due=date(2025, 8, 2), basis="law", kind="deadline", status="overdue"
    )
    assert items["art-53-1-a-technical-documentation"].citation == "AI Act Art 53(1)(a); Annex XI"
    assert items["art-53-1-b-downstream-information"].citation == "AI Act Art 53(1)(b); Annex XII"
    assert items["art-53-1-c-copyright-policy"].citation == "AI Act Art 53(1)(c)"
    assert items["art-53-1-d-training-content-summary"].citation.startswith("AI Act Art 53(1)(d)")


def test_a_planned_model_has_its_art_53_items_due_on_the_planned_day(items_of: ItemsOf) -> None:
    items = items_of({"id": "m", "planned_placement": date(2027, 3, 1)})

    assert {items[rule].due for rule in ART_53} == {date(2027, 3, 1)}
    assert {items[rule].status for rule in ART_53} == {"upcoming"}


def test_the_open_source_exemption_removes_art_53_1_a_and_b_but_not_c_and_d(
    items_of: ItemsOf,
) -> None:
    items = items_of({"id": "open", "placed_on_market": date(2025, 9, 10), "open_source": True})

    assert "art-53-1-a-technical-documentation" not in items
    assert "art-53-1-b-downstream-information" not in items
    assert items["art-53-1-c-copyright-policy"].due == date(2025, 9, 10)
    assert items["art-53-1-d-training-content-summary"].due == date(2025, 9, 10)


def test_the_open_source_exemption_also_drops_the_yearly_documentation_review(
    items_of: ItemsOf,
) -> None:
    assert "review-documentation" not in items_of(
        {"id": "open", "placed_on_market": date(2025, 9, 10), "open_source": True}
    )


def test_the_open_source_exemption_does_not_apply_to_a_systemic_risk_model(
    items_of: ItemsOf,
) -> None:
    items = items_of(
        {
            "id": "open-xl",
            "placed_on_market": date(2026, 2, 10),
            "training_compute_flop": 1.5e25,
            "threshold_known_on": date(2025, 9, 1),
            "open_source": True,
        }
    )

    assert_items(items, ART_53, due=date(2026, 2, 10))


def test_a_designated_open_source_model_keeps_art_53_1_a_and_b(items_of: ItemsOf) -> None:
    items = items_of(
        {
            "id": "open-designated",
            "placed_on_market": date(2025, 9, 10),
            "training_compute_flop": 5e24,
            "systemic_risk": "designated",
            "designated_on": date(2026, 5, 20),
            "open_source": True,
        }
    )

    assert "art-53-1-a-technical-documentation" in items
    assert "art-53-1-b-downstream-information" in items


def test_a_downstream_model_has_no_art_53_items(items_of: ItemsOf) -> None:
    items = items_of(downstream_model())

    assert not set(ART_53) & set(items)


def test_the_documentation_review_runs_yearly_from_the_last_review(items_of: ItemsOf) -> None:
    item = items_of(
        {
            "id": "m",
            "placed_on_market": date(2025, 8, 2),
            "documentation_reviewed_on": date(2026, 7, 20),
        }
    )["review-documentation"]

    assert_item(item, due=date(2027, 7, 20), kind="review", trigger=date(2026, 7, 20))


GROWN_OPEN = {
    "id": "open-grown",
    "placed_on_market": date(2025, 9, 10),
    "training_compute_flop": 1.2e25,
    "threshold_known_on": date(2026, 4, 1),
    "open_source": True,
}


def test_an_open_source_model_that_becomes_systemic_owes_art_53_1_a_b_from_that_day(
    items_of: ItemsOf,
) -> None:
    # K4: the Art 53(2) exemption ends when systemic risk arises, not backdated to placing.
    items = items_of(GROWN_OPEN)

    exempt_before = ("art-53-1-a-technical-documentation", "art-53-1-b-downstream-information")
    day = date(2026, 4, 1)
    assert_items(items, exempt_before, due=day, trigger=day, verification="inference")
    for rule in exempt_before:
        assert "exemptions ended on 2026-04-01" in items[rule].description, rule
    never_exempt = ("art-53-1-c-copyright-policy", "art-53-1-d-training-content-summary")
    assert_items(items, never_exempt, due=date(2025, 9, 10))
    # inferred, since it counts from an inferred date
    assert_item(items["review-documentation"], due=date(2027, 4, 1), verification="inference")


def test_before_the_threshold_day_nothing_of_it_is_overdue(items_of: ItemsOf) -> None:
    items = items_of(GROWN_OPEN, as_of=date(2026, 1, 15))

    assert items["art-53-1-a-technical-documentation"].status == "upcoming"
    assert items["art-55-1-a-model-evaluation"].status == "upcoming"


def test_further_training_on_additional_data_brings_the_summary_update_six_months_later(
    timeline_of: TimelineOf,
) -> None:
    """F4 (TPL point 29): further trained 2026-06-01 -> update due 2026-12-01; open-source
    models too (Art 53(1)(d) has no exemption)."""
    trained = FurtherTraining("further-training-1", "m", date(2026, 6, 1))
    model = {"id": "m", "placed_on_market": date(2026, 1, 12), "open_source": True}
    items = [i for i in timeline_of(model, events=[trained]).all_items() if i.event == trained.id]

    assert [(i.rule, i.due) for i in items] == [("tpl-29-summary-update", date(2026, 12, 1))]
