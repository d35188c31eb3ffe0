"""Recorded events, append-only: each row is a version of an event; the latest version wins.

A correction (e.g. an incident's resolved_on) is a new row for the same event id, never an edit.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select

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
)
from notifier.core.items import Unusable
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


VOIDED = "voided"  # the key of a version that voids the event (its reason)


@dataclass(frozen=True)
class LoadedEvents:
    events: list[Event]
    unusable: list[Unusable]  # rows an older version wrote that this one cannot read


def load_events(store: Store) -> LoadedEvents:
    """The latest version of every recorded event, in the order first recorded. A voided event
    is left out; a row this version cannot read is reported, and the others are loaded."""
    latest: dict[str, Event | Unusable | None] = {}
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(event_log.c.event_id, event_log.c.kind, event_log.c.data).order_by(
                event_log.c.id
            )
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


def describe(event: Event) -> str:
    parts = [f"{k}={v}" for k, v in asdict(event).items() if k not in ("id", "kind") and v]
    return f"{event.kind}: " + ", ".join(str(p) for p in parts)
