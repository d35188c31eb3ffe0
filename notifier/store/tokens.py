"""Personal API tokens: made once and shown once; the store keeps the sha256 digest, a name,
the person, the scope (read or write) and the expiry. Creating and revoking are audited."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update

from notifier.store.audit import append
from notifier.store.engine import Store
from notifier.store.schema import api_tokens
from notifier.store.sessions import digest

PREFIX = "ntf_"  # recognisable in a leaked log or by a secret scanner
SCOPES = ("read", "write")


@dataclass(frozen=True)
class TokenRecord:
    id: int
    name: str
    person: str
    scope: str
    created_at: datetime
    created_by: str
    expires_at: datetime
    revoked_at: datetime | None

    def live(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now


def create_token(
    store: Store,
    *,
    person: str,
    name: str,
    scope: str,
    expires_at: datetime,
    actor: str,
    now: datetime,
) -> tuple[TokenRecord, str]:
    """A new token (the record, and the token itself: the caller shows it once)."""
    token = PREFIX + secrets.token_urlsafe(32)
    values = {
        "token_hash": digest(token),
        "name": name,
        "person": person,
        "scope": scope,
        "created_at": now,
        "created_by": actor,
        "expires_at": expires_at,
    }
    with store.engine.begin() as connection:
        made = connection.execute(insert(api_tokens).values(**values))
        token_id = int(made.inserted_primary_key[0])  # type: ignore[index]
        append(
            connection,
            at=now,
            actor=actor,
            action="token-create",
            subject=f"token:{token_id}",
            detail=f"{name} for {person}, {scope}, until {expires_at.isoformat()}",
        )
    record = TokenRecord(token_id, name, person, scope, now, actor, expires_at, None)
    return record, token


def _record(row: object) -> TokenRecord:
    m = row._mapping  # type: ignore[attr-defined]
    return TokenRecord(
        m["id"],
        m["name"],
        m["person"],
        m["scope"],
        m["created_at"],
        m["created_by"],
        m["expires_at"],
        m["revoked_at"],
    )


_COLUMNS = (
    api_tokens.c.id,
    api_tokens.c.name,
    api_tokens.c.person,
    api_tokens.c.scope,
    api_tokens.c.created_at,
    api_tokens.c.created_by,
    api_tokens.c.expires_at,
    api_tokens.c.revoked_at,
)


def tokens(store: Store, person: str | None = None) -> list[TokenRecord]:
    """Every token (revoked and expired too), or one person's; never the token itself."""
    query = select(*_COLUMNS).order_by(api_tokens.c.id)
    if person is not None:
        query = query.where(api_tokens.c.person == person)
    with store.engine.connect() as connection:
        return [_record(row) for row in connection.execute(query)]


def token_of(store: Store, token: str, now: datetime) -> TokenRecord | None:
    """The live token presented (unrevoked, unexpired), or None."""
    query = select(*_COLUMNS).where(api_tokens.c.token_hash == digest(token))
    with store.engine.connect() as connection:
        row = connection.execute(query).first()
    if row is None:
        return None
    record = _record(row)
    return record if record.live(now) else None


def revoke_token(store: Store, token_id: int, *, actor: str, now: datetime) -> bool:
    """Revoke a token at once; False if there is no such live token."""
    t = api_tokens
    with store.engine.begin() as connection:
        changed = connection.execute(
            update(t).where(t.c.id == token_id, t.c.revoked_at.is_(None)).values(revoked_at=now)
        ).rowcount
        if changed != 1:
            return False
        name = connection.scalar(select(t.c.name).where(t.c.id == token_id))
        append(
            connection,
            at=now,
            actor=actor,
            action="token-revoke",
            subject=f"token:{token_id}",
            detail=str(name),
        )
    return True
