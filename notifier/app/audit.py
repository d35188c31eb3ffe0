"""The audit log: who recorded what, read back; and who acts from this machine's prompt."""

from __future__ import annotations

from datetime import datetime

from notifier.context import Context
from notifier.store import audit
from notifier.store.audit import AuditEntry, ChainHead, Verdict


def local_actor() -> str:
    """The OS user and host: the actor of what is recorded from the command line."""
    return audit.local_actor()


def entries(context: Context, since: datetime | None = None) -> list[AuditEntry]:
    """The audit log's entries from `since` on, oldest first."""
    return audit.entries(context.store, since)


def head(context: Context) -> ChainHead:
    """The audit log's head: its last entry's hash (what a pack, `status` and /audit pin)."""
    return audit.head(context.store)


def verify(context: Context, pinned: str | None = None) -> Verdict:
    """Walk the hash chain: the first entry changed, removed or inserted, if any; with `pinned`,
    whether the log still holds the entry of that hash (entries cut from the end)."""
    return audit.verify(context.store, pinned)


def counted(entries: int) -> str:
    """ "1 entry", "12 entries"."""
    return audit.count(entries)
