"""Every table of the state store, on one MetaData: the one place the current schema is written.

The Alembic revisions in notifier/store/migrations/versions/ create it step by step, each with
its own frozen copy of what it creates; tests/store check that they end exactly here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    Dialect,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeDecorator

metadata = MetaData()


class UtcDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as UTC ISO text: the same on SQLite and PostgreSQL."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("the store keeps aware datetimes only")
        return value.astimezone(UTC).isoformat(timespec="microseconds")

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else datetime.fromisoformat(value)


# The hand-written runner's record of versions 1-6; Alembic revisions still add a row each, so a
# notifier from before Alembic refuses a store newer than it (alembic_version is the truth).
schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("description", Text, nullable=False),
    Column("applied_at", UtcDateTime, nullable=False),
)

# Append-only: a correction is a later mark, never an edit. A mark that names an earlier one in
# `corrects` replaces it (version 6); the earlier row stays, for the audit.
done_marks = Table(
    "done_marks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("item_id", String(300), nullable=False, index=True),
    Column("done_on", Date, nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("recorded_at", UtcDateTime, nullable=False),
    Column("recorded_by", String(200), nullable=False),
    Column("evidence_url", Text, nullable=False, default="", server_default=""),  # version 6
    Column("corrects", Integer, nullable=True),  # version 6: the id of the mark it replaces
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
    # Revision 0010: the hash chain (store/audit.py computes it; NULL only if written around it).
    Column("prev_hash", String(64), nullable=True),
    Column("entry_hash", String(64), nullable=True),
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

# One row per reminder key; the key's uniqueness is a database constraint, so two processes can
# never both claim one reminder.
reminder_ledger = Table(
    "reminder_ledger",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(600), nullable=False, unique=True),
    # Indexed (revision 0008): each claim reads the newest step per item and person.
    Column("item_id", String(300), nullable=False, index=True),
    Column("recipient", String(320), nullable=False),
    Column("step", String(40), nullable=False),
    Column("due", Date, nullable=False),
    Column("scheduled_for", UtcDateTime, nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("claimed_by", String(200), nullable=False),  # an instance (leases.py), while claimed
    Column("claimed_at", UtcDateTime, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UtcDateTime, nullable=True),
    Column("message_id", String(300), nullable=True),
    Column("sent_at", UtcDateTime, nullable=True),
    Column("last_error", Text, nullable=True),
    # The channel's name (revision 0011): `email`, or a `[channels.NAME]` of the settings.
    Column("channel", String(64), nullable=False, server_default="email"),
    Index("ix_reminder_ledger_channel_status", "channel", "status"),
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


# The web's passwordless sign-in (version 6). Only sha256 digests of the secrets are kept: a
# copy of the store signs nobody in.
sign_in_links = Table(
    "sign_in_links",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("person", String(100), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime, nullable=True),  # single use: set once, never cleared
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("person", String(100), nullable=False, index=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("ended_at", UtcDateTime, nullable=True),  # signed out
)

# The key that signs the web's cookies when the setting web.secret_key is not given.
web_keys = Table(
    "web_keys",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("value", String(100), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

# Each feed's bytes as last built, so that every instance serves the same bytes and ETag.
feed_bodies = Table(
    "feed_bodies",
    metadata,
    Column("audience", String(300), primary_key=True),
    Column("content_hash", String(64), nullable=False),  # sha256 of body
    Column("body", LargeBinary, nullable=False),
)

# Who holds what until when: the leader lease and one lease per running instance. Times are
# seconds since the epoch on the database's clock, which every instance shares.
leases = Table(
    "leases",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("holder", String(200), nullable=False),
    Column("since", Float, nullable=False),
    Column("expires_at", Float, nullable=False),
    Column("detail", Text, nullable=False),
)

# What is wrong, as the daemon and `notifier remind` last found it: one row per kind of problem
# (and per instance, for what each instance sees alone), kept until it is over. /healthz and
# `notifier status` read it, so every instance and the command line tell the same truth.
health_problems = Table(
    "health_problems",
    metadata,
    Column("kind", String(40), primary_key=True),
    Column("scope", String(200), primary_key=True),  # "" for the service, else an instance
    Column("since", UtcDateTime, nullable=False),  # when it began (kept while it lasts)
    Column("detail", Text, nullable=False),
    Column("reported_at", UtcDateTime, nullable=False),
    Column("reported_by", String(200), nullable=False),
)

# Personal API tokens (issue 21): only the digest is kept; revoked, never deleted.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("name", String(60), nullable=False),
    Column("person", String(100), nullable=False, index=True),
    Column("scope", String(10), nullable=False),  # "read" or "write"
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
)

# What moved (issue 23): the open items people were last shown, what each scope (a model, or
# "organisation") was computed from, and the moves found between two computations.
shown_items = Table(
    "shown_items",
    metadata,
    Column("item_id", String(300), primary_key=True),
    Column("rule", String(100), nullable=False),
    Column("model", String(100), nullable=True),
    Column("title", Text, nullable=False),
    Column("due", Date, nullable=True),
    Column("status", String(20), nullable=False),
    Column("rules_version", String(40), nullable=False),
    Column("owners", Text, nullable=False),  # JSON list of person ids
)
shown_inputs = Table(
    "shown_inputs",
    metadata,
    Column("scope", String(100), primary_key=True),
    Column("fields", Text, nullable=False),  # the register entry, canonical JSON
    Column("events", Text, nullable=False),  # JSON list of the event ids in force
    Column("rules_version", String(40), nullable=False),
    Column("shown_at", UtcDateTime, nullable=False),
)
# One row: a digest of the snapshot, so that a round where nothing changed reads one value.
shown_digest = Table(
    "shown_digest",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("digest", String(64), nullable=False),
)
moves = Table(
    "moves",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(700), nullable=False, unique=True),  # core.moves: found once
    Column("item_id", String(300), nullable=False),
    Column("rule", String(100), nullable=False),
    Column("model", String(100), nullable=True),
    Column("title", Text, nullable=False),
    Column("old_due", Date, nullable=True),
    Column("new_due", Date, nullable=True),
    Column("change", String(20), nullable=False),  # earlier, later, appeared, disappeared
    Column("cause_kind", String(20), nullable=False),
    Column("cause_ref", String(300), nullable=False),
    Column("cause", Text, nullable=False),  # JSON: core.moves.Cause.as_json
    Column("owners", Text, nullable=False),
    Column("found_at", UtcDateTime, nullable=False),
    Index("ix_moves_found_at", "found_at"),
)
