"""Web sign-in links, sessions and the cookie key; done marks gain an evidence URL and the id
of the mark they correct (the hand-written runner's version 6).

That runner's version 1 created done_marks from the schema of its day, so a store it made
after version 6 existed has the two columns already: only what is missing is added, with the
very statements it used.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from notifier.store.migrations import forget_version, note_version

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_links",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("person", sa.String(100), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("expires_at", sa.String(32), nullable=False),
        sa.Column("used_at", sa.String(32), nullable=True),
    )
    op.create_table(
        "web_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("person", sa.String(100), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("expires_at", sa.String(32), nullable=False),
        sa.Column("ended_at", sa.String(32), nullable=True),
    )
    op.create_index("ix_web_sessions_person", "web_sessions", ["person"])
    op.create_table(
        "web_keys",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", sa.String(100), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    present = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("done_marks")}
    if "evidence_url" not in present:
        op.execute("ALTER TABLE done_marks ADD COLUMN evidence_url TEXT NOT NULL DEFAULT ''")
    if "corrects" not in present:
        op.execute("ALTER TABLE done_marks ADD COLUMN corrects INTEGER")
    note_version(6, "web sign-in and sessions; evidence and corrections of done marks")


def downgrade() -> None:
    forget_version(6)
    with op.batch_alter_table("done_marks") as table:
        table.drop_column("corrects")
        table.drop_column("evidence_url")
    op.drop_table("web_keys")
    op.drop_table("web_sessions")
    op.drop_table("sign_in_links")
