"""Alembic's environment: migrations always run on the connection notifier.store.migrate hands
over, inside its transaction and under its lock; there is no alembic.ini and no offline mode."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection) or context.is_offline_mode():
    raise RuntimeError(
        "run migrations with `notifier db upgrade` (notifier.store.migrate), which passes the "
        "connection and holds the lock"
    )
context.configure(
    connection=connection,
    target_metadata=None,
    # SQLite alters a table by copying it; PostgreSQL alters it in place.
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():  # a no-op: the caller's transaction holds every step
    context.run_migrations()
