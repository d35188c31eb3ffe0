"""Constants and helpers shared by the feed tests: the example register and fixed instants.

Time is passed in: AS_OF is the day the example register was last edited, NOW the instant the
first build runs; later builds pass LATER to prove the build's own time never leaks into a feed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from icalendar import Calendar, Event

from notifier.core.register import Register, parse_register
from notifier.feeds.render import Feed

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_REGISTER = REPO / "config" / "register.toml"
GOLDEN = Path(__file__).resolve().parent / "golden"
AS_OF = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 8, 30, tzinfo=UTC)
LATER = datetime(2026, 11, 25, 17, 45, 12, tzinfo=UTC)

Build = Callable[..., list[Feed]]  # the `build` fixture: (register, now=, as_of=, done=, ...)


def example_text() -> str:
    return EXAMPLE_REGISTER.read_text(encoding="utf-8")


def parse(text: str) -> Register:
    return parse_register(text, "register.toml", AS_OF)


def by_audience(feeds: list[Feed]) -> dict[str, Feed]:
    return {feed.audience.key: feed for feed in feeds}


def events(feed: Feed | bytes) -> dict[str, Event]:
    """The feed's events by the item id that their description ends with."""
    body = feed if isinstance(feed, bytes) else feed.body
    found = {}
    for event in Calendar.from_ical(body).walk("VEVENT"):
        assert isinstance(event, Event)
        item_id = str(event["DESCRIPTION"]).rsplit("Item: ", 1)[1]
        found[item_id] = event
    return found
