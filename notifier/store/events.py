"""Recorded events, append-only: each row is a version of an event; the latest version wins.

A correction (e.g. an incident's resolved_on) is a new row for the same event id, never an edit.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select

from notifier.core.events import (
    CommissionRequest,
    DesignationDecision,
    DownstreamRequest,
    Event,
    Incident,
    NotificationSent,
)
from notifier.store.audit import append
from notifier.store.schema import event_log

if TYPE_CHECKING:
    from notifier.store.engine import Store


_TYPES: dict[str, type[Any]] = {
    "incident": Incident,
    "downstream-request": DownstreamRequest,
    "commission-request": CommissionRequest,
    "notification": NotificationSent,
    "designation": DesignationDecision,
}
_DATES = ("aware_on", "resolved_on", "received_on", "due", "sent_on", "decided_on")


def next_event_id(store: Store, kind: str) -> str:
    """Readable, sequential per kind: incident-1, incident-2, ..."""
    with store.engine.connect() as connection:
        count = connection.scalar(
            select(func.count(func.distinct(event_log.c.event_id))).where(event_log.c.kind == kind)
        )
    return f"{kind}-{int(count or 0) + 1}"


def record_event(
    store: Store, event: Event, *, actor: str, at: datetime, action: str = "event-add"
) -> None:
    data = {k: v.isoformat() if isinstance(v, date) else v for k, v in asdict(event).items()}
    with store.engine.begin() as connection:
        connection.execute(
            insert(event_log).values(
                event_id=event.id,
                kind=event.kind,
                data=json.dumps(data, sort_keys=True),
                recorded_at=at,
                recorded_by=actor,
            )
        )
        append(
            connection, at=at, actor=actor, action=action, subject=event.id, detail=describe(event)
        )


def load_events(store: Store) -> list[Event]:
    """The latest version of every recorded event, in the order first recorded."""
    latest: dict[str, Event] = {}
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(event_log.c.event_id, event_log.c.kind, event_log.c.data).order_by(
                event_log.c.id
            )
        )
        for event_id, kind, data in rows:
            fields = json.loads(data)
            for name in _DATES:
                if fields.get(name):
                    fields[name] = date.fromisoformat(fields[name])
            latest[event_id] = _TYPES[kind](**fields)
    return list(latest.values())


def describe(event: Event) -> str:
    parts = [f"{k}={v}" for k, v in asdict(event).items() if k not in ("id", "kind") and v]
    return f"{event.kind}: " + ", ".join(str(p) for p in parts)
