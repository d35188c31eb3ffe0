"""The feeds' edge: from a loaded context to written calendars/ files, for the CLI and daemon."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from icalendar import vCalAddress

from notifier.context import Context
from notifier.core.items import Timeline
from notifier.core.register import Register
from notifier.core.timeline import timeline
from notifier.feeds.files import FileMemo, Published, publish
from notifier.feeds.render import Feed, FeedBuilder, feed_stamp
from notifier.settings import FeedSettings
from notifier.store.engine import Store
from notifier.store.feeds import advance_events


class CalendarPublisher:
    """Builds and writes every feed from a context; keep one across builds (as a daemon does)
    so that unchanged events are not rendered again."""

    def __init__(self) -> None:
        self._builder: FeedBuilder | None = None
        self._made_for: tuple[FeedSettings, str | None, str] | None = None
        self._files: FileMemo = {}

    def __call__(
        self,
        context: Context,
        now: datetime,
        *,
        as_of: date | datetime | None = None,
        out: Path | None = None,
    ) -> list[Published]:
        settings = context.settings
        organizer = settings.smtp.sender if settings.feeds.publish_method else None
        made_for = (settings.feeds, organizer, context.register.organisation.name)
        if self._builder is None or self._made_for != made_for:
            self._builder = FeedBuilder(settings.feeds, _organizer(organizer, context))
            self._made_for = made_for
        day = as_of if as_of is not None else context.day(now)
        result = timeline(context.register, context.rules, day, context.options)
        feeds = build(self._builder, result, context.register, context.store, now)
        return publish(feeds, out or settings.calendars_dir, context.store, now, self._files)


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
