"""A feed as built and as listed: plain values, no iCalendar, so that a command which only lists
the feeds of an unchanged build (notifier.feeds.unchanged) need not load the renderer."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property

from notifier.feeds.names import Audience

# The renderer's logger: a listing of an unchanged build warns exactly as the build did.
logger = logging.getLogger("notifier.feeds.render")


@dataclass(frozen=True)
class Listed:
    """What `notifier calendars` shows of a feed, and what proves its file: its sha256."""

    audience: Audience
    digest: str  # sha256 of the feed's bytes
    events: int
    dropped: int  # done items left out to keep the feed small (see FeedBuilder)
    over_limit: bool  # still larger than max_bytes with every done item left out
    size: int  # the length of the feed's bytes


@dataclass(frozen=True)
class Feed(Listed):
    """A feed as a build made it: its bytes too."""

    parts: tuple[bytes, ...] = ()  # the calendar's head, its events and its end, in order

    @cached_property
    def body(self) -> bytes:
        """The feed's bytes, joined when asked for (an unchanged file never asks)."""
        return b"".join(self.parts)


def feed_stamp(now: datetime) -> datetime:
    """`now` as iCalendar and HTTP stamp it: UTC, whole seconds."""
    if now.tzinfo is None:
        raise ValueError("now must be a time-zone-aware datetime")
    return now.astimezone(UTC).replace(microsecond=0)


def warn_over_limit(filename: str, size: int, max_bytes: int) -> None:
    """The warning of a feed still over `feeds.max_bytes` with every done item left out."""
    logger.warning(
        "feed %s is %d bytes, over the %d-byte limit with every done item left out; "
        "Google Calendar may refuse it: subscribe to the per-model or per-person feeds",
        filename,
        size,
        max_bytes,
    )
