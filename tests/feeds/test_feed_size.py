"""Size: done items older than the window are left out; open items never are."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from notifier.core.register import Register
from notifier.core.timeline import DoneMark

from .examples import Build, by_audience, events


def test_done_items_older_than_the_window_are_left_out(build: Build, example: Register) -> None:
    feed = by_audience(build(example, done_window_days=365))["organisation"]
    found = events(feed)
    # Milestones passed on 2025-02-02 and 2025-08-02 are done and over a year old on AS_OF.
    assert "organisation/aia-chapters-i-ii-apply" not in found
    assert "organisation/aia-chapter-v-applies" not in found
    assert "organisation/omnibus-in-force" in found  # 2026-07-27: done, within the window
    assert feed.dropped == 2


def test_a_longer_window_keeps_older_done_items(build: Build, example: Register) -> None:
    feed = by_audience(build(example, done_window_days=3650))["organisation"]
    assert "organisation/aia-chapters-i-ii-apply" in events(feed)
    assert feed.dropped == 0


def test_the_window_counts_from_the_day_an_item_was_met(build: Build, example: Register) -> None:
    item = "atlas-13b/art-53-1-c-copyright-policy"  # due 2025-08-02, met much later
    done = {item: (DoneMark(date(2026, 11, 1)),)}
    feed = by_audience(build(example, done=done, done_window_days=30))["model:atlas-13b"]
    assert item in events(feed)


def test_over_the_byte_limit_older_done_items_go_first_and_open_items_stay(
    build: Build, example: Register
) -> None:
    full = by_audience(build(example, done_window_days=3650))["organisation"]
    found = events(full)
    done_ids = sorted(
        (i for i, e in found.items() if "done" in e.categories),
        key=lambda i: found[i].decoded("DTSTART"),
    )
    assert len(done_ids) >= 3
    limit = len(full.body) - 1  # one byte too many: the oldest done item must go
    feed = by_audience(build(example, done_window_days=3650, max_bytes=limit))["organisation"]
    assert len(feed.body) <= limit
    assert set(events(feed)) == set(found) - {done_ids[0]}
    assert not feed.over_limit


def test_a_feed_too_big_with_every_done_item_out_is_kept_whole_and_flagged(
    build: Build, example: Register, caplog: pytest.LogCaptureFixture
) -> None:
    whole = events(by_audience(build(example))["organisation"])
    with caplog.at_level(logging.WARNING, logger="notifier.feeds.render"):
        feed = by_audience(build(example, max_bytes=10_000))["organisation"]
    assert feed.over_limit
    assert set(events(feed)) == {i for i, e in whole.items() if "done" not in e.categories}
    assert "organisation.ics" in caplog.text
    assert "over the 10000-byte limit" in caplog.text


def test_the_example_feeds_are_far_under_googles_limit(build: Build, example: Register) -> None:
    assert all(len(feed.body) < 1_000_000 and not feed.over_limit for feed in build(example))
