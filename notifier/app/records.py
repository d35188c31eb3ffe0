"""Done marks: record that an item is met, correct a mark. One home for the CLI and the pages."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from notifier.app import Writable, as_is
from notifier.app.timelines import timeline_of
from notifier.context import Context
from notifier.core.items import Item, Timeline, item_id
from notifier.core.recording import done_problems, occurrence_problems, unknown_item
from notifier.errors import InputError, Problem
from notifier.store.history import MarkRecord, mark_records
from notifier.store.marks import record_done


@dataclass(frozen=True)
class DoneRecorded:
    """What was recorded: the item as it was before the mark, and the day it was met."""

    item: Item
    on: date
    recurring: bool
    corrected: bool = False

    @property
    def message(self) -> str:
        """The sentence both faces show."""
        if self.corrected:
            return f"Corrected: {self.item.id} met on {self.on}. {self.item.title}"
        again = (
            " (again: this later mark corrects the earlier one)"
            if self.item.status == "done"
            else ""
        )
        closed = (
            f", closing the occurrence due {self.item.due}"
            if self.recurring and self.item.due
            else ""
        )
        return f"Recorded: {self.item.id} met on {self.on}{closed}{again}. {self.item.title}"


def timeline_now(context: Context, now: datetime) -> Timeline:
    """The timeline as of the organisation's day at `now`, with what `context` holds."""
    return timeline_of(context, context.day(now))


def done(
    context: Context,
    item_id: str,
    *,
    now: datetime,
    actor: str,
    on: date | None = None,
    note: str = "",
    evidence_url: str = "",
    allow_next: bool = False,
    writable: Writable = as_is,
) -> DoneRecorded:
    """Record that `item_id` (an id of the timeline as of `now`) was met `on` (default: today).

    Refused (InputError, problems named by field: `on`, `note`, `evidence_url`, `item`) for a
    day not yet come, a bad evidence address, an unknown item, and the open occurrence of a
    recurring item whose previous occurrence is closed and which is not yet due, unless
    `allow_next` (run twice, it would otherwise close next quarter's review). `context` must
    hold the store's current marks (`notifier.context.refreshed`)."""
    today = context.day(now)
    day = on or today
    problems = done_problems(day, today, evidence_url, note)
    if problems:
        raise InputError(problems)
    items = {item.id: item for item in timeline_now(context, now).all_items()}
    if item_id not in items:
        raise InputError([unknown_item(item_id, items)])
    item = items[item_id]
    recurring = context.rules.rule(item.rule).due.every is not None
    closed_before = bool(context.options.done.get(item.id))
    problems = occurrence_problems(item, recurring, closed_before, allow_next)
    if problems:
        raise InputError(problems)
    store = writable(context).store
    record_done(store, item.id, day, note, actor=actor, at=now, evidence_url=evidence_url)
    return DoneRecorded(item, day, recurring)


def live_id(item: Item) -> str:
    """The id done marks are kept under: a closed occurrence's item without its '@date'."""
    return item_id(item.rule, item.model, event=item.event, upstream=item.upstream)


def mark_history(context: Context, item_ids: Collection[str]) -> dict[str, list[MarkRecord]]:
    """Every mark recorded under these ids (in force or corrected), by item id, oldest first."""
    return mark_records(context.store, item_ids)


def marks_shown(
    item: Item, items: Sequence[Item], records: Mapping[str, list[MarkRecord]]
) -> list[MarkRecord]:
    """The marks that belong to this item: a closed occurrence shows the mark that closed it
    (and the ones that mark corrected); the open occurrence of a recurring item shows none."""
    found = records.get(live_id(item), [])
    if item.occurrence is not None:
        shown = [r for r in found if r.in_force and r.done_on == item.done_on][-1:]
        by_id = {r.id: r for r in found}
        while shown and shown[-1].corrects in by_id:
            shown.append(by_id[shown[-1].corrects])
        return list(reversed(shown))
    if any(o.occurrence is not None and live_id(o) == item.id for o in items):
        return []
    return found


def marks_of(context: Context, item: Item, items: Sequence[Item]) -> list[MarkRecord]:
    """The marks shown with this item (those a correction may name)."""
    return marks_shown(item, items, mark_history(context, {live_id(item)}))


def correct(
    context: Context,
    item: Item,
    mark_id: int | None,
    *,
    now: datetime,
    actor: str,
    on: date,
    note: str = "",
    evidence_url: str = "",
) -> DoneRecorded:
    """Replace mark `mark_id` of `item` (one of the marks shown with it, in force; refused as
    `mark` otherwise) by a mark met `on`; the earlier mark stays in the store and the audit
    log. `item` is one of the timeline as of `now`."""
    problems = done_problems(on, context.day(now), evidence_url, note)
    shown = marks_of(context, item, timeline_now(context, now).all_items())
    chosen = [r for r in shown if r.id == mark_id and r.in_force]
    if not chosen:
        problems.append(Problem("mark", "choose a mark in force to correct"))
    if problems:
        raise InputError(problems)
    record_done(
        context.store,
        live_id(item),
        on,
        note,
        actor=actor,
        at=now,
        evidence_url=evidence_url,
        corrects=chosen[0].id,
    )
    return DoneRecorded(item, on, False, corrected=True)
