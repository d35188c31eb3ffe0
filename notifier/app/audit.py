"""The audit log: who recorded what, read back; and who acts from this machine's prompt."""

from __future__ import annotations

from datetime import datetime

from notifier.context import Context
from notifier.store import audit
from notifier.store.audit import AuditEntry


def local_actor() -> str:
    """The OS user and host: the actor of what is recorded from the command line."""
    return audit.local_actor()


def entries(context: Context, since: datetime | None = None) -> list[AuditEntry]:
    """The audit log's entries from `since` on, oldest first."""
    return audit.entries(context.store, since)
