"""AI Act Arts 91, 101, 113 (REFERENCE L7): the Commission's request and fining powers apply
from 2026-08-02; a request received before is a cooperation matter, never cited as Art 91/101."""

from __future__ import annotations

from datetime import date

from notifier.core.events import CommissionRequest
from notifier.core.items import Item
from tests.support.timelines import TimelineOf

MODEL = {"id": "atlas", "placed_on_market": date(2026, 1, 12)}


def request_items(timeline_of: TimelineOf, received: date, due: date) -> dict[str, Item]:
    request = CommissionRequest("commission-request-1", None, received, due, "AI-Office/1")
    timeline = timeline_of(MODEL, events=[request])
    return {i.rule: i for i in timeline.organisation_items if i.event == "commission-request-1"}


def test_a_request_received_on_2_august_2026_is_an_art_91_request(
    timeline_of: TimelineOf,
) -> None:
    items = request_items(timeline_of, date(2026, 8, 2), date(2026, 9, 1))

    assert set(items) == {"art-91-commission-request"}
    assert items["art-91-commission-request"].due == date(2026, 9, 1)
    assert "Art 91(4)" in items["art-91-commission-request"].citation


def test_a_request_received_the_day_before_is_not_cited_as_art_91_or_101(
    timeline_of: TimelineOf,
) -> None:
    items = request_items(timeline_of, date(2026, 8, 1), date(2026, 8, 31))

    (item,) = items.values()
    assert item.rule == "commission-request-before-enforcement"
    assert item.due == date(2026, 8, 31)
    assert "Art 91" not in item.citation
    assert "Art 101" not in item.citation
    assert "Transparency, Measure 1.2" in item.citation
