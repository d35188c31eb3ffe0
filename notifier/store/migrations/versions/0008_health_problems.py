"""What is wrong, recorded where every instance and `notifier status` can read it; and the
ledger indexed by item.

- `health_problems`: one row per kind of problem (a failed dispatch, an unreachable mail
  server, reminders left unsent, an unusable model or event, a rejected reload, a failed feed
  build) and scope ("" for the service, an instance's id for what only it sees), kept while it
  lasts: `since` is when it began.
- an index on the ledger's item_id: each claim reads the newest step sent per item and person
  (exactly once in time), which without it reads the whole table.
- schema_version 8.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from notifier.store.migrations import forget_version, note_version

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "health_problems",
        sa.Column("kind", sa.String(40), primary_key=True),
        sa.Column("scope", sa.String(200), primary_key=True),
        sa.Column("since", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("reported_at", sa.String(32), nullable=False),
        sa.Column("reported_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_reminder_ledger_item_id", "reminder_ledger", ["item_id"])
    note_version(8, "health problems, read by /healthz and notifier status; ledger by item")


def downgrade() -> None:
    forget_version(8)
    op.drop_index("ix_reminder_ledger_item_id", "reminder_ledger")
    op.drop_table("health_problems")
