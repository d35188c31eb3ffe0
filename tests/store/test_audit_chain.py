"""The audit log's hash chain, on both engines, through the real command line: an untouched
store verifies; an entry changed, removed or inserted behind the notifier's back (by the
database's owner, who can set the append-only trigger aside) is named by `notifier audit
verify` with exit 1; concurrent writers never fork the chain; an older store gets the chain by
`db upgrade` and verifies."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import NullPool

from notifier.store import audit, migrate
from notifier.store.audit import append
from notifier.store.engine import Store
from tests.support import legacy_store
from tests.support.cli import RunCli
from tests.support.registers import EXAMPLE_REGISTER

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


@pytest.fixture
def cli(run_cli: RunCli, store_url: str, monkeypatch: pytest.MonkeyPatch) -> RunCli:
    monkeypatch.setenv("NOTIFIER_DATABASE_URL", store_url)
    monkeypatch.setenv("NOTIFIER_REGISTER", str(EXAMPLE_REGISTER))
    return run_cli


@pytest.fixture
def owner(store_url: str) -> Iterator[Engine]:
    """The database's owner, connecting around the notifier."""
    engine = create_engine(store_url, poolclass=NullPool)
    yield engine
    engine.dispose()


def record(store_url: str, count: int) -> None:
    store = Store.open(store_url, NOW)
    try:
        for n in range(count):
            with store.engine.begin() as connection:
                append(
                    connection,
                    at=NOW + timedelta(minutes=n),
                    actor="ana@host",
                    action="done",
                    subject=f"m/item-{n}",
                    detail=f"note {n} — met",
                )
    finally:
        store.close()


def head_of(store_url: str) -> audit.ChainHead:
    store = Store.open(store_url, NOW)
    try:
        return audit.head(store)
    finally:
        store.close()


def as_owner(engine: Engine, statement: str) -> None:
    """What an owner of the database can do: on PostgreSQL, drop the append-only trigger
    first."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log"))
        connection.execute(text(statement))


def test_an_untouched_log_verifies(cli: RunCli, store_url: str) -> None:
    record(store_url, 3)
    verified = cli("audit", "verify")
    assert verified.code == 0, verified.out + verified.err
    assert "the chain holds: 3 entries" in verified.out
    status = cli("status")
    head = head_of(store_url)
    assert head.entries == 3
    assert f"Audit log: 3 entries, head {head.hash}" in status.out


def test_an_entry_whose_note_was_changed_is_named(
    cli: RunCli, store_url: str, owner: Engine
) -> None:
    record(store_url, 4)
    as_owner(owner, "UPDATE audit_log SET detail = 'note 1 — met, honestly' WHERE id = 2")

    verified = cli("audit", "verify")

    assert verified.code == 1
    assert "BROKEN at entry 2: its content no longer matches its hash" in verified.out


def test_a_removed_entry_is_found_at_the_entry_after_it(
    cli: RunCli, store_url: str, owner: Engine
) -> None:
    record(store_url, 4)
    as_owner(owner, "DELETE FROM audit_log WHERE id = 2")

    verified = cli("audit", "verify")

    assert verified.code == 1
    assert "BROKEN at entry 3: its link does not point at the entry before it" in verified.out


def test_an_entry_inserted_around_the_notifier_is_named(
    cli: RunCli, store_url: str, owner: Engine
) -> None:
    record(store_url, 2)
    as_owner(
        owner,
        "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES "
        "('2026-11-24T09:00:00.000000+00:00', 'ana@host', 'done', 'm/x', 'backdated')",
    )

    verified = cli("audit", "verify")

    assert verified.code == 1
    assert "BROKEN at entry 3: it has no hash" in verified.out


def test_entries_removed_from_the_end_lose_the_pinned_head(
    cli: RunCli, store_url: str, owner: Engine
) -> None:
    record(store_url, 3)
    pinned = head_of(store_url).hash
    assert cli("audit", "verify", "--head", pinned).code == 0
    as_owner(owner, "DELETE FROM audit_log WHERE id = 3")

    verified = cli("audit", "verify", "--head", pinned)

    assert verified.code == 1
    assert f"no longer holds the entry with hash {pinned}" in verified.out


def test_a_head_that_is_not_a_hash_is_bad_input(cli: RunCli) -> None:
    refused = cli("audit", "verify", "--head", "abc")
    assert refused.code == 2
    assert "64 hexadecimal digits" in refused.err
    assert "Traceback" not in refused.err


def test_concurrent_writers_never_fork_the_chain(store_url: str) -> None:
    record(store_url, 1)  # creates the store
    writers, each = 4, 5
    start = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        store = Store.open(store_url, NOW)
        try:
            start.wait(timeout=30)
            for k in range(each):
                with store.engine.begin() as connection:
                    append(connection, at=NOW, actor=f"w{n}", action="x", subject=str(k))
        except BaseException as error:
            errors.append(error)
        finally:
            store.close()

    threads = [threading.Thread(target=write, args=(n,), daemon=True) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    store = Store.open(store_url, NOW)
    try:
        verdict = audit.verify(store)
    finally:
        store.close()
    assert verdict.holds, verdict
    assert verdict.checked == 1 + writers * each


def test_a_store_of_the_previous_release_verifies_after_db_upgrade(
    run_cli: RunCli, empty_store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOTIFIER_DATABASE_URL", empty_store_url)
    monkeypatch.setenv("NOTIFIER_REGISTER", str(EXAMPLE_REGISTER))
    legacy_store.build(empty_store_url)
    assert run_cli("db", "upgrade").code == 0

    verified = run_cli("audit", "verify")

    assert verified.code == 0, verified.out
    assert "the chain holds: 2 entries" in verified.out  # its entry, and the chain's own
    shown = run_cli("audit").out
    assert "hash chain begun: the 1 earlier entries hashed once" in shown


def test_a_store_at_the_previous_revision_gets_its_history_hashed_once(
    run_cli: RunCli, empty_store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Revision 0008 (the release before the chain), with entries and, on PostgreSQL, the
    append-only trigger: `db upgrade` hashes them in order, says so, and the chain holds."""
    engine = create_engine(empty_store_url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            command.upgrade(migrate._config(connection, NOW), "0008")
        with engine.begin() as connection:
            for n in range(3):
                connection.execute(
                    text(
                        "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES "
                        f"('2026-11-2{n}T08:00:00.000000+00:00', 'ana@host', 'done', 'm/i{n}', "
                        f"'note {n}')"
                    )
                )
    finally:
        engine.dispose()
    monkeypatch.setenv("NOTIFIER_DATABASE_URL", empty_store_url)
    monkeypatch.setenv("NOTIFIER_REGISTER", str(EXAMPLE_REGISTER))

    assert run_cli("db", "upgrade").code == 0
    verified = run_cli("audit", "verify")

    assert verified.code == 0, verified.out
    assert "the chain holds: 4 entries" in verified.out
    assert "hash chain begun: the 3 earlier entries hashed once" in run_cli("audit").out
    assert run_cli("db", "upgrade").out.count("up to date") == 1  # once: nothing hashed again
