"""Opening the state store (SQLAlchemy Core; SQLite by default, PostgreSQL through the URL)."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from notifier.errors import Problem, RuntimeFailure, SettingsError, StoreVersionError
from notifier.store.migrations import LATEST, applied_versions, check_known, migrate

logger = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 30_000


class Store:
    """An open store; its engine is shared by the modules that own each table."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str, now: datetime, *, read_only: bool = False) -> Store:
        """Open the store and bring its schema up to date (creating an SQLite file and its
        folder if needed). Read-only: create and migrate nothing; a store that does not exist
        yet reads as an empty one."""
        parsed = _parse(url)
        if read_only and _missing_sqlite_file(parsed):
            parsed = make_url("sqlite://")  # in memory: empty, and gone when the command ends
            read_only = False
        elif _sqlite_file(parsed):
            _make_folder(Path(parsed.database or ""))
        engine = _engine(parsed)
        try:
            if read_only:
                _check_current(engine)
            else:
                migrate(engine, now)
        except SQLAlchemyError as error:
            engine.dispose()
            raise RuntimeFailure(f"cannot open the store at {parsed!r}: {error}") from None
        except StoreVersionError:
            engine.dispose()
            raise
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()


def schema_state(url: str) -> str:
    """The store's schema version in words, read without creating or changing anything."""
    parsed = _parse(url)
    if _missing_sqlite_file(parsed):
        return f"no store yet at {parsed.database}"
    engine = _engine(parsed)
    try:
        with engine.connect() as connection:
            applied = applied_versions(connection)
    except SQLAlchemyError as error:
        raise RuntimeFailure(f"cannot read the store at {parsed!r}: {error}") from None
    finally:
        engine.dispose()
    version = max(applied, default=0)
    state = "current" if version == LATEST else "newer" if version > LATEST else "behind"
    return f"schema version {version} ({state}; this notifier writes {LATEST})"


def _parse(url: str) -> URL:
    example = "e.g. sqlite:///var/notifier.db or postgresql+psycopg://user@host/notifier"
    try:
        parsed = make_url(url)
        parsed.get_dialect().import_dbapi()  # an unknown kind or driver fails here, not later
    except ArgumentError as error:
        raise SettingsError(
            [Problem("database_url", f"'{url}' is not a database URL ({error}); {example}")]
        ) from None
    except ImportError as error:
        raise SettingsError(
            [
                Problem(
                    "database_url",
                    f"'{parsed.render_as_string()}' needs a driver that is not installed "
                    f"({error}); for PostgreSQL: pip install 'notifier[postgresql]'",
                )
            ]
        ) from None
    return parsed


def _make_folder(database: Path) -> None:
    """The SQLite file's folder, created if missing; a clear error where it cannot be."""
    try:
        database.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SettingsError(
            [
                Problem(
                    "database_url",
                    f"cannot create the folder {database.parent} for the SQLite store "
                    f"({error.strerror}); give a path in a folder that can exist",
                )
            ]
        ) from None


def _sqlite_file(parsed: URL) -> bool:
    return parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:")


def _missing_sqlite_file(parsed: URL) -> bool:
    return _sqlite_file(parsed) and not Path(parsed.database or "").exists()


def _engine(parsed: URL) -> Engine:
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed)
    if not _sqlite_file(parsed):  # in memory: one connection, or each would see its own database
        engine = create_engine(parsed, poolclass=StaticPool)
    else:
        engine = create_engine(parsed)
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _begin_immediate)
    return engine


def _check_current(engine: Engine) -> None:
    """A read-only command uses a store only at the schema this notifier writes."""
    with engine.connect() as connection:
        applied = applied_versions(connection)
    where = "database_url"
    check_known(applied, where)
    if max(applied, default=0) < LATEST:
        raise StoreVersionError(
            [
                Problem(
                    where,
                    f"the store has schema version {max(applied, default=0)} and this notifier "
                    f"writes version {LATEST}; run `notifier db upgrade` first (read-only "
                    "commands change nothing)",
                )
            ]
        )


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    """WAL lets readers run beside a writer; busy_timeout makes writers queue, not fail."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
    # Let SQLAlchemy, not the driver, issue BEGIN (see _begin_immediate).
    connection.isolation_level = None


def _begin_immediate(connection: Any) -> None:
    """Take the write lock when a transaction starts: a deferred transaction that reads, then
    writes, can fail at once with 'database is locked' when another process wrote meanwhile;
    an immediate one waits its turn under busy_timeout. Two `notifier remind` runs, the daemon
    and a CLI command can then share one SQLite file safely."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")
