"""What moved (issue 23): the open items people were last shown (due, status, the rule data's
version), what each scope was computed from, and the moves found between two computations.
- schema_version 12.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from notifier.store.migrations import forget_version, note_version

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "shown_items",
        sa.Column("item_id", sa.String(300), primary_key=True),
        sa.Column("rule", sa.String(100), nullable=False),
        sa.Column("model", sa.String(100), nullable=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("due", sa.Date, nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("rules_version", sa.String(40), nullable=False),
        sa.Column("owners", sa.Text, nullable=False),
    )
    op.create_table(
        "shown_inputs",
        sa.Column("scope", sa.String(100), primary_key=True),
        sa.Column("fields", sa.Text, nullable=False),
        sa.Column("events", sa.Text, nullable=False),
        sa.Column("rules_version", sa.String(40), nullable=False),
        sa.Column("shown_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "shown_digest",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False),
    )
    op.create_table(
        "moves",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(700), nullable=False, unique=True),
        sa.Column("item_id", sa.String(300), nullable=False),
        sa.Column("rule", sa.String(100), nullable=False),
        sa.Column("model", sa.String(100), nullable=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("old_due", sa.Date, nullable=True),
        sa.Column("new_due", sa.Date, nullable=True),
        sa.Column("change", sa.String(20), nullable=False),
        sa.Column("cause_kind", sa.String(20), nullable=False),
        sa.Column("cause_ref", sa.String(300), nullable=False),
        sa.Column("cause", sa.Text, nullable=False),
        sa.Column("owners", sa.Text, nullable=False),
        sa.Column("found_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_moves_found_at", "moves", ["found_at"])
    note_version(12, "what moved: the items shown, their inputs, and the moves found")


def downgrade() -> None:
    forget_version(12)
    op.drop_index("ix_moves_found_at", "moves")
    op.drop_table("moves")
    op.drop_table("shown_digest")
    op.drop_table("shown_inputs")
    op.drop_table("shown_items")
