"""What the web shows of an item's past: every done mark as recorded (corrected ones too), the
reminders sent, and the audit log filtered. Read-only."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import select

from notifier.store.audit import AuditEntry
from notifier.store.engine import Store
from notifier.store.schema import audit_log, done_marks, reminder_ledger


@dataclass(frozen=True)
class MarkRecord:
    """One done mark as stored; `corrected_by` is the id of the mark that replaced it."""

    id: int
    item_id: str
    done_on: date
    note: str
    evidence_url: str
    recorded_at: datetime
    recorded_by: str
    corrects: int | None
    corrected_by: int | None = None

    @property
    def in_force(self) -> bool:
        return self.corrected_by is None


@dataclass(frozen=True)
class SentReminder:
    item_id: str
    recipient: str
    step: str
    status: str
    sent_at: datetime | None
    scheduled_for: datetime


def mark_records(store: Store, item_ids: Collection[str]) -> dict[str, list[MarkRecord]]:
    """Every mark of these items, oldest first, each knowing whether a later one replaced it."""
    if not item_ids:
        return {}
    t = done_marks
    query = (
        select(
            t.c.id,
            t.c.item_id,
            t.c.done_on,
            t.c.note,
            t.c.evidence_url,
            t.c.recorded_at,
            t.c.recorded_by,
            t.c.corrects,
        )
        .where(t.c.item_id.in_(list(item_ids)))
        .order_by(t.c.id)
    )
    with store.engine.connect() as connection:
        rows = [MarkRecord(*row) for row in connection.execute(query)]
    replaced_by = {r.corrects: r.id for r in rows if r.corrects is not None}
    found: dict[str, list[MarkRecord]] = {}
    for row in rows:
        record = replace(row, corrected_by=replaced_by.get(row.id))
        found.setdefault(row.item_id, []).append(record)
    return found


def reminders_of(store: Store, item_ids: Collection[str]) -> list[SentReminder]:
    """The reminders sent, or being tried, for these items: oldest first."""
    if not item_ids:
        return []
    t = reminder_ledger
    query = (
        select(t.c.item_id, t.c.recipient, t.c.step, t.c.status, t.c.sent_at, t.c.scheduled_for)
        .where(t.c.item_id.in_(list(item_ids)))
        .order_by(t.c.scheduled_for, t.c.id)
    )
    with store.engine.connect() as connection:
        return [SentReminder(*row) for row in connection.execute(query)]


def audit_entries(
    store: Store,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    actions: Collection[str] = (),
    subjects: Collection[str] = (),
    limit: int = 1000,
) -> list[AuditEntry]:
    """Entries from `since` (inclusive) to `until` (exclusive), of these actions and subjects
    (all if none given), newest first, at most `limit`."""
    t = audit_log
    query = select(t.c.at, t.c.actor, t.c.action, t.c.subject, t.c.detail)
    if since is not None:
        query = query.where(t.c.at >= since)
    if until is not None:
        query = query.where(t.c.at < until)
    if actions:
        query = query.where(t.c.action.in_(list(actions)))
    if subjects:
        query = query.where(t.c.subject.in_(list(subjects)))
    query = query.order_by(t.c.id.desc()).limit(limit)
    with store.engine.connect() as connection:
        return [AuditEntry(*row) for row in connection.execute(query)]


def audit_actions(store: Store) -> list[str]:
    """The kinds of entry the log holds, for a filter."""
    with store.engine.connect() as connection:
        return sorted(connection.scalars(select(audit_log.c.action).distinct()))
