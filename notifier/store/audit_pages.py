"""The audit log a page at a time, newest first, with the total (the API's paged read)."""

from __future__ import annotations

from sqlalchemy import func, select

from notifier.store.audit import AuditEntry
from notifier.store.engine import Store
from notifier.store.schema import audit_log


def audit_page(store: Store, *, offset: int, limit: int) -> tuple[list[AuditEntry], int]:
    t = audit_log
    query = (
        select(t.c.at, t.c.actor, t.c.action, t.c.subject, t.c.detail)
        .order_by(t.c.id.desc())
        .offset(offset)
        .limit(limit)
    )
    with store.engine.connect() as connection:
        total = int(connection.scalar(select(func.count()).select_from(t)) or 0)
        return [AuditEntry(*row) for row in connection.execute(query)], total
