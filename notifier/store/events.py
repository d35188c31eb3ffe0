"""Recorded events, append-only: each row is a version of an event; the latest version wins.

A correction (e.g. an incident's resolved_on) is a new row for the same event id, never an edit.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, insert, select

from notifier.core.days import date_problem
from notifier.core.events import (
    ArgumentsDecided,
    CommissionRequest,
    CopyrightComplaint,
    DesignationDecision,
    DownstreamRequest,
    EvaluatorFindings,
    Event,
    FurtherTraining,
    Incident,
    ModelReportDelayed,
    NotificationSent,
    ReferenceModelLost,
    describe,
)
from notifier.core.items import Unusable
from notifier.core.recording import duplicate_problems
from notifier.errors import InputError
from notifier.store.audit import append
from notifier.store.engine import serialise
from notifier.store.schema import event_log

if TYPE_CHECKING:
    from notifier.store.engine import Store


_TYPES: dict[str, type[Any]] = {
    "incident": Incident,
    "downstream-request": DownstreamRequest,
    "commission-request": CommissionRequest,
    "notification": NotificationSent,
    "designation": DesignationDecision,
    "arguments-decision": ArgumentsDecided,
    "further-training": FurtherTraining,
    "evaluator-findings": EvaluatorFindings,
    "model-report-delayed": ModelReportDelayed,
    "reference-model-lost": ReferenceModelLost,
    "copyright-complaint": CopyrightComplaint,
}
_DATES = (
    "aware_on",
    "resolved_on",
    "received_on",
    "due",
    "sent_on",
    "decided_on",
    "trained_on",
    "informed_on",
)


def next_event_id(store: Store, kind: str) -> str:
    """The id the next event of this kind would have now: for a form's checks only. The id an
    event keeps is the one `add_event` allocates, in the transaction that records it."""
    with store.engine.connect() as connection:
        return _next_id(connection, kind)


def _next_id(connection: Connection, kind: str) -> str:
    """Readable, sequential per kind: incident-1, incident-2, ... (the first number after the
    count not taken yet, should an id ever have been skipped)."""
    taken = set(
        connection.scalars(select(event_log.c.event_id).where(event_log.c.kind == kind).distinct())
    )
    number = len(taken) + 1
    while f"{kind}-{number}" in taken:  # bounded: at most len(taken) steps
        number += 1
    return f"{kind}-{number}"


def add_event(store: Store, event: Event, *, actor: str, at: datetime) -> Event:
    """Record a new event under the next id of its kind and audit it, all in one transaction:
    the id is allocated while the database lets no other writer allocate one (SQLite: BEGIN
    IMMEDIATE; PostgreSQL: a transaction-scoped advisory lock), so two people recording at once
    get two ids and two events, never one event under an id both were told. The same event
    recorded twice (one of them meanwhile) is refused (InputError) and nothing is recorded.
    Returns the event under the id it was given."""
    with store.engine.begin() as connection:
        serialise(connection, "event-ids")
        event = replace(event, id=_next_id(connection, event.kind))
        problems = duplicate_problems(event, _latest(connection).events)
        if problems:
            raise InputError(problems)
        _insert(connection, event, actor=actor, at=at, action="event-add")
    return event


def record_event(
    store: Store, event: Event, *, actor: str, at: datetime, action: str = "event-add"
) -> None:
    """Record a new version of an event that has its id already (a correction: resolved)."""
    with store.engine.begin() as connection:
        _insert(connection, event, actor=actor, at=at, action=action)


def _insert(connection: Connection, event: Event, *, actor: str, at: datetime, action: str) -> None:
    data = {k: v.isoformat() if isinstance(v, date) else v for k, v in asdict(event).items()}
    connection.execute(
        insert(event_log).values(
            event_id=event.id,
            kind=event.kind,
            data=json.dumps(data, sort_keys=True),
            recorded_at=at,
            recorded_by=actor,
        )
    )
    append(connection, at=at, actor=actor, action=action, subject=event.id, detail=describe(event))


VOIDED = "voided"  # the key of a version that voids the event (its reason)


@dataclass(frozen=True)
class LoadedEvents:
    events: list[Event]
    unusable: list[Unusable]  # rows an older version wrote that this one cannot read


def load_events(store: Store) -> LoadedEvents:
    """The latest version of every recorded event, in the order first recorded. A voided event
    is left out; a row this version cannot read is reported, and the others are loaded."""
    with store.engine.connect() as connection:
        return _latest(connection)


def _latest(connection: Connection) -> LoadedEvents:
    latest: dict[str, Event | Unusable | None] = {}
    rows = connection.execute(
        select(event_log.c.event_id, event_log.c.kind, event_log.c.data).order_by(event_log.c.id)
    )
    for event_id, kind, data in rows:
        latest[event_id] = _read(event_id, kind, data)
    return LoadedEvents(
        [e for e in latest.values() if e is not None and not isinstance(e, Unusable)],
        [e for e in latest.values() if isinstance(e, Unusable)],
    )


def _read(event_id: str, kind: str, data: str) -> Event | Unusable | None:
    try:
        fields = json.loads(data)
        if fields.get(VOIDED):
            return None
        for name in _DATES:
            if fields.get(name):
                fields[name] = date.fromisoformat(fields[name])
                if date_problem(fields[name]):
                    raise ValueError(f"{name} {date_problem(fields[name])}")
        event: Event = _TYPES[kind](**fields)
        return event
    except (ValueError, TypeError, KeyError) as error:
        detail = f"recorded as {data!r} ({type(error).__name__}: {error}); `notifier event "
        return Unusable("event", event_id, detail + f"void {event_id} --reason TEXT` sets it aside")


def void_event(
    store: Store, event_id: str, kind: str, reason: str, *, actor: str, at: datetime
) -> None:
    """Set an event aside: a new version that voids it (audited; nothing is deleted)."""
    data = json.dumps({"id": event_id, VOIDED: reason}, sort_keys=True)
    with store.engine.begin() as connection:
        connection.execute(
            insert(event_log).values(
                event_id=event_id, kind=kind, data=data, recorded_at=at, recorded_by=actor
            )
        )
        append(connection, at=at, actor=actor, action="event-void", subject=event_id, detail=reason)


def recorded_kinds(store: Store) -> dict[str, str]:
    """Every event id ever recorded, with its kind (voided or unreadable ones included)."""
    with store.engine.connect() as connection:
        rows = connection.execute(select(event_log.c.event_id, event_log.c.kind))
        return {str(event_id): str(kind) for event_id, kind in rows}
