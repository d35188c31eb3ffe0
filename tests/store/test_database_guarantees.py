"""What the database itself guarantees: the ledger's key is unique (both engines); on PostgreSQL
the append-only tables refuse UPDATE, DELETE and TRUNCATE (a trigger), whoever connects. And a
database URL the notifier cannot use is bad input that says what would be right."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert, text
from sqlalchemy.exc import IntegrityError

from notifier.errors import SettingsError
from notifier.store.audit import append, entries
from notifier.store.engine import Store
from notifier.store.schema import reminder_ledger
from tests.support.postgres import Databases
from tests.support.stores import StoreAt

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
LEDGER_ROW = {
    "key": "m/rule|legal@example.com|d-30|2027-08-02",
    "item_id": "m/rule",
    "recipient": "legal@example.com",
    "step": "d-30",
    "due": date(2027, 8, 2),
    "scheduled_for": NOW,
    "status": "claimed",
    "claimed_by": "host:1:aa",
    "claimed_at": NOW,
    "attempts": 0,
}


@pytest.fixture
def store(store_at: StoreAt) -> Store:
    return store_at(NOW)


def test_the_ledger_refuses_a_second_row_for_one_reminder_key(store: Store) -> None:
    with store.engine.begin() as connection:
        connection.execute(insert(reminder_ledger).values(**LEDGER_ROW))
    with pytest.raises(IntegrityError), store.engine.begin() as connection:
        connection.execute(insert(reminder_ledger).values(**LEDGER_ROW))


@pytest.fixture
def postgres_store(postgres_store_at: StoreAt) -> Store:
    return postgres_store_at(NOW)


@pytest.mark.parametrize("table", ["audit_log", "done_marks", "event_log", "watch_findings"])
def test_on_postgresql_an_append_only_table_refuses_update_delete_and_truncate(
    postgres_store: Store, table: str
) -> None:
    """SQLite has no such trigger here: there the code's own discipline is the guarantee. The
    trigger fires per statement, so it refuses even a statement that would touch no row."""
    with postgres_store.engine.begin() as connection:
        append(connection, at=NOW, actor="ana@host", action="done", subject="x", detail="kept")
    for statement in (
        f"UPDATE {table} SET id = id",
        f"DELETE FROM {table} WHERE false",
        f"TRUNCATE {table}",
    ):
        refused = pytest.raises(IntegrityError, match="append-only")
        with refused, postgres_store.engine.begin() as connection:
            connection.execute(text(statement))
    assert [entry.detail for entry in entries(postgres_store)] == ["kept"]
    with postgres_store.engine.begin() as connection:  # adding stays allowed
        append(connection, at=NOW, actor="ana@host", action="done", subject="y", detail="more")
    assert len(entries(postgres_store)) == 2


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("mysql://user:secret@db/notifier", "'mysql' databases are not supported"),
        ("postgresql+psycopg2://user:secret@db/notifier", "uses psycopg 3"),
        ("not a url", "is not a database URL"),
    ],
)
def test_a_database_url_it_cannot_use_is_bad_input_that_hides_the_password(
    url: str, says: str
) -> None:
    with pytest.raises(SettingsError) as refused:
        Store.open(url, NOW)
    message = str(refused.value)
    assert says in message
    assert "database_url" in message
    assert "secret" not in message
    assert "sqlite:///" in message or "psycopg" in message


def test_a_plain_postgresql_url_means_psycopg(postgres_databases: Databases) -> None:
    url = postgres_databases.create()
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    store = Store.open(plain, NOW)
    try:
        assert store.engine.url.drivername == "postgresql+psycopg"
        assert store.dialect == "postgresql"
    finally:
        store.close()
        postgres_databases.drop(url)
