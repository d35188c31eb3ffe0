"""The state store (SQLAlchemy Core; SQLite by default, PostgreSQL through the URL)."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from notifier.errors import Problem, RuntimeFailure, SettingsError
from notifier.store.migrations import migrate

logger = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 30_000


class Store:
    """An open store; its engine is shared by the modules that own each table."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str, now: datetime) -> Store:
        """Open (creating an SQLite file and its folder if needed) and migrate the store."""
        try:
            parsed = make_url(url)
        except ArgumentError:
            raise SettingsError(
                [
                    Problem(
                        "database_url",
                        f"'{url}' is not a database URL, e.g. sqlite:///var/notifier.db",
                    )
                ]
            ) from None
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed)
        if parsed.get_backend_name() == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _begin_immediate)
        try:
            migrate(engine, now)
        except SQLAlchemyError as error:
            engine.dispose()
            raise RuntimeFailure(f"cannot open the store at {parsed!r}: {error}") from None
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()


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
