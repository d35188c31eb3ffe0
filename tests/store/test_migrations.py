"""A store at any earlier schema version upgrades to the current one and keeps what it holds; a
store written by a newer notifier is refused and left as it is."""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, insert, select

from notifier.errors import StoreVersionError
from notifier.store import schema
from notifier.store.engine import Store
from notifier.store.migrations import LATEST, MIGRATIONS

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)

# A row for each table, keyed by the version that created the table.
ROWS = {
    1: [
        (
            schema.done_marks,
            {
                "item_id": "atlas/art-53-1-c-copyright-policy",
                "done_on": date(2026, 1, 5),
                "note": "policy v1",
                "recorded_at": NOW,
                "recorded_by": "ana@host",
            },
        ),
        (
            schema.audit_log,
            {"at": NOW, "actor": "ana@host", "action": "done", "subject": "x", "detail": ""},
        ),
    ],
    2: [
        (
            schema.feed_audiences,
            {"audience": "organisation", "token": "t" * 43, "token_issued_at": NOW},
        )
    ],
    3: [
        (
            schema.reminder_ledger,
            {
                "key": "k",
                "item_id": "atlas/x",
                "recipient": "a@example.com",
                "step": "d-30",
                "due": date(2027, 8, 2),
                "scheduled_for": NOW,
                "status": "sent",
                "claimed_by": "host:1",
                "claimed_at": NOW,
                "attempts": 1,
            },
        )
    ],
    4: [
        (
            schema.event_log,
            {
                "event_id": "incident-1",
                "kind": "incident",
                "data": "{}",
                "recorded_at": NOW,
                "recorded_by": "ana@host",
            },
        )
    ],
    5: [
        (
            schema.watched_sources,
            {"name": "code", "kind": "code", "location": "https://x.test", "failures": 0},
        )
    ],
}


def store_at(path: Path, version: int) -> None:
    """A store as a notifier of that schema version left it, with a row in every table."""
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        schema.schema_version.create(connection)
        for step in MIGRATIONS[:version]:
            step.apply(connection)
            connection.execute(
                insert(schema.schema_version).values(
                    version=step.version, description=step.description, applied_at=NOW
                )
            )
            for table, row in ROWS.get(step.version, []):
                connection.execute(insert(table).values(**row))
    engine.dispose()


@pytest.mark.parametrize("version", range(1, LATEST))
def test_a_store_at_an_earlier_version_upgrades_and_keeps_every_row(
    tmp_path: Path, version: int
) -> None:
    path = tmp_path / "old.db"
    store_at(path, version)

    store = Store.open(f"sqlite:///{path}", NOW)
    try:
        with store.engine.connect() as connection:
            applied = set(connection.scalars(select(schema.schema_version.c.version)))
            kept = {
                table.name: connection.scalar(select(func.count()).select_from(table))
                for step in range(1, version + 1)
                for table, _ in ROWS.get(step, [])
            }
            created = connection.scalar(select(func.count()).select_from(schema.watch_findings))
    finally:
        store.close()
    assert applied == set(range(1, LATEST + 1))
    assert kept == dict.fromkeys(kept, 1)
    assert created == 0


def test_a_store_from_a_newer_notifier_is_refused_and_left_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    store_at(path, LATEST)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(
            insert(schema.schema_version).values(
                version=LATEST + 1, description="from the future", applied_at=NOW
            )
        )
    engine.dispose()
    before = dump(path)

    with pytest.raises(StoreVersionError, match=f"schema version {LATEST + 1}"):
        Store.open(f"sqlite:///{path}", NOW)

    assert dump(path) == before


def dump(path: Path) -> list[str]:
    """Every table's definition and rows, as SQL."""
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return list(connection.iterdump())
