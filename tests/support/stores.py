"""The store on both engines: fixtures that give each store-touching test an SQLite file and a
database on a private PostgreSQL server (tests/support/postgres.py), and helpers to look at a
store whatever its engine. Loaded as a plugin by tests/conftest.py.

`store_url` is parametrised: a test that asks for it (or for a fixture built on it: workspace,
harness, the feeds' store, the web site) runs once per engine, as `test_x[sqlite]` and
`test_x[postgresql]`. Where the server binaries are missing and the tests cannot install them
(not root), the PostgreSQL half is skipped with the reason; in CI (`CI` set) or as root it fails
instead, so the PostgreSQL half can never silently vanish.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, select, text, update
from sqlalchemy.pool import NullPool

from notifier.core.items import Item
from notifier.core.reminders import Recipient, Reminder
from notifier.store.engine import Store
from notifier.store.schema import leases, reminder_ledger

from .postgres import Databases, PostgresCluster, Unavailable

ENGINES = ("sqlite", "postgresql")
MIGRATED_AT = datetime(2026, 11, 24, tzinfo=UTC)


def _migrate(url: str) -> None:
    Store.open(url, MIGRATED_AT).close()


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[Databases]:
    """A private PostgreSQL server for the session, with a migrated template database."""
    try:
        cluster = PostgresCluster().start()
    except Unavailable as error:
        if os.environ.get("CI") or os.geteuid() == 0:
            pytest.fail(f"PostgreSQL is required here (CI or root): {error}", pytrace=False)
        pytest.skip(f"PostgreSQL tests skipped on this machine: {error}")
    databases = Databases(cluster)
    try:
        databases.prepare_template(_migrate)
        yield databases
    finally:
        databases.close()
        cluster.stop()


@pytest.fixture(params=ENGINES)
def engine_name(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


def _url(
    engine_name: str, request: pytest.FixtureRequest, name: str, *, migrated: bool
) -> Iterator[str]:
    if engine_name == "sqlite":
        tmp_path = request.getfixturevalue("tmp_path")
        yield f"sqlite:///{tmp_path / name}"
        return
    databases: Databases = request.getfixturevalue("postgres_databases")
    url = databases.create(migrated=migrated)
    try:
        yield url
    finally:
        databases.drop(url)


@pytest.fixture
def store_url(engine_name: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of this test's store, on each engine: an SQLite file not yet created (the first
    command creates it) or a PostgreSQL database at the current schema."""
    yield from _url(engine_name, request, "n.db", migrated=True)


@pytest.fixture
def empty_store_url(engine_name: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """A store that does not exist yet (SQLite) or an empty database (PostgreSQL): for tests of
    creation, upgrades and read-only commands that must not create anything."""
    yield from _url(engine_name, request, "empty.db", migrated=False)


def snapshot(url: str) -> dict[str, Any]:
    """Every table's definition (columns) and rows, sorted: equal snapshots, equal stores."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            found = inspect(connection)
            result: dict[str, Any] = {}
            for name in sorted(found.get_table_names()):
                columns = [c["name"] for c in found.get_columns(name)]
                rows = connection.execute(text(f'SELECT * FROM "{name}"')).all()
                result[name] = (columns, sorted(tuple(map(repr, row)) for row in rows))
            return result
    finally:
        engine.dispose()


def kept(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[str]]:
    """The tables whose rows `after` lost or changed, comparing only the columns `before` had
    (an upgrade may add columns and tables, and notes itself in schema_version)."""
    changed: dict[str, list[str]] = {}
    for table, (columns, rows) in before.items():
        if table == "schema_version":
            continue
        now_columns, now_rows = after.get(table, ([], []))
        if not set(columns) <= set(now_columns):
            changed[table] = [f"lost columns {sorted(set(columns) - set(now_columns))}"]
            continue
        where = [now_columns.index(name) for name in columns]
        projected = sorted(tuple(row[i] for i in where) for row in now_rows)
        if set(rows) - set(projected):
            # rows added are not lost (revision 0010 notes in the audit log that it hashed it)
            changed[table] = [repr(row) for row in set(rows) - set(projected)]
    return changed


def lapse_leases(store: Store, *holders: str) -> int:
    """Make these holders' leases (all, if none given) lapse now, as if the time had passed
    without a renewal: how tests stand in for a process that died long enough ago."""
    query = update(leases).values(expires_at=leases.c.expires_at - 24 * 3600)
    if holders:
        query = query.where(leases.c.holder.in_(holders))
    with store.engine.begin() as connection:
        return connection.execute(query).rowcount


def lease_holders(store: Store) -> dict[str, str]:
    """Every lease row, lapsed or not: name -> holder."""
    with store.engine.connect() as connection:
        return dict(connection.execute(select(leases.c.name, leases.c.holder)).all())


@contextmanager
def ledger_locked(url: str) -> Iterator[None]:
    """No process can write the reminder ledger while the block runs (SQLite: the database's
    write lock; PostgreSQL: an exclusive lock on the table); reads go on. How tests hold a
    process between the mail server's 250 and its ledger write."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                connection.exec_driver_sql("PRAGMA busy_timeout=30000")
                connection.exec_driver_sql("BEGIN EXCLUSIVE")
            else:
                connection.execute(text("LOCK TABLE reminder_ledger IN EXCLUSIVE MODE"))
            try:
                yield
            finally:
                connection.rollback()
    finally:
        engine.dispose()


def ledger_rows(url: str) -> list[dict[str, Any]]:
    """Every reminder ledger row, oldest first, read without opening the store as a command
    would (no migration)."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            rows = connection.execute(select(reminder_ledger).order_by(reminder_ledger.c.id))
            return [dict(row._mapping) for row in rows]
    finally:
        engine.dispose()


def reminders(count: int, at: datetime = MIGRATED_AT) -> list[Reminder]:
    """`count` reminders (keys key-0, key-1, ...) of made-up items, for one person: what the
    ledger is given to claim, without a register."""
    person = Recipient("legal", "Ana", "legal@example.com")
    found = []
    for n in range(count):
        item = made_up_item(f"m/rule-{n}", date(2027, 8, 2))
        found.append(Reminder(f"key-{n}", item, person, "d-30", at, 30))
    return found


def made_up_item(item_id: str, due: date | None) -> Item:
    """An open deadline of a made-up model, owned by "legal"."""
    rule = item_id.rpartition("/")[2]
    return Item(
        id=item_id,
        rule=rule,
        title="t",
        due=due,
        status="upcoming",
        basis="law",
        citation="c",
        kind="deadline",
        verification="primary",
        owners=("legal",),
        description="d",
    )


def step_of(
    item_id: str,
    step: str,
    scheduled_for: datetime,
    email: str = "legal@example.com",
    *,
    due: date = date(2027, 8, 2),
    occasion: str | None = None,
) -> Reminder:
    """One reminder under its real key (`Reminder.of`): a step of a made-up item for `email`, or
    with `occasion` its mail at once."""
    item = made_up_item(item_id, due)
    left = (due - scheduled_for.date()).days
    return Reminder.of(item, Recipient("legal", "Ana", email), step, scheduled_for, left, occasion)


# store_at(now) -> a store opened as of `now`: the fixtures below.
StoreAt = Callable[[datetime], Store]


@pytest.fixture
def store_at(store_url: str) -> Iterator[StoreAt]:
    """store_at(now) -> the store at `store_url` (once per engine) opened as of `now`; closed
    at the end of the test."""
    opened: list[Store] = []

    def open_at(now: datetime) -> Store:
        opened.append(Store.open(store_url, now))
        return opened[-1]

    yield open_at
    for store in opened:
        store.close()


@pytest.fixture
def postgres_store_at(postgres_databases: Databases) -> Iterator[StoreAt]:
    """store_at(now), always on a new PostgreSQL database, dropped at the end of the test."""
    opened: list[tuple[str, Store]] = []

    def open_at(now: datetime) -> Store:
        url = postgres_databases.create()
        opened.append((url, Store.open(url, now)))
        return opened[-1][1]

    yield open_at
    for url, store in opened:
        store.close()
        postgres_databases.drop(url)
