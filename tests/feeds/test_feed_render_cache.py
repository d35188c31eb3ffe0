"""The render cache on disk (notifier.feeds.cache): a new process renders only what changed, and
its bytes are always exactly what a fresh render gives, whatever input changed.

Each test builds once with a cache and saves it, changes one input, then builds as a new process
does (a new builder from the saved file) and, on the same store and instant, with no cache at
all: the two must be byte-identical, and the change must have reached the bytes.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from icalendar import vCalAddress

from notifier.core.law import RuleSet
from notifier.core.timeline import DoneMark, TimelineOptions, timeline
from notifier.feeds import publish
from notifier.feeds.cache import FILE_NAME, RenderCache
from notifier.feeds.render import Feed, FeedBuilder
from notifier.settings import FeedSettings
from notifier.store.engine import Store

from .examples import AS_OF, LATER, NOW, example_text, parse

ORGANISATION = 'name = "Example AI SAS"'
NIMBUS_PLACED = "placed_on_market = 2026-03-16"


@dataclass
class Inputs:
    """Everything a build takes; a test changes one of them between the two builds."""

    text: str
    settings: FeedSettings
    organizer: vCalAddress | None = None
    done: dict[str, tuple[DoneMark, ...]] | None = None
    as_of: date = AS_OF
    now: datetime = NOW


def organizer(address: str = "notifier@example.com", name: str = "Example AI SAS") -> vCalAddress:
    found = vCalAddress(f"mailto:{address}")
    found.params["CN"] = name
    return found


class Builds:
    def __init__(self, ruleset: RuleSet, store: Store, folder: Path) -> None:
        self.ruleset, self.store, self.folder = ruleset, store, folder

    def run(self, inputs: Inputs, builder: FeedBuilder) -> list[Feed]:
        register = parse(inputs.text)
        options = TimelineOptions(done=inputs.done or {})
        result = timeline(register, self.ruleset, inputs.as_of, options)
        return publish.build(builder, result, register, self.store, inputs.now)

    def cached(self, inputs: Inputs) -> tuple[dict[str, bytes], FeedBuilder]:
        """A build as a new process makes it: the cache as saved, then saved again."""
        cache = RenderCache.open(self.folder)
        builder = FeedBuilder(inputs.settings, inputs.organizer, cache)
        feeds = self.run(inputs, builder)
        cache.save()
        return bodies(feeds), builder

    def fresh(self, inputs: Inputs) -> dict[str, bytes]:
        return bodies(self.run(inputs, FeedBuilder(inputs.settings, inputs.organizer)))


def bodies(feeds: list[Feed]) -> dict[str, bytes]:
    """Each feed's bytes, once its digest and size are checked against them (both may come
    from the cache without the bytes being joined)."""
    for feed in feeds:
        assert feed.digest == hashlib.sha256(feed.body).hexdigest(), feed.audience.key
        assert feed.size == len(feed.body)
    return {feed.audience.key: feed.body for feed in feeds}


@pytest.fixture
def builds(ruleset: RuleSet, store: Store, tmp_path: Path) -> Builds:
    return Builds(ruleset, store, tmp_path / "cache")


def test_a_new_process_with_the_cache_renders_nothing_and_writes_the_same_bytes(
    builds: Builds,
) -> None:
    inputs = Inputs(example_text(), FeedSettings())
    first, _ = builds.cached(inputs)

    again, builder = builds.cached(Inputs(example_text(), FeedSettings(), now=LATER))

    assert again == first == builds.fresh(inputs)
    assert builder.renderer.rendered == 0
    assert (builds.folder / FILE_NAME).exists()


def publish_with(inputs: Inputs, address: vCalAddress) -> None:
    inputs.settings = FeedSettings(publish_method=True)
    inputs.organizer = address


CHANGES: dict[str, Callable[[Inputs], None]] = {
    # Item fields: a due date (and SEQUENCE), a status, the day it was met.
    "placing date": lambda i: setattr(
        i, "text", i.text.replace(NIMBUS_PLACED, "placed_on_market = 2026-04-20")
    ),
    "as-of day": lambda i: setattr(i, "as_of", date(2027, 3, 1)),
    "done mark": lambda i: setattr(
        i, "done", {"atlas-7b/art-53-1-c-copyright-policy": (DoneMark(date(2026, 11, 20)),)}
    ),
    # Names the events show: a model, a person (owners), the organisation (scope, titles).
    "model name": lambda i: setattr(i, "text", i.text.replace('"Atlas 7B"', '"Atlas Seven"')),
    "person name": lambda i: setattr(i, "text", i.text.replace('"Ana Martin"', '"Ana Martín"')),
    "organisation name": lambda i: setattr(
        i, "text", i.text.replace(ORGANISATION, 'name = "Example AI SA"')
    ),
    "upstream name": lambda i: setattr(
        i, "text", i.text.replace('"Example Upstream"', '"Upstream Example"')
    ),
    # Settings that reach the bytes: the calendar heads, and which done items are kept.
    "color": lambda i: setattr(i, "settings", FeedSettings(color="darkred")),
    "refresh hours": lambda i: setattr(i, "settings", FeedSettings(refresh_hours=12)),
    "done window": lambda i: setattr(i, "settings", FeedSettings(done_window_days=30)),
    "size limit": lambda i: setattr(i, "settings", FeedSettings(max_bytes=20_000)),
    # The ORGANIZER (RFC 5546 PUBLISH): on, another address, another name.
    "publish method": lambda i: publish_with(i, organizer()),
}


@pytest.mark.parametrize("change", list(CHANGES))
@pytest.mark.parametrize("now", [LATER, NOW], ids=["later", "in the same second"])
def test_after_any_change_the_cached_bytes_are_those_of_a_fresh_render(
    builds: Builds, change: str, now: datetime
) -> None:
    # In the same second LAST-MODIFIED cannot move: the text and SEQUENCE must tell the change.
    inputs = Inputs(example_text(), FeedSettings())
    before, _ = builds.cached(inputs)
    CHANGES[change](inputs)
    inputs.now = now

    after, _ = builds.cached(inputs)

    assert after == builds.fresh(inputs)
    assert after != before


@pytest.mark.parametrize(
    "other", [organizer("calendar@example.com"), organizer(name="Example AI SA")]
)
def test_another_organizer_address_or_name_is_rendered_anew(
    builds: Builds, other: vCalAddress
) -> None:
    published = FeedSettings(publish_method=True)
    before, _ = builds.cached(Inputs(example_text(), published, organizer()))
    inputs = Inputs(example_text(), published, other, now=LATER)

    after, _ = builds.cached(inputs)

    assert after == builds.fresh(inputs)
    assert after != before


def test_events_with_other_stored_stamps_are_rendered_anew(
    builds: Builds, ruleset: RuleSet, tmp_path: Path
) -> None:
    # The same events in another store carry other CREATED/LAST-MODIFIED/DTSTAMP values.
    inputs = Inputs(example_text(), FeedSettings())
    before, _ = builds.cached(inputs)
    other = Store.open(f"sqlite:///{tmp_path / 'other.db'}", LATER)
    try:
        elsewhere = Builds(ruleset, other, builds.folder)
        moved = Inputs(example_text(), FeedSettings(), now=LATER)

        after, builder = elsewhere.cached(moved)

        assert after == elsewhere.fresh(moved)
        assert after != before
        assert builder.renderer.rendered > 0
    finally:
        other.close()


@pytest.mark.parametrize("later", [True, False], ids=["later", "in the same second"])
def test_a_raised_sequence_is_rendered_anew(builds: Builds, later: bool) -> None:
    inputs = Inputs(example_text(), FeedSettings())
    builds.cached(inputs)  # saved: SEQUENCE 0
    moved = Inputs(example_text().replace(NIMBUS_PLACED, "placed_on_market = 2026-04-20"),
                   FeedSettings(), now=LATER if later else NOW)  # fmt: skip
    builds.run(moved, FeedBuilder(moved.settings))  # another process, without the cache
    back = Inputs(example_text(), FeedSettings(), now=datetime(2026, 11, 26, tzinfo=UTC))
    back.now = back.now if later else NOW

    after, _ = builds.cached(back)  # the old dates again, now with SEQUENCE 2

    assert after == builds.fresh(back)
    assert b"SEQUENCE:2\r\n" in after["model:nimbus-2"]


def test_an_event_changed_and_changed_back_elsewhere_gets_its_new_last_modified(
    builds: Builds, ruleset: RuleSet, store: Store
) -> None:
    inputs = Inputs(example_text(), FeedSettings())
    builds.cached(inputs)  # saved: the events as first made
    renamed = Inputs(example_text().replace('"Ana Martin"', '"Ana Martín"'), FeedSettings(),
                     now=LATER)  # fmt: skip
    builds.run(renamed, FeedBuilder(renamed.settings))  # another process, without the cache
    back = Inputs(example_text(), FeedSettings(), now=datetime(2026, 11, 26, tzinfo=UTC))

    after, _ = builds.cached(back)  # the first text again: same content and SEQUENCE, later stamp

    assert after == builds.fresh(back)
    assert b"LAST-MODIFIED:20261126T000000Z" in after["person:legal"]


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: data[:-40] + bytes(b ^ 1 for b in data[-40:]),  # bits flipped
        lambda data: data.replace(b"NOTIFIER-FEED-RENDERS 1", b"NOTIFIER-FEED-RENDERS 0"),
        lambda data: data[:40] + b"0" * 64 + data[104:],  # another code version
        lambda data: b"",
    ],
    ids=["truncated", "corrupt", "format", "version", "empty"],
)
def test_a_damaged_or_foreign_cache_file_is_not_used(
    builds: Builds, damage: Callable[[bytes], bytes]
) -> None:
    inputs = Inputs(example_text(), FeedSettings())
    first, _ = builds.cached(inputs)
    path = builds.folder / FILE_NAME
    path.write_bytes(damage(path.read_bytes()))

    assert RenderCache.open(builds.folder).events == {}
    again, builder = builds.cached(Inputs(example_text(), FeedSettings(), now=LATER))
    assert again == first
    assert builder.renderer.rendered > 0
    assert len(RenderCache.open(builds.folder).events) == builder.renderer.rendered  # rewritten


def test_a_reader_sees_one_complete_file_while_two_writers_replace_it(builds: Builds) -> None:
    builds.cached(Inputs(example_text(), FeedSettings()))
    kept = RenderCache.open(builds.folder)
    first = dict(kept.events)
    second = {key: body + b"X" for key, body in first.items()}  # a writer of other entries
    stop = threading.Event()

    def write(entries: dict[bytes, bytes]) -> None:
        writer = RenderCache.open(builds.folder)
        for _ in range(30):
            writer.keep(entries, writer.heads, writer.feeds)
            writer.changed = True
            writer.save()
            if stop.is_set():
                return

    writers = [threading.Thread(target=write, args=(e,)) for e in (first, second)]
    for thread in writers:
        thread.start()
    try:
        for _ in range(60):
            seen = RenderCache.open(builds.folder).events
            assert seen in (first, second)
    finally:
        stop.set()
        for thread in writers:
            thread.join(timeout=60)
    assert not [p for p in builds.folder.iterdir() if p.name != FILE_NAME]  # no temp file left


def test_an_unwritable_cache_folder_only_means_no_cache(builds: Builds, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    inputs = Inputs(example_text(), FeedSettings())
    cache = RenderCache.open(blocker / "cache")
    feeds = builds.run(inputs, FeedBuilder(inputs.settings, None, cache))

    cache.save()  # logged, not raised

    assert bodies(feeds) == builds.fresh(inputs)
