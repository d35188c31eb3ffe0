"""Done marks and the audit log (the hand-written runner's version 1), and schema_version."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from notifier.store.migrations import note_version

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "schema_version",
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("applied_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "done_marks",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("item_id", sa.String(300), nullable=False),
        sa.Column("done_on", sa.Date, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.String(32), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_done_marks_item_id", "done_marks", ["item_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    note_version(1, "done marks and audit log")


def downgrade() -> None:
    op.drop_table("audit_log")
    op.drop_table("done_marks")
    op.drop_table("schema_version")
