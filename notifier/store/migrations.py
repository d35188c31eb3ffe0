"""Schema migrations: numbered steps applied once each, in order, and recorded.

A new table or column is a new step at the end; a step already released is never edited.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, insert, inspect, select, text

from notifier.errors import Problem, StoreVersionError
from notifier.store import schema

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


def _web_sign_in(connection: Connection) -> None:
    """Version 6: the web's sign-in links, sessions and cookie key; done marks gain an evidence
    URL and the id of the mark they correct. Step 1 creates done_marks from the current schema,
    so a store made from scratch has the columns already: add only what is missing."""
    _create(schema.sign_in_links, schema.web_sessions, schema.web_keys)(connection)
    present = {c["name"] for c in inspect(connection).get_columns(schema.done_marks.name)}
    if "evidence_url" not in present:
        connection.execute(
            text("ALTER TABLE done_marks ADD COLUMN evidence_url TEXT NOT NULL DEFAULT ''")
        )
    if "corrects" not in present:
        connection.execute(text("ALTER TABLE done_marks ADD COLUMN corrects INTEGER"))


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "done marks and audit log", _create(schema.done_marks, schema.audit_log)),
    Migration(2, "feed state and feed tokens", _create(schema.feed_events, schema.feed_audiences)),
    Migration(3, "reminder ledger", _create(schema.reminder_ledger)),
    Migration(4, "event log", _create(schema.event_log)),
    Migration(
        5,
        "watched sources and watcher findings",
        _create(schema.watched_sources, schema.watch_findings),
    ),
    Migration(6, "web sign-in and sessions; evidence and corrections of done marks", _web_sign_in),
)


LATEST = MIGRATIONS[-1].version


def applied_versions(connection: Connection) -> set[int]:
    """The versions applied to this store (none for a new, empty database)."""
    if not inspect(connection).has_table(schema.schema_version.name):
        return set()
    return set(connection.scalars(select(schema.schema_version.c.version)))


def check_known(applied: set[int], where: str) -> None:
    """A store written by a newer notifier is refused: this version would misread it."""
    newer = sorted(v for v in applied if v > LATEST)
    if newer:
        raise StoreVersionError(
            [
                Problem(
                    where,
                    f"the store has schema version {max(newer)}, written by a newer notifier; "
                    f"this one knows versions 1-{LATEST}. Run the newer notifier (nothing was "
                    "changed)",
                )
            ]
        )


def pending(applied: set[int]) -> list[Migration]:
    return [step for step in MIGRATIONS if step.version not in applied]


def migrate(engine: Engine, now: datetime, where: str = "database_url") -> int:
    """Bring the schema to the latest version; returns the version reached."""
    with engine.begin() as connection:
        applied = applied_versions(connection)
        check_known(applied, where)
        if not applied and not inspect(connection).has_table(schema.schema_version.name):
            schema.schema_version.create(connection)
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
    return LATEST
