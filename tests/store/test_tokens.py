"""API tokens on both engines: only the digest is kept; live until revoked or expired;
revoking twice fails; creating and revoking are audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from notifier.store.audit import entries
from notifier.store.schema import api_tokens
from notifier.store.tokens import create_token, revoke_token, token_of, tokens
from tests.support.stores import StoreAt

NOW = datetime(2026, 11, 24, 9, tzinfo=UTC)


def test_a_token_lives_until_revoked_or_expired_and_only_its_digest_is_kept(
    store_at: StoreAt,
) -> None:
    store = store_at(NOW)
    record, token = create_token(
        store,
        person="legal",
        name="ci",
        scope="write",
        expires_at=NOW + timedelta(days=1),
        actor="test",
        now=NOW,
    )
    with store.engine.connect() as connection:
        kept = connection.execute(select(api_tokens.c.token_hash)).scalars().all()
    assert token not in kept
    assert len(kept) == 1
    assert len(kept[0]) == 64  # a sha256 hex digest
    found = token_of(store, token, NOW)
    assert found is not None
    assert (found.person, found.scope, found.name) == ("legal", "write", "ci")
    assert token_of(store, token, NOW + timedelta(days=1)) is None  # expired
    assert token_of(store, token + "x", NOW) is None
    assert revoke_token(store, record.id, actor="test", now=NOW)
    assert not revoke_token(store, record.id, actor="test", now=NOW)
    assert token_of(store, token, NOW) is None
    assert [t.revoked_at is not None for t in tokens(store)] == [True]
    assert [e.action for e in entries(store)] == ["token-create", "token-revoke"]
