"""What each event says: all-day, stable UID, stored stamps, and the duty in words."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, vCalAddress

from notifier.core.items import calendar_uid
from notifier.core.register import Register
from notifier.core.timeline import DoneMark
from notifier.feeds.render import FeedBuilder
from notifier.settings import FeedSettings
from tests.support.text import missing

from .examples import LATER, NOW, Build, by_audience, events, example_text, parse

ATLAS_DOCS = "atlas-7b/art-53-1-a-technical-documentation"


def test_every_dated_item_is_an_all_day_transparent_event(build: Build, example: Register) -> None:
    for event in events(by_audience(build(example))["organisation"]).values():
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert type(start) is date
        assert type(end) is date
        assert end - start == timedelta(days=1)
        assert event["DTSTART"].params["VALUE"] == "DATE"
        assert str(event["TRANSP"]) == "TRANSPARENT"


def test_standing_items_without_a_date_are_not_events(build: Build, example: Register) -> None:
    found = events(by_audience(build(example))["model:titan-1"])
    assert "titan-1/art-55-1-c-serious-incidents" not in found  # "without undue delay"
    assert "titan-1/art-52-1-notification" in found


def test_uid_comes_from_the_item_id_only(build: Build) -> None:
    before = events(by_audience(build(parse(example_text())))["model:atlas-7b"])[ATLAS_DOCS]
    renamed = parse(example_text().replace('name = "Atlas 7B"', 'name = "Atlas Seven"'))
    after = events(by_audience(build(renamed, now=LATER))["model:atlas-7b"])[ATLAS_DOCS]
    assert str(before["UID"]) == str(after["UID"]) == calendar_uid(ATLAS_DOCS)
    assert "Atlas Seven" in str(after["SUMMARY"])


def test_stamps_are_when_the_item_last_changed_not_when_the_build_ran(
    build: Build, example: Register
) -> None:
    build(example, now=NOW)
    event = events(by_audience(build(example, now=LATER))["organisation"])[ATLAS_DOCS]
    assert event.decoded("DTSTAMP") == NOW
    assert event.decoded("LAST-MODIFIED") == NOW
    assert event.decoded("CREATED") == NOW
    assert event.decoded("SEQUENCE") == 0


def test_summary_names_the_model_and_the_duty(build: Build, example: Register) -> None:
    event = events(by_audience(build(example))["organisation"])[ATLAS_DOCS]
    assert str(event["SUMMARY"]) == (
        "Atlas 7B: Technical documentation (Annex XI) drawn up and kept up to date"
    )


def test_description_gives_regime_citation_basis_verification_status_owners_and_command(
    build: Build, example: Register
) -> None:
    event = events(by_audience(build(example))["organisation"])[ATLAS_DOCS]
    description = str(event["DESCRIPTION"])
    assert (
        missing(
            description,
            "regime art-111-3-transition, deadline 2027-08-02",
            "Citation: AI Act Art 53(1)(a); Annex XI; AI Act Art 111(3)",
            "Basis: law",
            "Verification: primary",
            "Status: upcoming",
            "Owners: Ana Martin (legal), Bruno Keller (ml-lead)",
            f"notifier done {ATLAS_DOCS}",
        )
        == []
    )


def test_categories_carry_basis_kind_and_status(build: Build, example: Register) -> None:
    event = events(by_audience(build(example))["organisation"])[
        "atlas-7b/cop-c-1-copyright-measures"
    ]
    assert event.categories == ["AI Act", "code", "deadline", "upcoming"]


def test_url_is_given_where_the_rule_has_one(build: Build, example: Register) -> None:
    found = events(by_audience(build(example))["model:titan-1"])
    assert str(found["titan-1/art-53-1-d-training-content-summary"]["URL"]).startswith("https://")
    assert "URL" not in found["titan-1/art-53-1-c-copyright-policy"]


def test_upstream_checks_name_the_upstream_model(build: Build, example: Register) -> None:
    found = events(by_audience(build(example))["model:support-bot"])
    big = found["support-bot/review-upstream-signatory/example-upstream-big-1"]
    assert "(Example Upstream Big-1)" in str(big["SUMMARY"])
    assert "Upstream: Example Upstream Big-1" in str(big["DESCRIPTION"])


def test_done_items_stay_in_the_feed_marked_done(build: Build, example: Register) -> None:
    done = {ATLAS_DOCS: (DoneMark(date(2026, 11, 20), "filed"),)}
    event = events(by_audience(build(example, done=done))["model:atlas-7b"])[ATLAS_DOCS]
    assert str(event["SUMMARY"]).startswith("✓ Done · Atlas 7B: ")
    assert "Status: done (met on 2026-11-20)" in str(event["DESCRIPTION"])
    assert "done" in event.categories


def test_overdue_items_say_so_in_the_summary(build: Build, example: Register) -> None:
    found = events(by_audience(build(example))["model:nimbus-2"])
    assert str(found["nimbus-2/art-53-1-c-copyright-policy"]["SUMMARY"]).startswith("Overdue · ")


def test_without_a_method_no_organizer_is_added(build: Build, example: Register) -> None:
    body = by_audience(build(example))["organisation"].body
    assert b"METHOD:" not in body
    assert b"ORGANIZER" not in body


def test_a_published_feed_gives_every_event_what_rfc_5546_publish_requires(
    build: Build, example: Register
) -> None:
    organizer = vCalAddress("mailto:notifier@example.com")
    builder = FeedBuilder(FeedSettings(publish_method=True), organizer)
    calendar = Calendar.from_ical(by_audience(build(example, builder=builder))["organisation"].body)
    assert str(calendar["METHOD"]) == "PUBLISH"
    for event in calendar.walk("VEVENT"):
        for required in ("DTSTAMP", "DTSTART", "ORGANIZER", "SUMMARY", "UID"):
            assert required in event
        assert str(event["ORGANIZER"]) == "mailto:notifier@example.com"


def test_stamps_are_utc_whole_seconds(build: Build, example: Register) -> None:
    paris = datetime(2026, 11, 24, 9, 30, 15, 123456, tzinfo=ZoneInfo("Europe/Paris"))
    body = by_audience(build(example, now=paris))["model:atlas-7b"].body
    assert b"DTSTAMP:20261124T083015Z\r\n" in body
    assert b"TZID" not in body


def test_a_right_that_has_opened_is_marked_open_not_done(build: Build, example: Register) -> None:
    found = events(by_audience(build(example))["model:orion-xl"])
    [right] = [e for item_id, e in found.items() if item_id.endswith("art-52-5-reassessment")]
    assert str(right["SUMMARY"]).startswith("Open · ")
    assert "a right you may exercise from" in str(right["DESCRIPTION"])
