"""A store at any earlier schema version upgrades to the current one and keeps what it holds; a
store written by a newer notifier is refused and left as it is. On both engines.

Earlier versions are those of the hand-written runner (1-6, adopted by stamping: tests/support/
legacy_store.py builds them as it did) and every earlier Alembic revision."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, func, inspect, select, text
from sqlalchemy.pool import NullPool

from notifier.errors import StoreVersionError
from notifier.store import migrate, schema
from notifier.store.engine import Store
from tests.support import legacy_store
from tests.support.stores import kept, snapshot

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
REVISIONS = [
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0009",
    "0010",
    "0011",
    "0012",
]


@pytest.fixture
def raw(empty_store_url: str) -> Iterator[Engine]:
    """A plain engine on the empty store (no notifier connection settings)."""
    engine = create_engine(empty_store_url, poolclass=NullPool)
    yield engine
    engine.dispose()


def alembic_to(engine: Engine, revision: str) -> None:
    """Bring an empty store to an earlier revision, as an earlier notifier would have."""
    with engine.begin() as connection:
        command.upgrade(migrate._config(connection, NOW), revision)


def counts(url: str) -> dict[str, int]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return {
                table: connection.scalar(select(func.count()).select_from(text(table))) or 0
                for table in legacy_store.ROWS
                if inspect(connection).has_table(table)
            }
    finally:
        engine.dispose()


@pytest.mark.parametrize("columns_early", [False, True], ids=["made-then", "made-lately"])
@pytest.mark.parametrize("version", range(1, legacy_store.LATEST + 1))
def test_a_store_of_the_hand_written_runner_is_adopted_and_keeps_every_row(
    empty_store_url: str, version: int, columns_early: bool
) -> None:
    """'made-lately': by the runner once version 6 existed, whose version 1 already gave done
    marks the evidence columns (version 6 then added only what was missing)."""
    legacy_store.build(empty_store_url, version, columns_early=columns_early)
    before = snapshot(empty_store_url)

    Store.open(empty_store_url, NOW).close()

    after = snapshot(empty_store_url)
    assert kept(before, after) == {}  # every row, unchanged
    # the audit log's entry, and the one saying its history was hashed (revision 0010)
    assert counts(empty_store_url) == dict.fromkeys(legacy_store.ROWS, 1) | {"audit_log": 2} | {
        table: 0
        for step in range(version + 1, legacy_store.LATEST + 1)
        for table in (t.name for t in legacy_store.VERSIONS[step][1])
    }
    engine = create_engine(empty_store_url, poolclass=NullPool)
    with engine.connect() as connection:
        found = migrate.state(connection)
        versions = list(connection.scalars(select(schema.schema_version.c.version)))
    engine.dispose()
    assert found.current
    assert found.revision == migrate.head()
    assert sorted(versions) == [int(revision) for revision in REVISIONS]


@pytest.mark.parametrize("revision", REVISIONS[:-1])
def test_a_store_at_an_earlier_revision_upgrades_to_the_head(
    raw: Engine, empty_store_url: str, revision: str
) -> None:
    alembic_to(raw, revision)

    Store.open(empty_store_url, NOW).close()

    with raw.connect() as connection:
        assert migrate.state(connection).revision == migrate.head()


def test_a_store_from_a_newer_notifier_is_refused_and_left_unchanged(
    raw: Engine, empty_store_url: str
) -> None:
    Store.open(empty_store_url, NOW).close()
    with raw.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099_from_the_future'"))
    before = snapshot(empty_store_url)

    with pytest.raises(StoreVersionError, match="0099_from_the_future"):
        Store.open(empty_store_url, NOW)
    with pytest.raises(StoreVersionError, match="written by a newer one"):
        Store.open(empty_store_url, NOW, read_only=True)

    assert snapshot(empty_store_url) == before


def test_a_hand_written_runner_store_of_an_unknown_version_is_refused(
    empty_store_url: str,
) -> None:
    legacy_store.build(empty_store_url)
    engine = create_engine(empty_store_url, poolclass=NullPool)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO schema_version (version, description, applied_at) "
                "VALUES (7, 'from the future', '2027-01-01T00:00:00.000000+00:00')"
            )
        )
    engine.dispose()
    before = snapshot(empty_store_url)

    with pytest.raises(StoreVersionError, match="version 7"):
        Store.open(empty_store_url, NOW)

    assert snapshot(empty_store_url) == before


@pytest.mark.parametrize("version", range(1, legacy_store.LATEST + 1))
def test_each_legacy_revision_creates_exactly_what_the_runner_created(
    raw: Engine, empty_store_url: str, version: int
) -> None:
    """What makes adoption by stamping safe: revision 000N is the runner's version N."""
    alembic_to(raw, REVISIONS[version - 1])
    with raw.begin() as connection:  # compare the runner's tables only
        connection.execute(text("DROP TABLE alembic_version"))
    made_by_alembic = structure(raw)
    with raw.begin() as connection:
        for table in inspect(connection).get_table_names():  # no foreign keys
            connection.execute(text(f'DROP TABLE "{table}"'))
    legacy_store.build(empty_store_url, version, rows=False)

    assert structure(raw) == made_by_alembic


def structure(engine: Engine) -> dict[str, object]:
    """Tables, columns (type, nullability), keys, unique constraints and indexes; on SQLite also
    the CREATE statements themselves."""
    with engine.connect() as connection:
        found = inspect(connection)
        result: dict[str, object] = {}
        for table in found.get_table_names():
            result[table] = (
                [(c["name"], str(c["type"]), c["nullable"]) for c in found.get_columns(table)],
                found.get_pk_constraint(table)["constrained_columns"],
                sorted(tuple(u["column_names"]) for u in found.get_unique_constraints(table)),
                sorted((i["name"], tuple(i["column_names"])) for i in found.get_indexes(table)),
            )
        if engine.dialect.name == "sqlite":
            result["sqlite_master"] = sorted(
                connection.execute(text("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL"))
                .scalars()
                .all()
            )
    return result


def test_the_head_revision_is_exactly_the_schema_the_code_declares(
    raw: Engine, empty_store_url: str
) -> None:
    Store.open(empty_store_url, NOW).close()
    with raw.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), schema.metadata)
    assert differences == []


def test_every_revision_downgrades_and_upgrades_again(raw: Engine, empty_store_url: str) -> None:
    Store.open(empty_store_url, NOW).close()
    for target in [*reversed(REVISIONS[:-1]), "base"]:
        with raw.begin() as connection:
            command.downgrade(migrate._config(connection, NOW), target)
    with raw.connect() as connection:
        assert inspect(connection).get_table_names() == ["alembic_version"]

    Store.open(empty_store_url, NOW).close()

    with raw.connect() as connection:
        assert migrate.state(connection).current


def test_processes_opening_a_new_store_at_once_migrate_it_once(empty_store_url: str) -> None:
    """Each opener has its own engine and connection, as separate processes would; the lock
    (PostgreSQL: an advisory lock; SQLite: BEGIN IMMEDIATE) lets one migrate, the rest find it
    done. Without it, PostgreSQL failed with a duplicate type and SQLite with 'table
    schema_version already exists'."""
    openers = 4
    start = threading.Barrier(openers)
    errors: list[BaseException] = []

    def open_store() -> None:
        try:
            start.wait(timeout=30)
            Store.open(empty_store_url, NOW).close()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=open_store, daemon=True) for _ in range(openers)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 120
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    assert not any(thread.is_alive() for thread in threads), "an opener never finished"
    assert errors == []
    engine = create_engine(empty_store_url, poolclass=NullPool)
    with engine.connect() as connection:
        versions = list(connection.scalars(select(schema.schema_version.c.version)))
    engine.dispose()
    assert sorted(versions) == [int(revision) for revision in REVISIONS]


def test_the_head_the_code_knows_without_alembic_is_the_last_revision_script() -> None:
    """migrate.HEAD lets a command at the prompt read the schema state without loading Alembic;
    a new revision must move it too."""
    assert migrate.HEAD == migrate.scripts_head() == REVISIONS[-1]
