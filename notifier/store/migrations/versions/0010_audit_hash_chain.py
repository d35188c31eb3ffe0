"""A log nobody can rewrite unseen: the audit log's hash chain.

- `audit_log.prev_hash`, `audit_log.entry_hash`: each entry carries the SHA-256 of its content
  and of the entry before it (notifier.store.audit.entry_hash, the one definition of the chain).
- the history a store already holds is hashed once, in the order of ids, and the log says so in
  an entry of its own (when there was history to hash). On PostgreSQL the append-only trigger
  is set aside for this one UPDATE, inside the upgrade's transaction, and set back.
- schema_version 10.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import context, op

from notifier.store.audit import GENESIS, entry_hash, stored_instant
from notifier.store.migrations import forget_version, note_version

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_AUDIT = sa.table(
    "audit_log",
    sa.column("id", sa.Integer),
    sa.column("at", sa.String),
    sa.column("actor", sa.String),
    sa.column("action", sa.String),
    sa.column("subject", sa.String),
    sa.column("detail", sa.Text),
    sa.column("prev_hash", sa.String),
    sa.column("entry_hash", sa.String),
)


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("prev_hash", sa.String(64), nullable=True))
    op.add_column("audit_log", sa.Column("entry_hash", sa.String(64), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            _AUDIT.c.id,
            _AUDIT.c.at,
            _AUDIT.c.actor,
            _AUDIT.c.action,
            _AUDIT.c.subject,
            _AUDIT.c.detail,
        ).order_by(_AUDIT.c.id)
    ).all()
    previous = GENESIS
    triggers = _set_aside_triggers(bind) if rows else []
    for entry_id, at, actor, action, subject, detail in rows:
        digest = entry_hash(previous, at, actor, action, subject, detail)
        bind.execute(
            _AUDIT.update()
            .where(_AUDIT.c.id == entry_id)
            .values(prev_hash=previous, entry_hash=digest)
        )
        previous = digest
    if rows:
        _restore_triggers(bind, triggers)
        now = context.config.attributes["now"]
        assert isinstance(now, datetime), "notifier.store.migrate passes the upgrade's instant"
        at, actor, action = stored_instant(now), "notifier db upgrade", "audit-chain"
        detail = f"hash chain begun: the {len(rows)} earlier entries hashed once, in order"
        bind.execute(
            _AUDIT.insert().values(
                at=at,
                actor=actor,
                action=action,
                subject="audit_log",
                detail=detail,
                prev_hash=previous,
                entry_hash=entry_hash(previous, at, actor, action, "audit_log", detail),
            )
        )
    note_version(10, "the audit log's hash chain (prev_hash, entry_hash)")


def _set_aside_triggers(bind: sa.Connection) -> list[str]:
    """Let this one UPDATE past the append-only triggers (whatever their names), inside the
    upgrade's transaction: PostgreSQL disables them; SQLite has no such switch, so each is
    dropped and its own CREATE statement kept to put it back."""
    if bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE audit_log DISABLE TRIGGER USER")
        return []
    found = bind.execute(
        sa.text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'"
        )
    ).all()
    for name, _sql in found:
        op.execute(f'DROP TRIGGER "{name}"')
    return [sql for _name, sql in found]


def _restore_triggers(bind: sa.Connection, saved: list[str]) -> None:
    if bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE audit_log ENABLE TRIGGER USER")
    for sql in saved:
        op.execute(sql)


def downgrade() -> None:
    forget_version(10)
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("entry_hash")
        batch.drop_column("prev_hash")
