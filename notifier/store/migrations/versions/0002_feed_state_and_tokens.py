"""Feed state and feed tokens (the hand-written runner's version 2)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from notifier.store.migrations import forget_version, note_version

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feed_events",
        sa.Column("item_id", sa.String(300), primary_key=True),
        sa.Column("revision_key", sa.String(64), nullable=False),
        sa.Column("content_key", sa.String(64), nullable=False),
        sa.Column("sequence", sa.Integer, nullable=False),
        sa.Column("created", sa.String(32), nullable=False),
        sa.Column("last_modified", sa.String(32), nullable=False),
    )
    op.create_table(
        "feed_audiences",
        sa.Column("audience", sa.String(300), primary_key=True),
        sa.Column("token", sa.String(100), nullable=False, unique=True),
        sa.Column("token_issued_at", sa.String(32), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=True),
        sa.Column("changed_at", sa.String(32), nullable=True),
    )
    note_version(2, "feed state and feed tokens")


def downgrade() -> None:
    forget_version(2)
    op.drop_table("feed_audiences")
    op.drop_table("feed_events")
