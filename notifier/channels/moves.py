"""Moved dates told through the one delivery loop (issue 23): each recorded move becomes a
reminder of its item for each of the item's owners, keyed by the move (step IMMEDIATE, occasion
`move-<id>`), so the ledger sends it exactly once across processes and restarts. A move that
brings a date earlier, adds or removes a duty is due at once; a later date at the next send
time (the next digest). Moves older than `changes.show_days` are no longer told."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import quote

from notifier.channels.message import pages_url
from notifier.context import Context
from notifier.core.days import local_instant, organisation_day
from notifier.core.items import Timeline
from notifier.core.moves import item_of_move
from notifier.core.reminders import IMMEDIATE, Reminder, days_left, recipients_of
from notifier.store import moves as kept


def occasion(move_id: int) -> str:
    return f"move-{move_id}"


def told_at(context: Context, found_at: datetime, urgent: bool) -> datetime:
    """When a move found at `found_at` is due to be told: at once, or at the next send time."""
    if urgent:
        return found_at
    send_at = context.settings.reminders.send_at
    day = organisation_day(found_at, context.timezone)
    instant = local_instant(day, send_at, context.timezone)
    return (
        instant
        if instant >= found_at
        else local_instant(day + timedelta(days=1), send_at, context.timezone)
    )


def move_reminders(
    context: Context, timeline: Timeline, now: datetime, *, only: list[int] | None = None
) -> list[Reminder]:
    """The reminders of the moves whose time to be told has come by `now` (`only`: these)."""
    since = now - timedelta(days=context.settings.changes.show_days)
    found = kept.recorded(context.store, since=since, ids=only)
    if not found:
        return []
    items = {item.id: item for item in timeline.all_items()}
    today = context.day(now)
    base = pages_url(context.settings)
    compliance = context.settings.reminders.compliance_list
    reminders: list[Reminder] = []
    for entry in reversed(found):  # oldest first
        move = entry.move
        if not move.told:
            continue
        when = told_at(context, entry.found_at, move.urgent)
        if when > now:
            continue
        item = item_of_move(move, items, context.rules)
        link = f"{base}/items/{quote(move.item, safe='/@')}"
        note = f"{move.describe()}. Item: {link}"
        for recipient in recipients_of(item, context.register, compliance):
            reminders.append(
                Reminder.of(
                    item,
                    recipient,
                    IMMEDIATE,
                    when,
                    days_left(item, today),
                    occasion(entry.id),
                    note=note,
                )
            )
    return reminders
