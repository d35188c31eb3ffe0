"""The feeds' edge: from a loaded context to written calendars/ files, for the CLI and daemon."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from icalendar import vCalAddress

from notifier.context import Context
from notifier.core.items import Timeline
from notifier.core.register import Register
from notifier.core.timeline import timeline
from notifier.feeds.cache import RenderCache
from notifier.feeds.feed import feed_stamp
from notifier.feeds.files import FileMemo, Published, publish
from notifier.feeds.render import Feed, FeedBuilder
from notifier.settings import FeedSettings
from notifier.store.engine import Store
from notifier.store.feeds import advance_events


class CalendarPublisher:
    """Builds and writes every feed from a context. What a build rendered is kept in the
    settings' cache_dir (notifier.feeds.cache), so the next build renders only what changed.

    `lean` (the daemon): between builds nothing is held in memory; the next build reads the
    cache file again (about a second's CPU at 1,000 models) instead of keeping some 100 MB of
    rendered events resident while the daemon rests. Otherwise the renders stay in memory
    across builds."""

    def __init__(self, *, lean: bool = False) -> None:
        self.lean = lean
        self._builder: FeedBuilder | None = None
        self._made_for: tuple[FeedSettings, str | None, str] | None = None
        self._cache: RenderCache | None = None
        self._cache_dir: Path | None = None
        self.files: FileMemo = {}  # the last build's files: path -> (stat, sha256)

    def __call__(
        self,
        context: Context,
        now: datetime,
        *,
        as_of: date | datetime | None = None,
        out: Path | None = None,
    ) -> list[Published]:
        settings = context.settings
        if self._cache is None or self._cache_dir != settings.cache_dir:
            self._cache, self._cache_dir = RenderCache.open(settings.cache_dir), settings.cache_dir
            self._builder = None
        organizer = settings.smtp.sender if settings.feeds.publish_method else None
        made_for = (settings.feeds, organizer, context.register.organisation.name)
        if self._builder is None or self._made_for != made_for:
            organized = _organizer(organizer, context)
            self._builder = FeedBuilder(settings.feeds, organized, self._cache)
            self._made_for = made_for
        day = as_of if as_of is not None else context.day(now)
        result = timeline(context.register, context.rules, day, context.options)
        feeds = build(self._builder, result, context.register, context.store, now)
        files: FileMemo = dict(self._cache.files)
        published = publish(feeds, out or settings.calendars_dir, context.store, now, files)
        self.files = {str(p.path): files[str(p.path)] for p in published}
        self._cache.keep_files(self.files)
        self._cache.save()
        if self.lean:
            self._builder, self._made_for, self._cache = None, None, None
        return published


def build(
    builder: FeedBuilder, result: Timeline, register: Register, store: Store, now: datetime
) -> list[Feed]:
    """Plan the feeds, advance each event's stored state (SEQUENCE, stamps), then render."""
    plan = builder.plan(result, register)
    return builder.render(plan, advance_events(store, plan.keys, feed_stamp(now)))


def _organizer(sender: str | None, context: Context) -> vCalAddress | None:
    if sender is None:
        return None
    organizer = vCalAddress(f"mailto:{sender}")
    organizer.params["CN"] = context.register.organisation.name
    return organizer


_PROCESS_PUBLISHER = CalendarPublisher()


def publish_feeds(context: Context, now: datetime) -> list[Published]:
    """Build and write every feed as of `now`, reusing this process's rendered events."""
    return _PROCESS_PUBLISHER(context, now)
