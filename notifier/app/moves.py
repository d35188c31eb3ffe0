"""What moved (issue 23): after each computation people see, the dates it shows are compared
with those shown before; the moves found are recorded (with their cause) and told to the
items' owners through the delivery loop. One home for every face: `notifier remind`, the
daemon's rounds and reloads, events recorded, `notifier changes` and `notifier law`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from notifier.app.timelines import shared, timeline_of
from notifier.context import Context, refreshed
from notifier.core.events import Event
from notifier.core.items import Timeline
from notifier.core.law import Changelog, load_changelog
from notifier.core.moves import (
    Move,
    Snapshot,
    done_ids,
    find_moves,
    inputs_of,
    shown_items,
)
from notifier.core.register import Register
from notifier.core.timeline import timeline
from notifier.store import moves as kept

if TYPE_CHECKING:
    from notifier.channels.delivery import DispatchReport

Recorded = kept.Recorded
logger = logging.getLogger(__name__)


def changelog() -> Changelog:
    return load_changelog()


def _snapshot(context: Context, register: Register, now: datetime) -> tuple[Snapshot, Timeline]:
    if register is context.register:  # the timeline people are shown: computed once (issue 22)
        result = timeline_of(context, context.day(now))
    else:  # a register not saved yet (a preview): its own
        result = timeline(register, context.rules, context.day(now), context.options)
    version = context.rules.version
    events = [(e.id, getattr(e, "model", None)) for e in context.options.events]
    return Snapshot(shown_items(result, version), inputs_of(register, events, version)), result


def detect(context: Context, now: datetime) -> list[Recorded]:
    """Compare what is shown now with what was shown before; record the moves (once, with an
    audit entry each) and keep what is shown now. Nothing for a store that takes no writes."""
    if context.store.transient:
        return []
    # The same records and timeline as the round's plan that follows (app/timelines.py).
    context = shared.refreshed(context)
    after, result = _snapshot(context, context.register, now)
    done = done_ids(result)
    log = changelog()

    def diff(before: Snapshot) -> list[Move]:
        return find_moves(before, after, done, context.register, context.rules, log)

    found = kept.advance(context.store, after, diff, now)
    if not found:
        return []
    causes = sorted({m.cause.text for m in found})
    logger.info("%d due date(s) moved: %s", len(found), "; ".join(causes[:3]))
    keys = [m.key for m in found]
    return [r for r in kept.recorded(context.store, since=now) if r.move.key in keys]


def preview(context: Context, register: Register, now: datetime) -> list[Move]:
    """What saving `register` would move, against what people were last shown (nothing is
    recorded); against the current register when nothing was shown yet."""
    context = refreshed(context)
    before = kept.snapshot(context.store) if not context.store.transient else None
    if before is None or before.empty:
        before, _ = _snapshot(context, context.register, now)
    after, result = _snapshot(context, register, now)
    return find_moves(before, after, done_ids(result), register, context.rules, changelog())


def preview_event(context: Context, event: Event, now: datetime) -> list[Move]:
    """What recording `event` would move against what the timeline shows now (not recorded)."""
    context = refreshed(context)
    before, _ = _snapshot(context, context.register, now)
    events = (*context.options.events, event)
    with_event = replace(context, options=replace(context.options, events=events))
    after, result = _snapshot(with_event, context.register, now)
    log = changelog()
    return find_moves(before, after, done_ids(result), context.register, context.rules, log)


def listed(
    context: Context, *, since: date | None = None, model: str | None = None
) -> list[Recorded]:
    """The recorded moves, newest first (since the organisation's day `since`; of `model`)."""
    start = None
    if since is not None:
        from notifier.core.days import local_instant

        start = local_instant(since, datetime.min.time(), context.timezone)
    return kept.recorded(context.store, since=start, model=model)


def caused_by(context: Context, event_id: str) -> list[Recorded]:
    """The recorded moves an event (or its voiding) caused, newest first."""
    return [
        r
        for r in kept.recorded(context.store, limit=10_000)
        if r.move.cause.kind in ("event", "voided-event") and r.move.cause.ref == event_id
    ]


@dataclass(frozen=True)
class Recent:
    """An item's latest move while it is newer than `changes.show_days`."""

    previous_due: date | None
    moved_on: date
    move: Move


def recent(context: Context, now: datetime) -> dict[str, Recent]:
    """Each item's latest move within `changes.show_days` of `now`, by item id."""
    if context.store.transient:
        return {}
    since = now - timedelta(days=context.settings.changes.show_days)
    found: dict[str, Recent] = {}
    for entry in kept.recorded(context.store, since=since):  # newest first
        if entry.move.item not in found:
            found[entry.move.item] = Recent(
                entry.move.old_due, context.day(entry.found_at), entry.move
            )
    return found


def lately(
    context: Context, now: datetime, *, model: str | None = None, item: str | None = None
) -> list[Recorded]:
    """The moves of `model` (or of `item`) newer than `changes.show_days`, newest first."""
    if context.store.transient:
        return []
    since = now - timedelta(days=context.settings.changes.show_days)
    return kept.recorded(context.store, since=since, model=model, item=item, limit=50)


def recent_dates(context: Context, now: datetime) -> dict[str, tuple[date | None, date]]:
    """`recent` as the timeline JSON carries it: item id -> (previous due, moved on)."""
    return {item: (r.previous_due, r.moved_on) for item, r in recent(context, now).items()}


def unshown_upgrade(context: Context, now: datetime) -> list[Move]:
    """The moves new rule data (an upgraded package) causes against what people were last
    shown, before anything recorded them (a read-only command says so; nothing is recorded)."""
    if context.store.transient:
        return []
    before = kept.snapshot(context.store)
    if before.empty or all(
        i.rules_version == context.rules.version for i in before.inputs.values()
    ):
        return []
    after, result = _snapshot(context, context.register, now)
    found = find_moves(
        before, after, done_ids(result), context.register, context.rules, changelog()
    )
    return [m for m in found if m.cause.kind == "rules"]


async def tell_now(context: Context, found: list[Recorded], now: datetime) -> DispatchReport | None:
    """Tell the owners at once of the urgent moves among `found` (the rest wait for the
    next digest); keyed by each move, so whoever sends first sends it, once."""
    from notifier.channels.delivery import DispatchReport, deliver
    from notifier.channels.moves import move_reminders
    from notifier.channels.registry import Channels
    from notifier.clock import system_now
    from notifier.mail.transport import transport_for
    from notifier.store import ledger

    ids = [r.id for r in found if r.move.urgent]
    if not ids:
        return None
    context = refreshed(context)
    result = timeline(context.register, context.rules, context.day(now), context.options)
    reminders = move_reminders(context, result, now, only=ids)
    used = transport_for(context.settings.smtp, context.settings.outbox_dir)
    channels = Channels(context, system_now, used)
    try:
        me = ledger.process_identity()
        return await deliver(context, reminders, now, channels, me, DispatchReport(len(reminders)))
    finally:
        await channels.close()
        await used.close()
