"""Reminders delivered: one dispatch round, a send at once, the watcher's findings announced.

One home for `notifier remind`, the daemon's dispatch job, `notifier event add` and the pages'
"tell the owners at once", `notifier watch` and the daemon's watch job. Each opens the delivery
channel it needs and closes it again, unless the caller lends one (the daemon keeps its own).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from notifier.context import Context
from notifier.core.items import Item
from notifier.store import ledger

# The channels (templates, SMTP, iCalendar, the HTTP client) load when a use case runs, not when
# a command at the prompt imports this module.
if TYPE_CHECKING:
    from notifier.channels.announce import Announcement
    from notifier.channels.delivery import DispatchReport
    from notifier.mail.transport import Transport
    from notifier.watch.run import WatchReport


_T = TypeVar("_T")


@dataclass(frozen=True)
class Round:
    """A dispatch round: what it did, and how many claims of stopped processes it released."""

    report: DispatchReport
    released: int = 0


def waiting(context: Context, now: datetime) -> list[str]:
    """What "nothing to send" leaves out: reminders that wait for a retry, are being sent by
    another process, were superseded by a newer step of the same item, or bounced."""
    counts = ledger.summary(context.store).counts
    lines = []
    if counts.get("failed"):
        retry = ledger.next_attempt(context.store, now)
        when = f", the next at {retry.isoformat(timespec='minutes')}" if retry else ""
        lines.append(f"{counts['failed']} reminder(s) wait for a retry{when}")
    if counts.get("claimed"):
        lines.append(f"{counts['claimed']} reminder(s) are being sent by another process")
    if counts.get("superseded"):
        lines.append(
            f"{counts['superseded']} reminder(s) superseded by a newer step of the same item "
            "(not sent)"
        )
    if counts.get("bounced"):
        lines.append(f"{counts['bounced']} reminder(s) bounced (`notifier status` lists them)")
    return lines


def identity() -> str:
    """This process's identity in the ledger and the leases."""
    return ledger.process_identity()


def transport(context: Context) -> Transport:
    """The mail transport the settings name (SMTP, or the outbox folder); close it when done."""
    from notifier.mail.transport import transport_for

    return transport_for(context.settings.smtp, context.settings.outbox_dir)


async def run_round(
    context: Context,
    now: datetime,
    *,
    dry_run: bool = False,
    me: str | None = None,
    lent: Transport | None = None,
    release: bool = True,
    recorded_in_thread: bool = False,
    by: str | None = None,
) -> Round:
    """Send every reminder due at `now` that no process has sent or holds, each at most once;
    record what the round tells about health. First (`release`) the claims of processes whose
    lease lapsed are released for retry. A dry run plans, sends and records nothing.
    `recorded_in_thread` (a caller in a running event loop, the daemon): the store's work
    before and after the round runs in a worker thread, not on the loop. `by`: who records the
    health problems the round finds (the daemon, for a round run in its child), else `me`."""
    from notifier.channels.delivery import dispatch
    from notifier.channels.health import record_round

    me = me or identity()
    released = 0
    if release and not dry_run:
        released = await _run(recorded_in_thread, ledger.release_abandoned, context.store, now, me)
    if not dry_run:  # what moved since people were last shown (issue 23): told in this round
        from notifier.app.moves import detect

        await _run(recorded_in_thread, detect, context, now)
    used = lent or transport(context)
    try:
        # One reload of the records and one timeline for the moves and the plan (issue 22).
        from notifier.app.timelines import shared, timeline_of

        report = await dispatch(
            context,
            now,
            used,
            dry_run=dry_run,
            me=me,
            refresh=shared.refreshed,
            timelines=timeline_of,
        )
    finally:
        if lent is None:
            await used.close()
    if not dry_run:
        await _run(recorded_in_thread, record_round, context.store, report, now, by or me)
    return Round(report, released)


async def _run(threaded: bool, function: Callable[..., _T], *args: Any) -> _T:
    return await asyncio.to_thread(function, *args) if threaded else function(*args)


async def send_at_once(
    context: Context, items: Sequence[Item], occasion: str, now: datetime
) -> DispatchReport:
    """Tell the owners of `items` at once (a new event, a finding), not at the next send time;
    `occasion` keys the ledger, so a rerun for the same occasion sends nothing."""
    from notifier.channels.delivery import send_now

    used = transport(context)
    try:
        return await send_now(context, items, occasion, now, used)
    finally:
        await used.close()


async def watch_and_announce(
    context: Context, now: datetime, *, check: bool = True
) -> tuple[WatchReport | None, list[Announcement]]:
    """Check the watched Code of Practice sources (`check`), record findings, and tell the
    owners at once of every recent finding not yet announced."""
    from notifier.channels.announce import announce
    from notifier.watch.run import watch_once

    used = transport(context)
    try:
        report = await watch_once(context, now) if check else None
        return report, await announce(context, now, used)
    finally:
        await used.close()
