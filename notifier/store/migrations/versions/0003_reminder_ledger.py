"""The reminder ledger (the hand-written runner's version 3): one row per reminder key, which is
unique, so a reminder is claimed once whichever process asks first."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from notifier.store.migrations import forget_version, note_version

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reminder_ledger",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(600), nullable=False, unique=True),
        sa.Column("item_id", sa.String(300), nullable=False),
        sa.Column("recipient", sa.String(320), nullable=False),
        sa.Column("step", sa.String(40), nullable=False),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("scheduled_for", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("claimed_by", sa.String(200), nullable=False),
        sa.Column("claimed_at", sa.String(32), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", sa.String(32), nullable=True),
        sa.Column("message_id", sa.String(300), nullable=True),
        sa.Column("sent_at", sa.String(32), nullable=True),
        sa.Column("last_error", sa.Text, nullable=True),
    )
    note_version(3, "reminder ledger")


def downgrade() -> None:
    forget_version(3)
    op.drop_table("reminder_ledger")
