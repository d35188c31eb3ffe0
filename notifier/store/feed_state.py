"""Feed state tables: per-event SEQUENCE and last-modified; per-audience token and version.

Created by migration 2. Reading and writing them is notifier.store.feed_records (this module is
imported while the store package itself loads, so it holds the tables only).
"""

from __future__ import annotations

from sqlalchemy import Column, Integer, String, Table

from notifier.store.schema import UtcDateTime, metadata

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

TABLES: tuple[Table, ...] = (feed_events, feed_audiences)
