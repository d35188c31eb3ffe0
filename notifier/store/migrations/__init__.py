"""Alembic's migration environment for the store: env.py, script.py.mako and versions/, shipped
as package data and run by notifier.store.migrate (never imported by the running service).

Revisions 0001-0006 create what the hand-written runner's versions 1-6 created, so a store it
made is adopted by stamping its version. Each revision also notes itself in
`schema_version`, as that runner did: a notifier from before Alembic reads that table and
refuses a store with a version it does not know, instead of writing into a newer schema.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import context, op

_SCHEMA_VERSION = sa.table(
    "schema_version",
    sa.column("version", sa.Integer),
    sa.column("description", sa.Text),
    sa.column("applied_at", sa.String),
)


def note_version(version: int, description: str) -> None:
    """Record this step in schema_version, stamped with the upgrade's `now`."""
    now = context.config.attributes["now"]
    assert isinstance(now, datetime), "notifier.store.migrate passes the upgrade's instant"
    op.bulk_insert(
        _SCHEMA_VERSION,
        [
            {
                "version": version,
                "description": description,
                "applied_at": now.astimezone(UTC).isoformat(timespec="microseconds"),
            }
        ],
    )


def forget_version(version: int) -> None:
    op.execute(_SCHEMA_VERSION.delete().where(_SCHEMA_VERSION.c.version == version))
