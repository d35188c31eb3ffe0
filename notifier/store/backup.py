"""An online copy of an SQLite store (`notifier db backup PATH`).

SQLite's backup API copies a consistent snapshot while the daemon and other commands go on
reading and writing (WAL). The copy is written beside its target, checked, switched out of WAL
mode (one self-contained file) and only then renamed into place; an existing file is never
overwritten, and the store's schema is not touched (back up before `notifier db upgrade`).
PostgreSQL stores are backed up with the server's own tools (pg_dump).
"""

from __future__ import annotations

import contextlib
import secrets
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine

from notifier.errors import InputError, Problem, RuntimeFailure
from notifier.store import migrate
from notifier.store.engine import SETTING, parse_url, sqlite_path

BUSY_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class Backup:
    source: Path
    target: Path
    size: int
    state: migrate.SchemaState


def backup_sqlite(url: str, target: Path) -> Backup:
    """Copy the SQLite store at `url` to the new file `target`."""
    source = _source(url)
    _check_target(target)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        with (
            contextlib.closing(sqlite3.connect(source, timeout=BUSY_TIMEOUT_SECONDS)) as reading,
            contextlib.closing(sqlite3.connect(temporary)) as copy,
        ):
            reading.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
            (verdict,) = copy.execute("PRAGMA integrity_check").fetchone()
        if verdict != "ok":
            raise RuntimeFailure(f"the copy of {source} failed its integrity check: {verdict}")
        state = _state(temporary)
        size = temporary.stat().st_size
        temporary.replace(target)
    except sqlite3.Error as error:
        raise RuntimeFailure(f"cannot back up {source} to {target}: {error}") from None
    except OSError as error:
        raise RuntimeFailure(
            f"cannot write the backup {target}: {error.strerror or error}"
        ) from None
    finally:
        temporary.unlink(missing_ok=True)
    return Backup(source, target, size, state)


def _source(url: str) -> Path:
    path = sqlite_path(url)
    if path is None:
        backend = parse_url(url).get_backend_name()
        advice = (
            "for PostgreSQL use pg_dump, e.g. pg_dump --format=custom --file=notifier.dump "
            "'postgresql://user@host/notifier'"
            if backend.startswith("postgres")
            else "it works on an SQLite file store"
        )
        raise InputError(
            [Problem(SETTING, f"`notifier db backup` copies SQLite stores only; {advice}")]
        )
    if not path.is_file():
        raise InputError([Problem(str(path), "no store here to back up (setting database_url)")])
    return path


def _check_target(target: Path) -> None:
    if target.exists():
        raise InputError(
            [Problem(str(target), "already exists; a backup never overwrites: give a new name")]
        )
    if not target.parent.is_dir():
        raise InputError(
            [Problem(str(target), f"its folder {target.parent} does not exist; create it first")]
        )


def _state(path: Path) -> migrate.SchemaState:
    """The copy's schema state, read without our connection settings (no WAL switch)."""
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            return migrate.state(connection)
    finally:
        engine.dispose()
