"""The append-only audit log: nothing is edited or deleted; a correction is a new entry.

Every entry carries a hash chain: `entry_hash` is the SHA-256 of its content and of the entry
before it (`prev_hash`). This module is the one place that computes it, inside the caller's
transaction, with the head read and the insert serialised (SQLite: BEGIN IMMEDIATE; PostgreSQL:
an advisory lock), so concurrent writers never fork the chain. It only INSERTs and SELECTs audit
rows. `verify` walks the chain and names the first entry changed, removed or inserted.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Integer, String, Text, column, func, insert, select, table

from notifier.store.engine import serialise
from notifier.store.schema import audit_log

if TYPE_CHECKING:
    from notifier.store.engine import Store

# The link of the first entry: no entry before it.
GENESIS = "0" * 64
CHAIN_LOCK = "audit-chain"

# The rows as stored (text, not datetimes): the hash covers exactly the bytes kept.
_RAW = table(
    "audit_log",
    column("id", Integer),
    column("at", String),
    column("actor", String),
    column("action", String),
    column("subject", String),
    column("detail", Text),
    column("prev_hash", String),
    column("entry_hash", String),
)


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


def stored_instant(at: datetime) -> str:
    """An instant as the store keeps it (schema.UtcDateTime): what the hash covers."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def entry_hash(prev_hash: str, at: str, actor: str, action: str, subject: str, detail: str) -> str:
    """SHA-256 of the entry before (its hash) and this entry's content, as stored. The one
    definition of the chain: the migration that began it and `verify` use it too."""
    content = json.dumps(
        [prev_hash, at, actor, action, subject, detail], ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def head_hash(connection: Connection) -> str:
    """The newest entry's hash (GENESIS for an empty log)."""
    found = connection.scalar(select(_RAW.c.entry_hash).order_by(_RAW.c.id.desc()).limit(1))
    return found or GENESIS


def append(
    connection: Connection, *, at: datetime, actor: str, action: str, subject: str, detail: str = ""
) -> None:
    """Add an entry inside the caller's transaction, so the fact and its record land together,
    linked to the entry before it."""
    serialise(connection, CHAIN_LOCK)  # one head read + insert at a time (PostgreSQL)
    previous = head_hash(connection)
    stored = stored_instant(at)
    connection.execute(
        insert(audit_log).values(
            at=at,
            actor=actor,
            action=action,
            subject=subject,
            detail=detail,
            prev_hash=previous,
            entry_hash=entry_hash(previous, stored, actor, action, subject, detail),
        )
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


@dataclass(frozen=True)
class ChainHead:
    """Where the log stands: how many entries, and the newest one's hash."""

    entries: int
    hash: str

    def describe(self) -> str:
        return f"{count(self.entries)}, head {self.hash}"


def count(entries: int) -> str:
    return f"{entries} entr{'y' if entries == 1 else 'ies'}"


def head(store: Store) -> ChainHead:
    with store.engine.connect() as connection:
        count = connection.scalar(select(func.count()).select_from(_RAW)) or 0
        return ChainHead(count, head_hash(connection))


@dataclass(frozen=True)
class Verdict:
    """The result of walking the chain: `broken_at` is the id of the first entry that does not
    hold (None: the chain holds), `reason` says what was found there."""

    checked: int
    head: str
    broken_at: int | None = None
    reason: str = ""
    pinned_found: bool | None = None  # a head given to verify against: is it in the chain?

    @property
    def holds(self) -> bool:
        return self.broken_at is None and self.pinned_found is not False


def walk(rows: Iterable[tuple[int, str, str, str, str, str, str | None, str | None]]) -> Verdict:
    """Check each row's link and hash, in the order of ids. Pure: rows in, verdict out."""
    previous, checked, seen = GENESIS, 0, {GENESIS}
    for entry_id, at, actor, action, subject, detail, prev, stored in rows:
        if stored is None or prev is None:
            return Verdict(checked, previous, entry_id, "it has no hash: inserted outside notifier")
        if prev != previous:
            why = (
                "its link does not point at the entry before it: an entry before it was "
                "removed, or it was inserted"
            )
            return Verdict(checked, previous, entry_id, why)
        if entry_hash(prev, at, actor, action, subject, detail) != stored:
            return Verdict(checked, previous, entry_id, "its content no longer matches its hash")
        previous = stored
        seen.add(stored)
        checked += 1
    return Verdict(checked, previous)


def verify(store: Store, pinned: str | None = None) -> Verdict:
    """Walk the whole chain (in one read transaction); with `pinned` (a head hash from a pack or
    an earlier `status`), also check that the log still holds that entry: entries removed from
    the end of the log leave no broken link, but they lose the pinned head."""
    query = select(
        _RAW.c.id,
        _RAW.c.at,
        _RAW.c.actor,
        _RAW.c.action,
        _RAW.c.subject,
        _RAW.c.detail,
        _RAW.c.prev_hash,
        _RAW.c.entry_hash,
    ).order_by(_RAW.c.id)
    with store.engine.connect() as connection:
        verdict = walk(tuple(row) for row in connection.execute(query))
        if pinned is None:
            return verdict
        found = (
            pinned == GENESIS
            or (
                connection.scalar(
                    select(func.count()).select_from(_RAW).where(_RAW.c.entry_hash == pinned)
                )
                or 0
            )
            > 0
        )
    return Verdict(verdict.checked, verdict.head, verdict.broken_at, verdict.reason, found)


@dataclass(frozen=True)
class ChainedEntry:
    """An entry with its place in the chain, for a pack's audit sheet."""

    id: int
    at: datetime
    actor: str
    action: str
    subject: str
    detail: str
    prev_hash: str | None
    entry_hash: str | None


def chained_entries(store: Store) -> list[ChainedEntry]:
    """Every entry, oldest first, with its hashes: what an auditor re-walks offline."""
    t = audit_log
    query = select(
        t.c.id,
        t.c.at,
        t.c.actor,
        t.c.action,
        t.c.subject,
        t.c.detail,
        t.c.prev_hash,
        t.c.entry_hash,
    ).order_by(t.c.id)
    with store.engine.connect() as connection:
        return [ChainedEntry(*row) for row in connection.execute(query)]
