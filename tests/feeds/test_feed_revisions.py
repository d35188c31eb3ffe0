"""Rebuilds: the same register and store give the same bytes; a change moves only its events."""

from __future__ import annotations

from datetime import date, datetime

from notifier.core.register import Register
from notifier.core.timeline import DoneMark
from notifier.feeds.render import Feed, FeedBuilder
from notifier.settings import FeedSettings

from .examples import LATER, NOW, Build, by_audience, events, example_text, parse

NIMBUS_PLACED = "placed_on_market = 2026-03-16"
NIMBUS_MOVED = "placed_on_market = 2026-04-20"


def bodies(feeds: list[Feed]) -> dict[str, bytes]:
    return {feed.audience.key: feed.body for feed in feeds}


def test_a_rebuild_with_no_change_is_byte_identical(build: Build, example: Register) -> None:
    first = bodies(build(example, now=NOW))
    assert bodies(build(example, now=LATER)) == first


def test_a_fresh_builder_gives_the_same_bytes_as_one_with_cached_events(
    build: Build, example: Register
) -> None:
    cached = FeedBuilder(FeedSettings())
    first = bodies(build(example, builder=cached))
    again = bodies(build(example, now=LATER, builder=cached))
    fresh = bodies(build(example, now=LATER, builder=FeedBuilder(FeedSettings())))
    assert first == again == fresh
    assert cached.renderer.rendered == 0  # the second build rendered nothing


def test_changing_one_placement_date_changes_only_that_models_events(build: Build) -> None:
    before = events(by_audience(build(parse(example_text())))["organisation"])
    moved = parse(example_text().replace(NIMBUS_PLACED, NIMBUS_MOVED))
    after = events(by_audience(build(moved, now=LATER))["organisation"])
    assert set(before) == set(after)
    changed = {i for i in before if before[i].to_ical() != after[i].to_ical()}
    assert changed
    assert all(i.startswith("nimbus-2/") for i in changed)
    for item_id in changed:
        assert after[item_id].decoded("DTSTART") != before[item_id].decoded("DTSTART")
        assert after[item_id].decoded("SEQUENCE") == before[item_id].decoded("SEQUENCE") + 1
        assert after[item_id].decoded("LAST-MODIFIED") == LATER
        assert after[item_id].decoded("DTSTAMP") == LATER
        assert after[item_id].decoded("CREATED") == NOW


def test_unrelated_feeds_stay_byte_identical_when_one_model_changes(build: Build) -> None:
    before = bodies(build(parse(example_text())))
    after = bodies(build(parse(example_text().replace(NIMBUS_PLACED, NIMBUS_MOVED)), now=LATER))
    different = {key for key in before if before[key] != after[key]}
    assert different == {"organisation", "model:nimbus-2", "person:ml-lead"}


def test_sequence_rises_each_time_the_date_changes_and_never_falls(build: Build) -> None:
    item = "nimbus-2/art-53-1-c-copyright-policy"
    sequences = []
    for n, placed in enumerate(("2026-03-16", "2026-04-20", "2026-03-16")):
        text = example_text().replace(NIMBUS_PLACED, f"placed_on_market = {placed}")
        now = datetime(2026, 11, 24, 9, n, tzinfo=NOW.tzinfo)
        feed = by_audience(build(parse(text), now=now))["model:nimbus-2"]
        sequences.append(events(feed)[item].decoded("SEQUENCE"))
    assert sequences == [0, 1, 2]


def test_a_done_mark_raises_sequence_and_keeps_the_event(build: Build, example: Register) -> None:
    item = "atlas-13b/art-53-1-c-copyright-policy"
    before = events(by_audience(build(example))["model:atlas-13b"])[item]
    done = {item: (DoneMark(date(2026, 11, 23)),)}
    after = events(by_audience(build(example, now=LATER, done=done))["model:atlas-13b"])[item]
    assert str(before["UID"]) == str(after["UID"])
    assert after.decoded("SEQUENCE") == 1
    assert str(after["SUMMARY"]).startswith("✓ Done · ")


def test_status_moving_with_time_raises_sequence(build: Build, example: Register) -> None:
    item = "titan-1/cop-ss-1-1-framework-confirmation"  # due 2027-01-12
    before = events(by_audience(build(example))["model:titan-1"])[item]
    after = events(
        by_audience(build(example, now=LATER, as_of=date(2026, 12, 20)))["model:titan-1"]
    )[item]
    assert "Status: upcoming" in str(before["DESCRIPTION"])
    assert "Status: due-soon" in str(after["DESCRIPTION"])
    assert after.decoded("SEQUENCE") == 1


def test_a_change_to_the_text_alone_moves_last_modified_but_not_sequence(build: Build) -> None:
    item = "atlas-7b/art-53-1-c-copyright-policy"
    before = events(by_audience(build(parse(example_text())))["model:atlas-7b"])[item]
    renamed = parse(example_text().replace('name = "Bruno Keller"', 'name = "Bruno Keller-Ng"'))
    after = events(by_audience(build(renamed, now=LATER))["model:atlas-7b"])[item]
    assert "Bruno Keller-Ng (ml-lead)" in str(after["DESCRIPTION"])
    assert after.decoded("SEQUENCE") == before.decoded("SEQUENCE") == 0
    assert after.decoded("LAST-MODIFIED") == LATER


def test_a_builder_reused_across_builds_sees_renamed_people_and_models(build: Build) -> None:
    builder = FeedBuilder(FeedSettings())
    item = "atlas-7b/art-53-1-c-copyright-policy"
    build(parse(example_text()), builder=builder)
    text = (
        example_text()
        .replace('name = "Bruno Keller"', 'name = "Bruno Keller-Ng"')
        .replace('name = "Atlas 7B"', 'name = "Atlas Seven"')
    )
    fresh = bodies(build(parse(text), now=LATER))
    reused = build(parse(text), now=LATER, builder=builder)
    event = events(by_audience(reused)["model:atlas-7b"])[item]
    assert "Bruno Keller-Ng (ml-lead)" in str(event["DESCRIPTION"])
    assert str(event["SUMMARY"]).startswith("Atlas Seven: ")
    assert bodies(reused) == fresh
