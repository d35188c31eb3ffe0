"""Whole feeds: valid RFC 5545 for icalendar and independent parsers, folded, sorted, complete."""

from __future__ import annotations

from datetime import date

import recurring_ical_events
import vobject
from icalendar import Calendar

from notifier.core.register import Register

from .examples import Build, by_audience, events, example_text, parse


def test_every_feed_parses_with_icalendar_vobject_and_recurring_ical_events(
    build: Build, example: Register
) -> None:
    for feed in build(example):
        text = feed.body.decode("utf-8")
        calendar = Calendar.from_ical(feed.body)
        uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
        assert len(uids) == feed.events
        parsed = vobject.readOne(text)
        assert len(parsed.contents.get("vevent", [])) == feed.events
        assert sorted(e.uid.value for e in parsed.contents.get("vevent", [])) == sorted(uids)
        window = recurring_ical_events.of(calendar).between(date(2000, 1, 1), date(2100, 1, 1))
        assert len(window) == feed.events


def test_lines_are_crlf_and_at_most_75_octets_without_splitting_a_character(
    build: Build, example: Register
) -> None:
    for feed in build(example):
        assert feed.body.endswith(b"END:VCALENDAR\r\n")
        lines = feed.body.split(b"\r\n")
        assert all(b"\n" not in line and b"\r" not in line for line in lines)
        for line in lines:
            assert len(line) <= 75
            line.decode("utf-8")  # a split multi-byte character would not decode


def test_a_long_non_ascii_summary_folds_between_characters(build: Build) -> None:
    name = "Modèle « été » ✓ " * 6
    register = parse(example_text().replace('name = "Atlas 7B"', f'name = "{name}"'))
    body = by_audience(build(register))["model:atlas-7b"].body
    for line in body.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")
    summary = str(events(body)["atlas-7b/art-53-1-c-copyright-policy"]["SUMMARY"])
    assert summary == f"{name}: Copyright policy in place"


def test_calendar_properties_name_refresh_and_colour(build: Build, example: Register) -> None:
    body = by_audience(build(example))["model:atlas-7b"].body
    calendar = Calendar.from_ical(body)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).startswith("-//")
    assert str(calendar["NAME"]) == "Atlas 7B: AI Act obligations (Example AI SAS)"
    assert str(calendar["X-WR-CALNAME"]) == str(calendar["NAME"])
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n" in body
    assert b"\r\nX-PUBLISHED-TTL:PT6H\r\n" in body
    assert b"\r\nCOLOR:steelblue\r\n" in body
    assert b"METHOD" not in body


def test_refresh_interval_and_colour_follow_the_settings(build: Build, example: Register) -> None:
    body = by_audience(build(example, refresh_hours=24, color="darkred"))["organisation"].body
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:P1D\r\n" in body
    assert b"\r\nX-PUBLISHED-TTL:P1D\r\n" in body
    assert b"\r\nCOLOR:darkred\r\n" in body


def test_events_are_sorted_by_day_then_item_id_with_no_duplicates(
    build: Build, example: Register
) -> None:
    for feed in build(example):
        found = events(feed)
        order = [(e.decoded("DTSTART"), item_id) for item_id, e in found.items()]
        assert order == sorted(order)
        uids = [str(e["UID"]) for e in found.values()]
        assert len(uids) == len(set(uids)) == feed.events


def test_organisation_feed_has_every_dated_item_and_the_others_their_share(
    build: Build, example: Register
) -> None:
    feeds = by_audience(build(example))
    everything = set(events(feeds["organisation"]))
    for model in example.models:
        own = set(events(feeds[f"model:{model.id}"]))
        assert own == {i for i in everything if i.startswith(f"{model.id}/")}
    product = set(events(feeds["person:product"]))
    owned = {m.id for m in example.models if "product" in m.owners}
    assert product == {i for i in everything if i.split("/")[0] in owned}
    legal = set(events(feeds["person:legal"]))
    assert {i for i in everything if i.startswith("organisation/")} <= legal


def test_there_is_a_feed_per_model_and_per_person(build: Build, example: Register) -> None:
    keys = [feed.audience.key for feed in build(example)]
    assert keys == [
        "organisation",
        *(f"model:{m.id}" for m in example.models),
        *(f"person:{p.id}" for p in example.people),
    ]
    filenames = {feed.audience.filename for feed in build(example)}
    assert {"organisation.ics", "model-atlas-7b.ics", "person-legal.ics"} <= filenames
