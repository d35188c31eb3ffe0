"""The audit log a page at a time, newest first, with the total and the chain's head hash (the
API's paged read). The head comes from store/audit.py's `head_hash` where the store keeps a hash
chain (issue 19); without one it is None."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from notifier.store import audit
from notifier.store.audit import AuditEntry
from notifier.store.engine import Store
from notifier.store.schema import audit_log


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    total: int
    head: str | None


def audit_page(store: Store, *, offset: int, limit: int) -> AuditPage:
    t = audit_log
    query = (
        select(t.c.at, t.c.actor, t.c.action, t.c.subject, t.c.detail)
        .order_by(t.c.id.desc())
        .offset(offset)
        .limit(limit)
    )
    head_of = getattr(audit, "head_hash", None)  # the hash chain, once merged (issue 19)
    with store.engine.connect() as connection:  # one snapshot: the page, the total, the head
        total = int(connection.scalar(select(func.count()).select_from(t)) or 0)
        found = [AuditEntry(*row) for row in connection.execute(query)]
        head = str(head_of(connection)) if head_of is not None else None
    return AuditPage(found, total, head)
