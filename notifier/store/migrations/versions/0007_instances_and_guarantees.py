"""Several instances on one store, and what the database itself can guarantee.

- `leases`: who holds what until when (the leader, each running instance), timed by the
  database's clock so that instances on different machines agree.
- `feed_bodies`: each feed's bytes, so that every instance serves the same bytes and ETag.
- an index on the ledger's status (claims are looked up by it at every dispatch).
- on PostgreSQL, the append-only tables (audit log, done marks, event log, watcher findings)
  refuse UPDATE, DELETE and TRUNCATE with a trigger.
- schema_version 7: a notifier from before Alembic refuses this store instead of writing to it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from notifier.store.migrations import forget_version, note_version

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

APPEND_ONLY = ("audit_log", "done_marks", "event_log", "watch_findings")


def upgrade() -> None:
    op.create_table(
        "leases",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("holder", sa.String(200), nullable=False),
        sa.Column("since", sa.Float, nullable=False),  # seconds since the epoch, database clock
        sa.Column("expires_at", sa.Float, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_table(
        "feed_bodies",
        sa.Column("audience", sa.String(300), primary_key=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("body", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_reminder_ledger_status", "reminder_ledger", ["status"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION notifier_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% on table "%" is not allowed: it is append-only',
                    TG_OP, TG_TABLE_NAME
                    USING ERRCODE = 'integrity_constraint_violation';
            END $$
            """
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only "
                f"BEFORE UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION notifier_append_only()"
            )
    note_version(7, "several instances: leases, feed bodies; managed by Alembic from here on")


def downgrade() -> None:
    forget_version(7)
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
        op.execute("DROP FUNCTION notifier_append_only()")
    op.drop_index("ix_reminder_ledger_status", "reminder_ledger")
    op.drop_table("feed_bodies")
    op.drop_table("leases")
