"""When the daemon next has something to do, so that it sleeps until then instead of polling.

A dispatch is due at the first of: the next reminder step of an open item (the plan's
`next_step`), the first retry of a message the mail server refused for now, a backed-off retry
after an outage or a failed round, and the safety net (`reminders.dispatch_every_seconds`).
Everything else wakes it from outside: the organisation's midnight (a cron job), a change of
the register (a file-change notification, or SIGHUP), a change recorded in the store (a cheap
signature compared every few seconds) and the watcher's schedule.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from dataclasses import dataclass
from datetime import datetime, timedelta

BACKOFF_FIRST_SECONDS = 10.0
BACKOFF_MOST_SECONDS = 300.0  # after an outage, a retry at least every five minutes


@dataclass
class Backoff:
    """The pause before retrying a round that failed: 10 s, doubled each time, at most 5 min;
    back to none once a round goes through."""

    seconds: float = 0.0

    def failed(self) -> float:
        self.seconds = min(max(self.seconds * 2, BACKOFF_FIRST_SECONDS), BACKOFF_MOST_SECONDS)
        return self.seconds

    def succeeded(self) -> None:
        self.seconds = 0.0


def next_dispatch(
    now: datetime,
    *,
    next_step: datetime | None,
    next_retry: datetime | None,
    backoff_seconds: float,
    most_seconds: float,
) -> datetime:
    """The instant of the next dispatch: the earliest of the candidates, never later than the
    safety net (`most_seconds` from now)."""
    candidates = [now + timedelta(seconds=most_seconds)]
    if next_step is not None:
        candidates.append(next_step)
    if next_retry is not None:
        candidates.append(next_retry)
    if backoff_seconds:
        candidates.append(now + timedelta(seconds=backoff_seconds))
    return max(now, min(candidates))


M_ARENA_MAX = -8  # glibc's mallopt parameter
ARENAS = 2  # the event loop's thread and the worker threads share two heaps, not 8 per core


def fewer_arenas() -> None:
    """Before any thread starts: at most two glibc malloc arenas (issue 22). Each worker thread
    (asyncio.to_thread) would otherwise grow an arena of its own, which keeps its peak after a
    round and is trimmed poorly; together they held some 20 MB at rest with 1,000 models."""
    name = ctypes.util.find_library("c")
    if name is None:
        return
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError):  # not glibc
        return
    mallopt(M_ARENA_MAX, ARENAS)


def give_back_memory() -> None:
    """After a feed build: collect what it left and return the freed heap to the system
    (glibc's malloc_trim), so that the daemon at rest holds what it needs, not its peak."""
    gc.collect()
    name = ctypes.util.find_library("c")
    if name is None:
        return
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # not glibc: its allocator keeps the pages
        return
    trim(0)
