"""Code of Practice, Copyright chapter, Measures 1.1-1.5: due with the Art 53(1)(c) policy."""

from __future__ import annotations

from datetime import date

from notifier.core.events import CopyrightComplaint
from notifier.core.items import Item
from tests.support.timelines import ItemsOf, TimelineOf, assert_item

RULE = "cop-c-1-copyright-measures"


def test_a_copyright_signatory_has_the_copyright_measures_due_with_the_copyright_policy(
    items_of: ItemsOf,
) -> None:
    items = items_of({"id": "open", "placed_on_market": date(2025, 9, 10), "open_source": True})

    assert items[RULE].due == items["art-53-1-c-copyright-policy"].due == date(2025, 9, 10)
    assert_item(items[RULE], basis="code", citation="Code of Practice, Copyright, Measures 1.1-1.5")


def test_without_the_copyright_signature_there_are_no_copyright_measures(items_of: ItemsOf) -> None:
    assert RULE not in items_of(
        {"id": "m", "placed_on_market": date(2025, 9, 10)}, copyright="not_signed"
    )


COMPLAINT = "cop-c-1-5-copyright-complaint"


def complaint_items(timeline_of: TimelineOf, **settings: object) -> dict[str, Item]:
    complaint = CopyrightComplaint("copyright-complaint-1", "m", date(2026, 11, 10), "Label X")
    model = {"id": "m", "placed_on_market": date(2026, 1, 12)}
    timeline = timeline_of(model, events=[complaint], **settings)
    return {i.rule: i for i in timeline.all_items() if i.event == complaint.id}


def test_a_copyright_complaint_is_acted_on_within_the_services_period(
    timeline_of: TimelineOf,
) -> None:
    """E4: no day count in the chapter; the setting's default 30 days: 2026-11-10 -> 12-10."""
    item = complaint_items(timeline_of)[COMPLAINT]

    assert item.due == date(2026, 12, 10)
    assert "setting" in item.description


def test_the_complaint_period_is_the_setting(timeline_of: TimelineOf) -> None:
    item = complaint_items(timeline_of, offsets={"copyright_complaint": 14})[COMPLAINT]

    assert item.due == date(2026, 11, 24)


def test_no_complaint_clock_without_the_copyright_chapter(timeline_of: TimelineOf) -> None:
    assert complaint_items(timeline_of, copyright="not_signed") == {}
