"""Personal API tokens (issue 21): a name, a person, a scope (read or write), an expiry; only
the token's sha256 digest is kept, so a copy of the store lets nobody in. Revoking sets
`revoked_at`; nothing is deleted (the audit log names tokens by name).
- schema_version 11.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from notifier.store.migrations import forget_version, note_version

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("person", sa.String(100), nullable=False),
        sa.Column("scope", sa.String(10), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("expires_at", sa.String(32), nullable=False),
        sa.Column("revoked_at", sa.String(32), nullable=True),
    )
    op.create_index("ix_api_tokens_person", "api_tokens", ["person"])
    note_version(11, "personal API tokens (digests), scoped read or write, with an expiry")


def downgrade() -> None:
    forget_version(11)
    op.drop_index("ix_api_tokens_person", "api_tokens")
    op.drop_table("api_tokens")
