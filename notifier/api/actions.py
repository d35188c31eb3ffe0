"""What the API records, in one thin module over the checks and store calls the command line
and the pages share (notifier.core.recording, store.marks, store.events): the one place to
re-point at the application layer (notifier/app/) when it lands. Each function checks first
and records only when everything is right; a problem raises InputError and records nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from notifier.context import Context
from notifier.core import recording
from notifier.core.events import Event, Incident
from notifier.core.items import Item, Timeline
from notifier.errors import InputError, Problem
from notifier.store.events import load_events, next_event_id, record_event, recorded_kinds
from notifier.store.events import void_event as store_void
from notifier.store.history import mark_records
from notifier.store.marks import record_done
from notifier.web.pages import live_id, marks_shown


@dataclass(frozen=True)
class Marked:
    item_id: str
    on: date
    corrects: int | None


def mark_done(
    context: Context,
    result: Timeline,
    item: Item,
    *,
    on: date | None,
    note: str,
    evidence_url: str,
    corrects: int | None,
    actor: str,
    now: datetime,
) -> Marked:
    """A done mark on `item` (or a correction of the mark `corrects`), as the pages record."""
    today = result.as_of
    on = on or today
    note = " ".join(note.splitlines())  # one line per audit entry, as the pages keep it
    problems = recording.done_problems(on, today, evidence_url, note)
    target = item.id
    if corrects is not None:
        records = mark_records(context.store, {live_id(item)})
        shown = marks_shown(item, result.all_items(), records)
        if not any(r.id == corrects and r.in_force for r in shown):
            problems.append(Problem("corrects", f"{corrects} is not a mark in force of this item"))
        target = live_id(item)
    if problems:
        raise InputError(problems)
    record_done(
        context.store,
        target,
        on,
        note,
        actor=actor,
        at=now,
        evidence_url=evidence_url,
        corrects=corrects,
    )
    return Marked(target, on, corrects)


def add_event(
    context: Context, kind: str, fields: recording.EventFields, *, actor: str, now: datetime
) -> Event:
    recorded = load_events(context.store).events
    event_id = next_event_id(context.store, kind)
    event = recording.build_event(kind, fields, event_id, context.day(now), recorded)
    record_event(context.store, event, actor=actor, at=now)
    return event


def resolve_incident(
    context: Context, event_id: str, on: date, *, actor: str, now: datetime
) -> Event:
    events = load_events(context.store).events
    incident = next((e for e in events if e.id == event_id), None)
    if not isinstance(incident, Incident):
        raise InputError([recording.unknown_incident(event_id, events)])
    problems = recording.resolve_problems(incident, on, context.day(now))
    if problems:
        raise InputError(problems)
    resolved = replace(incident, resolved_on=on)
    record_event(context.store, resolved, actor=actor, at=now, action="event-resolve")
    return resolved


def void_event(context: Context, event_id: str, reason: str, *, actor: str, now: datetime) -> None:
    kinds = recorded_kinds(context.store)
    problems = recording.void_problems(event_id, reason, kinds)
    if problems:
        raise InputError(problems)
    store_void(context.store, event_id, kinds[event_id], reason, actor=actor, at=now)
