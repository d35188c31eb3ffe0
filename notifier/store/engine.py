"""Opening the state store (SQLAlchemy Core): an SQLite file by default, or PostgreSQL through
psycopg 3 (`postgresql+psycopg://...`, the `postgresql` extra)."""

from __future__ import annotations

import hashlib
import logging
import re
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, func, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from notifier.errors import Problem, RuntimeFailure, SettingsError, StoreVersionError
from notifier.store import migrate

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql, sqlite
from notifier.store.schema import metadata

logger = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 30_000
SETTING = "database_url"
EXAMPLES = "sqlite:///var/notifier.db or postgresql+psycopg://user:password@host:5432/notifier"


class Store:
    """An open store; its engine is shared by the modules that own each table."""

    def __init__(self, engine: Engine, *, transient: bool = False) -> None:
        self.engine = engine
        self.transient = transient  # a store not created yet, as read-only commands see it

    @property
    def dialect(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self.engine.dialect.name

    @classmethod
    def open(cls, url: str, now: datetime, *, read_only: bool = False) -> Store:
        """Open the store and bring its schema to the head revision (creating an SQLite file and
        its folder if needed). Read-only: create and migrate nothing; a store at an older
        revision is refused, and one that does not exist yet reads as an empty one."""
        parsed = parse_url(url)
        if read_only and _missing_sqlite_file(parsed):
            return cls._empty()
        if _sqlite_file(parsed):
            _make_folder(Path(parsed.database or ""))
        engine = _engine(parsed)
        try:
            if read_only:
                if migrate.require_current(engine, SETTING).empty:  # an empty database
                    engine.dispose()
                    return cls._empty()
            else:
                migrate.upgrade(engine, now, SETTING)
        except SQLAlchemyError as error:
            engine.dispose()
            why = reason(error)
            if "permission denied" in why or "must be owner" in why:
                why += (
                    "; this role may not change the schema: upgrade it as the owner role "
                    "(NOTIFIER_DATABASE_OWNER_URL=... notifier db upgrade)"
                )
            raise RuntimeFailure(f"cannot open the store at {safe_url(parsed)}: {why}") from None
        except StoreVersionError:
            engine.dispose()
            raise
        return cls(engine)

    @classmethod
    def _empty(cls) -> Store:
        """A store that does not exist yet, as read-only commands see it: empty, in memory,
        gone when the command ends."""
        engine = _engine(make_url("sqlite://"))
        metadata.create_all(engine)
        return cls(engine, transient=True)

    def close(self) -> None:
        self.engine.dispose()


def upgrade(
    url: str, now: datetime, owner_url: str | None = None
) -> tuple[migrate.SchemaState, migrate.SchemaState]:
    """`notifier db upgrade`: the store's schema state before and after bringing it to head.
    With `owner_url` (PostgreSQL): migrate as that role, then grant `url`'s role only what the
    service needs (store/roles.py)."""
    if owner_url:
        return _upgrade_as_owner(url, owner_url, now)
    parsed = parse_url(url)
    if _sqlite_file(parsed):
        _make_folder(Path(parsed.database or ""))
    engine = _engine(parsed)
    try:
        return migrate.upgrade(engine, now, SETTING)
    except SQLAlchemyError as error:
        raise RuntimeFailure(
            f"cannot upgrade the store at {safe_url(parsed)}: {reason(error)}"
        ) from None
    finally:
        engine.dispose()


OWNER_SETTING = "database_owner_url"


def _upgrade_as_owner(
    url: str, owner_url: str, now: datetime
) -> tuple[migrate.SchemaState, migrate.SchemaState]:
    from notifier.store import roles

    service, owner = parse_url(url), parse_url(owner_url)
    if service.get_backend_name() != "postgresql" or owner.get_backend_name() != "postgresql":
        raise SettingsError(
            [Problem(OWNER_SETTING, "applies to PostgreSQL only: both URLs must be postgresql")]
        )
    if not service.username or service.username == owner.username:
        raise SettingsError(
            [
                Problem(
                    OWNER_SETTING,
                    f"the service's role ({SETTING}: {service.username or 'none given'}) must "
                    f"be another role than the owner ({owner.username}), so that the service "
                    "owns nothing",
                )
            ]
        )
    if (service.host, service.port, service.database) != (owner.host, owner.port, owner.database):
        raise SettingsError([Problem(OWNER_SETTING, f"must name the same database as {SETTING}")])
    engine = _engine(owner)
    try:
        states = migrate.upgrade(engine, now, OWNER_SETTING)
        with engine.begin() as connection:
            owned = roles.owns_anything(connection, service.username)
            if owned:
                raise SettingsError(
                    [
                        Problem(
                            SETTING,
                            f"the service's role {service.username} owns {', '.join(owned)}; "
                            f"as a superuser run REASSIGN OWNED BY {service.username} TO "
                            f"{owner.username}, then upgrade again",
                        )
                    ]
                )
            roles.grant_service(connection, service.username)
        return states
    except SQLAlchemyError as error:
        raise RuntimeFailure(
            f"cannot upgrade the store at {safe_url(owner)}: {reason(error)}"
        ) from None
    finally:
        engine.dispose()


def schema_state(url: str) -> migrate.SchemaState | None:
    """The store's schema state, read without creating or changing anything; None if an SQLite
    store does not exist yet."""
    parsed = parse_url(url)
    if _missing_sqlite_file(parsed):
        return None
    engine = _engine(parsed)
    try:
        with engine.connect() as connection:
            return migrate.state(connection)
    except SQLAlchemyError as error:
        raise RuntimeFailure(
            f"cannot read the store at {safe_url(parsed)}: {reason(error)}"
        ) from None
    finally:
        engine.dispose()


def parse_url(url: str) -> URL:
    """The database URL, checked: SQLite, or PostgreSQL through psycopg 3 (`postgresql://` means
    psycopg too). Anything else, or PostgreSQL without psycopg installed, is a settings error."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise SettingsError(
            [Problem(SETTING, f"'{_masked(url)}' is not a database URL, e.g. {EXAMPLES}")]
        ) from None
    # From the name alone: asking SQLAlchemy loads the dialect, which fails for an unknown one.
    backend, _, driver = parsed.drivername.partition("+")
    if backend == "sqlite":
        return parsed
    if backend in ("postgresql", "postgres"):
        if "+" not in parsed.drivername:
            parsed = parsed.set(drivername="postgresql+psycopg")
        elif driver != "psycopg":
            raise SettingsError(
                [
                    Problem(
                        SETTING,
                        f"driver '{driver}' is not supported for PostgreSQL; this notifier uses "
                        f"psycopg 3: postgresql+psycopg://... (found {safe_url(parsed)})",
                    )
                ]
            )
        try:
            import psycopg  # noqa: F401 - only whether it is installed
        except ImportError:
            raise SettingsError(
                [
                    Problem(
                        SETTING,
                        "PostgreSQL needs the psycopg driver, which is not installed: "
                        "pip install 'notifier[postgresql]'",
                    )
                ]
            ) from None
        return parsed
    raise SettingsError(
        [
            Problem(
                SETTING,
                f"'{backend}' databases are not supported (found {safe_url(parsed)}); "
                f"use {EXAMPLES}",
            )
        ]
    )


def _masked(url: str) -> str:
    """A URL that could not be parsed, with anything like a password (`://user:...@`) hidden."""
    return re.sub(r"(://[^:/@\s]*):[^@\s]*@", r"\1:***@", url)


def safe_url(parsed: URL | str) -> str:
    """The URL without its password, for messages and logs."""
    url = make_url(parsed) if isinstance(parsed, str) else parsed
    return url.render_as_string(hide_password=True)


def reason(error: SQLAlchemyError) -> str:
    """The driver's own message, without SQLAlchemy's SQL echo and help link."""
    original = getattr(error, "orig", None)
    return " ".join(str(original if original is not None else error).split())


def store_reason(error: BaseException) -> str:
    """Why a store operation failed, in one line: the driver's message for a database error."""
    if isinstance(error, SQLAlchemyError):
        return f"{type(getattr(error, 'orig', None) or error).__name__}: {reason(error)}"
    return f"{type(error).__name__}: {' '.join(str(error).split())}"


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


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite store, or None for PostgreSQL (or an in-memory database)."""
    parsed = parse_url(url)
    return Path(parsed.database or "") if _sqlite_file(parsed) else None


def _engine(parsed: URL) -> Engine:
    if parsed.get_backend_name() != "sqlite":
        # pre_ping: a connection the server closed (restart, failover, idle timeout) is
        # replaced before use instead of failing the next job.
        return create_engine(parsed, pool_pre_ping=True)
    if not _sqlite_file(parsed):  # in memory: one connection, or each would see its own database
        # ...shared by the threads a command or the daemon works in (one at a time).
        engine = create_engine(
            parsed, poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    else:
        engine = create_engine(parsed)
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _begin_immediate)
    return engine


def serialise(connection: Connection, name: str) -> None:
    """Let one transaction at a time past this point for `name` (feed builds, token issue).

    SQLite already runs one writing transaction at a time (BEGIN IMMEDIATE); PostgreSQL takes a
    transaction-scoped advisory lock, released at COMMIT or ROLLBACK."""
    if connection.dialect.name == "postgresql":
        key = int.from_bytes(
            hashlib.sha256(f"notifier.{name}".encode()).digest()[:8], "big", signed=True
        )
        connection.execute(select(func.pg_advisory_xact_lock(key)))


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    """WAL lets readers run beside a writer; busy_timeout makes writers queue, not fail."""
    cursor = connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    _write_ahead_log(cursor)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
    # Let SQLAlchemy, not the driver, issue BEGIN (see _begin_immediate).
    connection.isolation_level = None


def _write_ahead_log(cursor: Any) -> None:
    """Switching a new file to WAL needs it alone, and SQLite answers 'database is locked' at
    once instead of waiting under busy_timeout: while another process holds the new file (it is
    creating the same store), try again, within the same bound."""
    import sqlite3  # loaded already: this runs on a connection of SQLite's driver

    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _begin_immediate(connection: Any) -> None:
    """Take the write lock when a transaction starts: a deferred transaction that reads, then
    writes, can fail at once with 'database is locked' when another process wrote meanwhile;
    an immediate one waits its turn under busy_timeout. Two `notifier remind` runs, the daemon
    and a CLI command can then share one SQLite file safely."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def dialect_insert(connection: Connection) -> type[sqlite.Insert] | type[postgresql.Insert]:
    """INSERT with ON CONFLICT for the connection's database: the one place that chooses."""
    if connection.dialect.name == "postgresql":
        # Imported here: SQLite users (and every command's start-up) skip the PostgreSQL dialect.
        from sqlalchemy.dialects import postgresql

        return postgresql.Insert
    from sqlalchemy.dialects import sqlite

    return sqlite.Insert
