"""The reminder ledger by channel (issue 18): reminders go by e-mail and to chat and webhook
channels, each row is the reminder of one address on one channel.

- `reminder_ledger.channel`: the channel's name from the settings (`email`, or a `[channels.NAME]`);
  every existing row is an e-mail. The key holds the channel too: an e-mail's key ends with the
  address, a channel's with `#NAME`, so keys already written never change.
- an index on (channel, status): `notifier status` and health count by channel.
- schema_version 9.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from notifier.store.migrations import forget_version, note_version

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reminder_ledger") as batch:
        batch.add_column(
            sa.Column("channel", sa.String(64), nullable=False, server_default="email")
        )
    op.create_index("ix_reminder_ledger_channel_status", "reminder_ledger", ["channel", "status"])
    note_version(9, "the reminder ledger by channel (e-mail, chat, webhooks)")


def downgrade() -> None:
    forget_version(9)
    op.drop_index("ix_reminder_ledger_channel_status", "reminder_ledger")
    with op.batch_alter_table("reminder_ledger") as batch:
        batch.drop_column("channel")
