"""Schema migrations: numbered steps applied once each, in order, and recorded.

A new table or column is a new step at the end; a step already released is never edited.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, insert, inspect, select

from notifier.store import event_log, feed_state, ledger, schema, watch_state

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Connection], None]


def _create(*tables: object) -> Callable[[Connection], None]:
    def apply(connection: Connection) -> None:
        schema.metadata.create_all(connection, tables=list(tables))  # type: ignore[arg-type]

    return apply


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "done marks and audit log", _create(schema.done_marks, schema.audit_log)),
    Migration(2, "feed state and feed tokens", _create(*feed_state.TABLES)),
    Migration(3, "reminder ledger", _create(*ledger.TABLES)),
    Migration(4, "event log", _create(*event_log.TABLES)),
    Migration(5, "watched sources and watcher findings", _create(*watch_state.TABLES)),
)


def migrate(engine: Engine, now: datetime) -> int:
    """Bring the schema to the latest version; returns the version reached."""
    with engine.begin() as connection:
        if not inspect(connection).has_table(schema.schema_version.name):
            schema.schema_version.create(connection)
        applied = set(connection.scalars(select(schema.schema_version.c.version)))
        for step in MIGRATIONS:
            if step.version in applied:
                continue
            step.apply(connection)
            connection.execute(
                insert(schema.schema_version).values(
                    version=step.version, description=step.description, applied_at=now
                )
            )
            logger.info("store migrated to version %d (%s)", step.version, step.description)
    return MIGRATIONS[-1].version
