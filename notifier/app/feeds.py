"""The feeds' secret tokens and their rebuild: rotate a feed's or the timeline JSON's token, list
the tokens issued, publish the calendars. One home for `notifier feeds rotate`, `notifier
calendars`, the /feeds page and the daemon's feed job."""

from __future__ import annotations

import pickle
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from notifier.context import Context, assembled
from notifier.errors import InputError, Problem, RuntimeFailure
from notifier.feeds.names import audiences
from notifier.store.feeds import TIMELINE_AUDIENCE, FeedRecord, feed_records, rotate_token

if TYPE_CHECKING:
    from notifier.feeds.files import Published
    from notifier.feeds.publish import CalendarPublisher

__all__ = [
    "TIMELINE_AUDIENCE",
    "FeedRecord",
    "build_in_child",
    "known_audiences",
    "publish",
    "publisher",
    "rotate",
    "tokens",
]


def known_audiences(context: Context) -> list[str]:
    """Every feed the register has (organisation, model:<id>, person:<id>), and the JSON
    timeline's token."""
    return [audience.key for audience in audiences(context.register)] + [TIMELINE_AUDIENCE]


def rotate(
    context: Context,
    audience: str,
    *,
    now: datetime,
    actor: str,
    allowed: list[str] | None = None,
) -> FeedRecord:
    """A new secret token for `audience` (audited); the old URL stops working. An audience not
    known (or not among `allowed`, the ones this person may change) is refused as `AUDIENCE`."""
    known = known_audiences(context)
    if audience not in known or (allowed is not None and audience not in allowed):
        raise InputError(
            [
                Problem(
                    "AUDIENCE",
                    f"no feed '{audience}' for {context.register.source}; "
                    f"known: {', '.join(allowed if allowed is not None else known)}",
                )
            ]
        )
    return rotate_token(context.store, audience, now, actor)


def tokens(context: Context) -> dict[str, FeedRecord]:
    """The tokens issued so far, by audience."""
    return feed_records(context.store)


def publisher(*, lean: bool = False) -> CalendarPublisher:
    """A feed builder kept across builds (what it rendered stays cached; `lean`: on disk only,
    for the daemon at rest); call it with (context, now)."""
    from notifier.feeds.publish import CalendarPublisher as Publisher  # icalendar, on demand

    return Publisher(lean=lean)


def publish(
    context: Context,
    now: datetime,
    *,
    as_of: date | datetime | None = None,
    out: Path | None = None,
    lean: bool = False,
    moves: bool = True,
) -> list[Published]:
    """Rebuild every calendar feed as of `as_of` (default `now`) into `out` (default the
    calendars folder); unchanged feeds keep their bytes and their sequence. What the feeds now
    show that moved is recorded (issue 23; told by the next round), unless `moves` is false.

    When nothing a build reads changed since the last one (notifier.feeds.unchanged), its
    feeds are listed again without computing anything (issue 22)."""
    from notifier.feeds import unchanged

    detect_moves = as_of is None and moves
    inputs = unchanged.inputs_of(context, now, as_of=as_of, out=out, moves=detect_moves)
    if inputs is not None:
        listed = unchanged.unchanged(context, inputs)
        if listed is not None:
            return listed
    unchanged.forget(context.settings.cache_dir)
    if detect_moves:
        from notifier.app.moves import detect

        detect(context, now)
    build = publisher(lean=lean)
    published = build(context, now, as_of=as_of, out=out)
    if inputs is not None:
        unchanged.remember(context, inputs, published, build.files)
    return published


# The daemon's feed builds run in a short-lived child process (issue 22): a build of 1,000 models
# peaks at some 100 MB more than the daemon needs at rest, and a heap once grown stays
# fragmented. The child is handed the daemon's own settings and register (so that it builds
# what the daemon serves, even while the file on disk is being edited), opens the store itself
# and publishes as `notifier calendars` does: each feed's state advances in the store's own
# transactions, exactly once, whichever process builds. One build at a time: the daemon awaits
# each.
BUILD_SECONDS = 900  # bound on one build (a first build at 10,000 models takes about a minute)
_CHILD = "from notifier.app.feeds import child_build; child_build()"


def build_in_child(context: Context, now: datetime) -> None:
    """Publish every feed as of `now` in a new process; RuntimeFailure says why one failed."""
    payload = pickle.dumps((context.settings, context.register, now))
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD],
            input=payload,
            capture_output=True,
            timeout=BUILD_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise RuntimeFailure(f"the feed build took longer than {BUILD_SECONDS} s") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = said[-1] if said else f"exit {done.returncode}"
        raise RuntimeFailure(f"the feed build failed in its process: {reason}")


def child_build() -> None:
    """The child's side of `build_in_child`: settings, register and instant from stdin."""
    settings, register, now = pickle.loads(sys.stdin.buffer.read())  # from our own parent
    context = assembled(settings, register, now)
    try:
        # The daemon's own rounds record what moved (each reload is followed by one). A build
        # handed the register before a reload may finish after that reload's round: were it to
        # compare too, it would record the edit undone, and the owners would be told twice.
        publish(context, now, lean=True, moves=False)
    finally:
        context.store.close()
