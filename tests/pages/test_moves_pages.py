"""Issue 23 on the pages: the model page and the item page show the recent moves of due dates,
from what to what and why (with the rule and its citation when the rule data moved them)."""

from __future__ import annotations

from datetime import date, timedelta

from starlette.testclient import TestClient

from notifier.app.events import recorded_events
from notifier.core.moves import Cause, Inputs, Move, Shown, Snapshot
from notifier.store.moves import advance
from tests.pages.conftest import NOW
from tests.support.text import missing
from tests.support.webapp import WebSite, post

ITEM = "atlas-13b/art-53-1-a-technical-documentation"


def record_move(site: WebSite, found_on: date) -> None:
    shown = Shown(ITEM, "art-53-1-a-technical-documentation", "atlas-13b", "Docs", None, "x", "v")
    after = Snapshot({ITEM: shown}, {"atlas-13b": Inputs("atlas-13b", "{}", (), "v")})
    cause = Cause(
        "rules",
        "2026.12.1 -> 2027.1.0",
        "the rule data changed (2026.12.1 -> 2027.1.0)",
        (("art-111-3-transition-ends", "AI Act Art 111(3)"),),
    )
    move = Move(
        ITEM,
        "art-53-1-a-technical-documentation",
        "atlas-13b",
        "Technical documentation",
        date(2027, 8, 2),
        date(2027, 6, 1),
        "earlier",
        cause,
        ("legal",),
        key=f"{ITEM}|test|{found_on}",
    )
    at = NOW.replace(year=found_on.year, month=found_on.month, day=found_on.day)
    advance(site.context.store, after, lambda _before: [move], at)


def test_the_model_and_item_pages_show_a_recent_move_with_its_cause(
    site: WebSite, ana: TestClient
) -> None:
    record_move(site, NOW.date())
    expected = ["moved earlier, from 2027-08-02 to 2027-06-01", "the rule data changed"]
    model_page = ana.get("/models/atlas-13b").text
    assert missing(model_page, "Dates that moved lately", *expected, "AI Act Art 111(3)") == []
    item_page = ana.get(f"/items/{ITEM}").text
    assert missing(item_page, "Its due date moved lately", *expected) == []


def test_a_move_older_than_show_days_is_no_longer_shown(site: WebSite, ana: TestClient) -> None:
    record_move(site, NOW.date() - timedelta(days=31))
    assert "Dates that moved lately" not in ana.get("/models/atlas-13b").text


def test_the_event_form_previews_what_a_designation_would_move_and_records_nothing(
    site: WebSite, ana: TestClient
) -> None:
    form = "/models/atlas-13b/record/designation"
    answer = post(ana, form, {"decided_on": "2026-11-02", "preview": "1"})
    assert answer.status_code == 200
    page = answer.text
    assert "If this event were recorded (nothing is recorded yet)" in page
    assert "new duty, due 2026-11-02; because event designation-1 was recorded" in page
    assert "art-55-1-a-model-evaluation" in page
    assert recorded_events(site.context).events == []
