"""Stores as the hand-written migration runner (before Alembic) left them: a frozen copy of its
tables and of its versions 1-6, to build a store at any of those versions on either engine, with
a row in every table. The upgrade tests start from these; they must never change.

Its version 1 created done_marks from the schema of the day: before version 6 existed without
`evidence_url` and `corrects` (version 6 then added them), after it with them (`columns_early`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Date,
    Dialect,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    insert,
    inspect,
    text,
)
from sqlalchemy.pool import NullPool
from sqlalchemy.types import TypeDecorator

metadata = MetaData()


class UtcDateTime(TypeDecorator[datetime]):
    """As the runner stored instants: UTC ISO text."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        return None if value is None else value.astimezone(UTC).isoformat(timespec="microseconds")

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else datetime.fromisoformat(value)


schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("description", Text, nullable=False),
    Column("applied_at", UtcDateTime, nullable=False),
)

# Append-only: a correction is a later mark, never an edit.
done_marks = Table(
    "done_marks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("item_id", String(300), nullable=False, index=True),
    Column("done_on", Date, nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("recorded_at", UtcDateTime, nullable=False),
    Column("recorded_by", String(200), nullable=False),
)

# Append-only audit trail: who did what, when.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime, nullable=False, index=True),
    Column("actor", String(200), nullable=False),
    Column("action", String(100), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("detail", Text, nullable=False, default=""),
)

# Feed state: per-event SEQUENCE and last-modified; per-audience token and version.
feed_events = Table(
    "feed_events",
    metadata,
    Column("item_id", String(300), primary_key=True),
    Column("revision_key", String(64), nullable=False),
    Column("content_key", String(64), nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("created", UtcDateTime, nullable=False),
    Column("last_modified", UtcDateTime, nullable=False),
)

feed_audiences = Table(
    "feed_audiences",
    metadata,
    Column("audience", String(300), primary_key=True),
    Column("token", String(100), nullable=False, unique=True),
    Column("token_issued_at", UtcDateTime, nullable=False),
    Column("content_hash", String(64), nullable=True),  # sha256 of the feed file last built
    Column("changed_at", UtcDateTime, nullable=True),  # HTTP Last-Modified: never moves back
)

reminder_ledger = Table(
    "reminder_ledger",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(600), nullable=False, unique=True),
    Column("item_id", String(300), nullable=False),
    Column("recipient", String(320), nullable=False),
    Column("step", String(40), nullable=False),
    Column("due", Date, nullable=False),
    Column("scheduled_for", UtcDateTime, nullable=False),
    Column("status", String(16), nullable=False),
    Column("claimed_by", String(200), nullable=False),
    Column("claimed_at", UtcDateTime, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UtcDateTime, nullable=True),
    Column("message_id", String(300), nullable=True),
    Column("sent_at", UtcDateTime, nullable=True),
    Column("last_error", Text, nullable=True),
)

event_log = Table(
    "event_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(100), nullable=False, index=True),
    Column("kind", String(40), nullable=False),
    Column("data", Text, nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    Column("recorded_by", String(200), nullable=False),
)

# Watched sources (one mutable row each) and the watcher's findings (append-only).
watched_sources = Table(
    "watched_sources",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("location", Text, nullable=False),
    Column("etag", Text, nullable=True),
    Column("last_modified", String(100), nullable=True),
    Column("content_hash", String(64), nullable=True),
    Column("checked_at", UtcDateTime, nullable=True),
    Column("last_success_at", UtcDateTime, nullable=True),
    Column("last_changed_at", UtcDateTime, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("failures", Integer, nullable=False, default=0),  # consecutive, reset by a success
)

# Append-only: a finding is never edited or removed.
watch_findings = Table(
    "watch_findings",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("source", String(100), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("location", Text, nullable=False),
    Column("detected_at", UtcDateTime, nullable=False),
    Column("detected_on", Date, nullable=False),  # in the organisation's time zone
    Column("old_hash", String(64), nullable=False),
    Column("new_hash", String(64), nullable=False),
)

sign_in_links = Table(
    "sign_in_links",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("person", String(100), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime, nullable=True),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("person", String(100), nullable=False, index=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("ended_at", UtcDateTime, nullable=True),
)

web_keys = Table(
    "web_keys",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("value", String(100), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

# done_marks as version 1 created it once version 6 existed.
_later_metadata = MetaData()
done_marks_with_evidence = Table(
    "done_marks",
    _later_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("item_id", String(300), nullable=False, index=True),
    Column("done_on", Date, nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("recorded_at", UtcDateTime, nullable=False),
    Column("recorded_by", String(200), nullable=False),
    Column("evidence_url", Text, nullable=False, default="", server_default=""),
    Column("corrects", Integer, nullable=True),
)

# The runner's versions: what each created, as it described it.
VERSIONS: dict[int, tuple[str, tuple[Table, ...]]] = {
    1: ("done marks and audit log", (done_marks, audit_log)),
    2: ("feed state and feed tokens", (feed_events, feed_audiences)),
    3: ("reminder ledger", (reminder_ledger,)),
    4: ("event log", (event_log,)),
    5: ("watched sources and watcher findings", (watched_sources, watch_findings)),
    6: (
        "web sign-in and sessions; evidence and corrections of done marks",
        (sign_in_links, web_sessions, web_keys),
    ),
}
LATEST = 6
NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)

# A row for each table, as the notifier of that time wrote them.
ROWS: dict[str, dict[str, Any]] = {
    "done_marks": {
        "item_id": "atlas-7b/art-53-1-c-copyright-policy",
        "done_on": date(2026, 1, 5),
        "note": "policy v1",
        "recorded_at": NOW,
        "recorded_by": "ana@host",
    },
    "audit_log": {
        "at": NOW,
        "actor": "ana@host",
        "action": "done",
        "subject": "atlas-7b/art-53-1-c-copyright-policy",
        "detail": "met on 2026-01-05: policy v1",
    },
    "feed_events": {
        "item_id": "atlas-7b/art-53-1-a-technical-documentation",
        "revision_key": "r" * 64,
        "content_key": "c" * 64,
        "sequence": 3,
        "created": NOW,
        "last_modified": NOW,
    },
    "feed_audiences": {
        "audience": "organisation",
        "token": "t" * 43,
        "token_issued_at": NOW,
        "content_hash": "h" * 64,
        "changed_at": NOW,
    },
    "reminder_ledger": {
        "key": "atlas-7b/art-53-1-a-technical-documentation|legal@example.com|d-30|2027-08-02",
        "item_id": "atlas-7b/art-53-1-a-technical-documentation",
        "recipient": "legal@example.com",
        "step": "d-30",
        "due": date(2027, 8, 2),
        "scheduled_for": NOW,
        "status": "sent",
        "claimed_by": "host:1",
        "claimed_at": NOW,
        "attempts": 1,
        "message_id": "<m@localhost>",
        "sent_at": NOW,
    },
    "event_log": {
        "event_id": "incident-1",
        "kind": "incident",
        "data": '{"aware_on": "2026-11-20", "id": "incident-1", "kind": "incident", '
        '"model": "orion-xl", "resolved_on": null, "type": "death"}',
        "recorded_at": NOW,
        "recorded_by": "ana@host",
    },
    "watched_sources": {
        "name": "code",
        "kind": "code",
        "location": "https://example.test/code",
        "etag": '"v1"',
        "content_hash": "a" * 64,
        "checked_at": NOW,
        "last_success_at": NOW,
        "failures": 0,
    },
    "watch_findings": {
        "id": "code-revision-1",
        "source": "code",
        "kind": "code",
        "location": "https://example.test/code",
        "detected_at": NOW,
        "detected_on": date(2026, 11, 24),
        "old_hash": "0" * 64,
        "new_hash": "a" * 64,
    },
    "sign_in_links": {
        "token_hash": "s" * 64,
        "person": "legal",
        "created_at": NOW,
        "expires_at": NOW,
    },
    "web_sessions": {
        "token_hash": "w" * 64,
        "person": "legal",
        "created_at": NOW,
        "expires_at": NOW,
    },
    "web_keys": {"name": "cookies", "value": "k" * 43, "created_at": NOW},
}


def build(
    url: str, version: int = LATEST, *, rows: bool = True, columns_early: bool = False
) -> None:
    """A store at that version, made as the runner made it (schema_version, then each step's
    tables and its row), with a row in every table."""
    engine: Engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            schema_version.create(connection)
            for step in range(1, version + 1):
                description, tables = VERSIONS[step]
                if step == 1 and columns_early:
                    tables = (done_marks_with_evidence, audit_log)
                for table in tables:
                    table.create(connection)
                if step == 6:
                    _add_evidence_columns(connection)
                connection.execute(
                    insert(schema_version).values(
                        version=step, description=description, applied_at=NOW
                    )
                )
                if rows:
                    for table in tables:
                        connection.execute(insert(table).values(**ROWS[table.name]))
    finally:
        engine.dispose()


def _add_evidence_columns(connection: Connection) -> None:
    present = {c["name"] for c in inspect(connection).get_columns("done_marks")}
    if "evidence_url" not in present:
        connection.execute(
            text("ALTER TABLE done_marks ADD COLUMN evidence_url TEXT NOT NULL DEFAULT ''")
        )
    if "corrects" not in present:
        connection.execute(text("ALTER TABLE done_marks ADD COLUMN corrects INTEGER"))
