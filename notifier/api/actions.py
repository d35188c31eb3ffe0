"""What the API records: the application layer's use cases (notifier.app), the same the
command line and the pages call. This module only adapts their arguments to the API's."""

from __future__ import annotations

from datetime import date, datetime

from notifier.app import events, records
from notifier.app.records import DoneRecorded
from notifier.context import Context
from notifier.core.events import Event
from notifier.core.items import Item
from notifier.core.recording import EventFields
from notifier.errors import InputError, Problem


def mark_done(
    context: Context,
    item: Item,
    *,
    on: date | None,
    note: str,
    evidence_url: str,
    corrects: int | None,
    actor: str,
    now: datetime,
) -> DoneRecorded:
    """A done mark on `item`, or (`corrects`) the correction of one of its marks in force."""
    note = " ".join(note.splitlines())  # one line per audit entry, as the pages keep it
    if corrects is None:
        return records.done(
            context, item.id, now=now, actor=actor, on=on, note=note, evidence_url=evidence_url
        )
    try:
        return records.correct(
            context,
            item,
            corrects,
            now=now,
            actor=actor,
            on=on or context.day(now),
            note=note,
            evidence_url=evidence_url,
        )
    except InputError as error:  # the pages' field `mark` is the API's `corrects`
        raise InputError(
            [
                Problem("corrects" if p.source == "mark" else p.source, p.message)
                for p in error.problems
            ]
        ) from None


def add_event(
    context: Context, kind: str, fields: EventFields, *, actor: str, now: datetime
) -> Event:
    return events.add(context, kind, fields, now=now, actor=actor)


def resolve_incident(
    context: Context, event_id: str, on: date, *, actor: str, now: datetime
) -> Event:
    return events.resolve(context, event_id, on, now=now, actor=actor)


def void_event(context: Context, event_id: str, reason: str, *, actor: str, now: datetime) -> None:
    events.void(context, event_id, reason, now=now, actor=actor)
