"""The append-only audit log: nothing is edited or deleted; a correction is a new entry."""

from __future__ import annotations

import getpass
import socket
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection, insert, select

from notifier.store.schema import audit_log

if TYPE_CHECKING:
    from notifier.store.engine import Store


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    subject: str
    detail: str


def local_actor() -> str:
    """The OS user and host, for entries made from the command line."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


def append(
    connection: Connection, *, at: datetime, actor: str, action: str, subject: str, detail: str = ""
) -> None:
    """Add an entry inside the caller's transaction, so the fact and its record land together."""
    connection.execute(
        insert(audit_log).values(at=at, actor=actor, action=action, subject=subject, detail=detail)
    )


def entries(store: Store, since: datetime | None = None) -> list[AuditEntry]:
    query = select(
        audit_log.c.at,
        audit_log.c.actor,
        audit_log.c.action,
        audit_log.c.subject,
        audit_log.c.detail,
    ).order_by(audit_log.c.id)
    if since is not None:
        query = query.where(audit_log.c.at >= since)
    with store.engine.connect() as connection:
        return [AuditEntry(*row) for row in connection.execute(query)]
