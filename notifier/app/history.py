"""What was recorded, read back for the pages: an item's marks and reminders, the audit log."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from notifier.context import Context
from notifier.store import history
from notifier.store.audit import AuditEntry
from notifier.store.history import MarkRecord, SentReminder

__all__ = ["AuditEntry", "MarkRecord", "SentReminder", "audit", "audit_kinds", "reminders"]


def reminders(context: Context, item_ids: Collection[str]) -> list[SentReminder]:
    """The reminders the ledger holds for these items."""
    return history.reminders_of(context.store, item_ids)


def audit(
    context: Context,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    actions: Collection[str] = (),
    subjects: Collection[str] = (),
    limit: int = 1000,
) -> list[AuditEntry]:
    """Audit entries from `since` (inclusive) to `until` (exclusive), of these actions and
    subjects (all if none given), newest first, at most `limit`."""
    return history.audit_entries(
        context.store, since=since, until=until, actions=actions, subjects=subjects, limit=limit
    )


def audit_kinds(context: Context) -> list[str]:
    """The kinds of entry the log holds, for a filter."""
    return history.audit_actions(context.store)
