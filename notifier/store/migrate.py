"""The store's schema, managed by Alembic: where a store stands, and bringing it to the head
revision under a lock, so that several processes starting at once migrate it once.

The migration scripts are package data (notifier/store/migrations/); there is no alembic.ini.
Revisions 0001-0006 are the hand-written runner's versions 1-6: a store it made (a
`schema_version` table and no `alembic_version`) is adopted by stamping its version, then
upgraded like any other. A store at a revision this notifier does not know was written by a
newer one: it is refused (StoreVersionError) and nothing is changed.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, Integer, String, column, func, inspect, select, table

from notifier.errors import Problem, StoreVersionError

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

logger = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")
# The revision this notifier writes: the last of migrations/versions/ (a test holds them equal).
# Known without loading Alembic, so that a command at the prompt only reads alembic_version.
HEAD = "0012"
# The hand-written runner's versions, and the revisions that create the same schema.
LEGACY_REVISIONS = {1: "0001", 2: "0002", 3: "0003", 4: "0004", 5: "0005", 6: "0006"}
# Taken for the length of an upgrade transaction on PostgreSQL (SQLite: BEGIN IMMEDIATE).
LOCK_KEY = int.from_bytes(
    hashlib.sha256(b"notifier.store.migrate").digest()[:8], "big", signed=True
)

_LEGACY_TABLE = table("schema_version", column("version", Integer))
_ALEMBIC_TABLE = table("alembic_version", column("version_num", String))


@dataclass(frozen=True)
class SchemaState:
    """Where a store's schema stands, read without changing anything."""

    revision: str | None  # the Alembic revision, or the one a legacy version corresponds to
    legacy_version: int | None  # the hand-written runner's version, for a store not yet adopted
    head: str  # the revision this notifier writes
    known: bool  # False: written by a newer notifier

    @property
    def empty(self) -> bool:
        """No store in this database yet (no table of ours)."""
        return self.revision is None and self.legacy_version is None

    @property
    def current(self) -> bool:
        return self.revision == self.head and self.legacy_version is None

    def describe(self) -> str:
        if not self.known:
            found = (
                f"revision {self.revision}"
                if self.legacy_version is None
                else f"version {self.legacy_version}"
            )
            return (
                f"schema {found}, unknown to this notifier (written by a newer one; this one "
                f"writes revision {self.head})"
            )
        if self.current:
            return f"schema revision {self.revision} (current)"
        if self.legacy_version is not None:
            return (
                f"schema version {self.legacy_version} of the hand-written runner (behind; "
                f"`notifier db upgrade` adopts it and brings it to revision {self.head})"
            )
        if self.revision is None:
            return f"an empty database (`notifier db upgrade` creates revision {self.head})"
        return f"schema revision {self.revision} (behind; this notifier writes {self.head})"


@functools.cache
def _scripts() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config())


def _config(connection: Connection | None = None, now: datetime | None = None) -> Config:
    from alembic.config import Config  # Alembic loads only where a schema is read or changed

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    config.attributes["connection"] = connection
    config.attributes["now"] = now
    return config


def head() -> str:
    return HEAD


def scripts_head() -> str:
    """The head of the revision scripts, as Alembic reads them (HEAD must equal it)."""
    revision = _scripts().get_current_head()
    assert revision is not None
    return revision


def _known(revision: str) -> bool:
    if revision == HEAD:
        return True
    return any(script.revision == revision for script in _scripts().walk_revisions())


def state(connection: Connection) -> SchemaState:
    """The store's schema state; reads only (creates no table)."""
    if inspect(connection).has_table("alembic_version"):
        found = list(connection.scalars(select(_ALEMBIC_TABLE.c.version_num)))
        if len(found) > 1:  # branches: not a history this notifier ever wrote
            return SchemaState(", ".join(sorted(found)), None, head(), False)
        revision = found[0] if found else None
        return SchemaState(revision, None, head(), revision is None or _known(revision))
    if not inspect(connection).has_table("schema_version"):
        return SchemaState(None, None, head(), True)
    legacy = connection.scalar(select(func.max(_LEGACY_TABLE.c.version)))
    if legacy is None:
        return SchemaState(None, None, head(), True)
    mapped = LEGACY_REVISIONS.get(int(legacy))
    return SchemaState(mapped, int(legacy), head(), mapped is not None)


def refuse_unknown(found: SchemaState, where: str) -> None:
    if not found.known:
        raise StoreVersionError(
            [
                Problem(
                    where,
                    f"the store has {found.describe()}. Run the newer notifier (nothing was "
                    "changed)",
                )
            ]
        )


def require_current(engine: Engine, where: str) -> SchemaState:
    """For read-only commands: a store at the head revision (or none yet), or
    StoreVersionError."""
    with engine.connect() as connection:
        found = state(connection)
    refuse_unknown(found, where)
    if not (found.current or found.empty):
        raise StoreVersionError(
            [
                Problem(
                    where,
                    f"the store has {found.describe()}; run `notifier db upgrade` first "
                    "(read-only commands change nothing)",
                )
            ]
        )
    return found


def upgrade(
    engine: Engine, now: datetime, where: str = "database_url"
) -> tuple[SchemaState, SchemaState]:
    """Bring the store to the head revision; returns its state before and after.

    One transaction holds the lock, the adoption of a legacy store and every step: on
    PostgreSQL a transaction-scoped advisory lock (DDL is transactional there), on SQLite the
    write lock taken at BEGIN IMMEDIATE. A process that waited for the lock finds the work done.
    """
    with engine.connect() as connection:
        before = state(connection)
    refuse_unknown(before, where)
    if before.current:
        return before, before
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(select(func.pg_advisory_xact_lock(LOCK_KEY)))
        before = state(connection)
        refuse_unknown(before, where)
        if before.current:
            return before, before
        from alembic import command

        config = _config(connection, now)
        if before.legacy_version is not None:
            assert before.revision is not None
            command.stamp(config, before.revision)
            logger.info(
                "adopted a store of schema version %d as revision %s",
                before.legacy_version,
                before.revision,
            )
        command.upgrade(config, "head")
        after = state(connection)
    logger.info("store upgraded: %s -> %s", before.describe(), after.describe())
    return before, after
