"""Events that start clocks: add, resolve, void; what an event starts; the owners told at once.

One home for `notifier event add|resolve|void` and the pages' forms. A refusal is an InputError
whose problems name the fields of notifier.core.recording (`aware_on`, `period_days/due`...).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from notifier.app import Writable, as_is
from notifier.app.delivery import send_at_once
from notifier.channels.reasons import plain_reason
from notifier.context import Context, refreshed
from notifier.core import recording
from notifier.core.events import Event, Incident
from notifier.core.items import Item
from notifier.core.moves import Move
from notifier.core.recording import EventFields
from notifier.core.timeline import timeline
from notifier.core.timeline.model_state import changes_state
from notifier.errors import InputError, Problem
from notifier.store import events as recorded

if TYPE_CHECKING:
    from notifier.channels.delivery import DispatchReport


def known_model(context: Context, model_id: str | None) -> None:
    """An unknown model is refused naming the models the register has (field `model`)."""
    if model_id is not None and model_id not in {m.id for m in context.register.models}:
        known = ", ".join(m.id for m in context.register.models)
        raise InputError(
            [
                Problem(
                    "model",
                    f"no model '{model_id}' in {context.register.source} (known: {known})",
                )
            ]
        )


def add(
    context: Context,
    kind: str,
    fields: EventFields,
    *,
    now: datetime,
    actor: str,
    writable: Writable = as_is,
) -> Event:
    """Record an event of `kind` (one of recording.EVENT_KINDS) as of `now`; InputError listing
    every problem with what was given (the same event twice is refused). The id the event keeps
    is allocated as it is recorded (another person may have taken the one it was checked under);
    the event returned carries it."""
    known_model(context, fields.model)
    events = recorded.load_events(context.store).events
    event_id = recorded.next_event_id(context.store, kind)
    event = recording.build_event(kind, fields, event_id, context.day(now), events)
    store = _shown_before(writable(context), now).store
    return recorded.add_event(store, event, actor=actor, at=now)


def would_move(context: Context, kind: str, fields: EventFields, *, now: datetime) -> list[Move]:
    """The dates recording this event would move (issue 23), against what the timeline shows
    now; nothing is recorded. Refused like `add`."""
    from notifier.app import moves

    known_model(context, fields.model)
    events = recorded.load_events(context.store).events if not context.store.transient else []
    event_id = recorded.next_event_id(context.store, kind)
    event = recording.build_event(kind, fields, event_id, context.day(now), events)
    return moves.preview_event(context, event, now)


def _shown_before(context: Context, now: datetime) -> Context:
    """What people are shown before the event is recorded (issue 23), so that what it moves
    is found against it, even when nothing was computed before."""
    from notifier.app import moves

    moves.detect(context, now)
    return context


def recorded_events(context: Context) -> recorded.LoadedEvents:
    """Every event recorded and in force, and those this version cannot read."""
    return recorded.load_events(context.store)


def find_incident(context: Context, event_id: str) -> Incident:
    """The recorded incident `event_id`; InputError (field `incident`) naming the known ones."""
    events = recorded.load_events(context.store).events
    incident = next((e for e in events if e.id == event_id), None)
    if not isinstance(incident, Incident):
        raise InputError([recording.unknown_incident(event_id, events)])
    return incident


def resolve(
    context: Context,
    event_id: str,
    on: date,
    *,
    now: datetime,
    actor: str,
    writable: Writable = as_is,
) -> Incident:
    """Record incident `event_id` resolved `on` (between awareness and today)."""
    incident = find_incident(context, event_id)
    problems = recording.resolve_problems(incident, on, context.day(now))
    if problems:
        raise InputError(problems)
    resolved = replace(incident, resolved_on=on)
    store = writable(context).store
    recorded.record_event(store, resolved, actor=actor, at=now, action="event-resolve")
    return resolved


def void(
    context: Context,
    event_id: str,
    reason: str,
    *,
    now: datetime,
    actor: str,
    writable: Writable = as_is,
) -> None:
    """Set aside an event recorded by mistake (or unreadable): audited with its reason."""
    kinds = recorded.recorded_kinds(context.store)
    problems = recording.void_problems(event_id, reason, kinds)
    if problems:
        raise InputError(problems)
    shown = _shown_before(writable(context), now)
    recorded.void_event(shown.store, event_id, kinds[event_id], reason, actor=actor, at=now)
    _shown_before(shown, now)  # what voiding moves back, recorded (told in the next round)


def started(context: Context, event: Event, now: datetime) -> list[Item]:
    """The open items the event starts, in the timeline as of `now` (`context` refreshed): its
    own, and for an event that changes what the model is (a designation, say: row L1) the
    model's items that are there only because of it."""
    day, options = context.day(now), context.options
    result = timeline(context.register, context.rules, day, options)
    items = [i for i in result.all_items() if i.event == event.id and i.status != "done"]
    if changes_state(event):
        others = [e for e in options.events if e.id != event.id]
        without = timeline(context.register, context.rules, day, replace(options, events=others))
        before = {i.id for i in without.all_items()}
        items += [
            i
            for i in result.all_items()
            if i.event is None and i.id not in before and i.status != "done"
        ]
    return items


def urgent(context: Context, items: list[Item], now: datetime) -> bool:
    """Whether the owners are told at once: a first date within `immediate_within_days`, or a
    continuing duty such as "without undue delay" (anchor "none"), which is due now."""
    horizon = context.day(now) + timedelta(days=context.settings.reminders.immediate_within_days)
    return any(i.due is not None and i.due < horizon for i in items) or any(
        i.due is None and context.rules.rule(i.rule).due.anchor == "none" for i in items
    )


@dataclass
class AtOnce:
    """What follows an event: the items it starts, and whether and how the owners were told."""

    items: list[Item]
    urgent: bool = False
    delivery: DispatchReport | None = None  # None: not urgent, nothing sent
    lines: list[str] = field(default_factory=list)  # one sentence per delivery outcome

    @property
    def ok(self) -> bool:
        return self.delivery is None or self.delivery.ok


async def tell_owners(context: Context, event: Event, now: datetime) -> AtOnce:
    """After an event is recorded: the items it starts and, when urgent, the owners told at
    once (the ledger keys the send by the event, so a rerun sends nothing)."""
    from notifier.app import moves

    context = await asyncio.to_thread(refreshed, context)
    items = started(context, event, now)
    # The dates the event moves (issue 23): recorded with the event as cause, told at once.
    await asyncio.to_thread(moves.detect, context, now)
    caused = await asyncio.to_thread(moves.caused_by, context, event.id)
    told = await moves.tell_now(context, caused, now)
    covered = {r.move.item for r in caused if r.move.urgent}
    rest = [i for i in items if i.id not in covered]
    if not urgent(context, rest, now):
        if told is None:
            return AtOnce(items)
        return AtOnce(items, True, told, outcome_lines(context, told))
    report = await send_at_once(context, rest, event.id, now)
    if told is not None:
        report.sent += told.sent
        report.failed += told.failed
    return AtOnce(items, True, report, outcome_lines(context, report))


def outcome_lines(context: Context, report: DispatchReport) -> list[str]:
    within = context.settings.reminders.immediate_within_days
    why = f"a date within {within} days, or a duty or notice that applies now"
    lines = [
        f"{_told(address)} at once ({count} item(s)): {why}."
        for address, count, _message_id in report.sent
    ]
    lines += [
        f"Could not {_verb(address)} at once: {plain_reason(error)}. The event is recorded; the "
        "reminders will follow on the normal schedule."
        for address, _count, error, _permanent in report.failed
    ]
    return lines


def _where(address: str) -> str:
    """An e-mail address, or a channel (`#NAME`) by its name."""
    return f"channel '{address[1:]}'" if address.startswith("#") else address


def _verb(address: str) -> str:
    return f"post to {_where(address)}" if address.startswith("#") else f"email {address}"


def _told(address: str) -> str:
    return f"Posted to {_where(address)}" if address.startswith("#") else f"Emailed {address}"
