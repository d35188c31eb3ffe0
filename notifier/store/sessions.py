"""The web's sign-in links and sessions, and the key that signs its cookies.

A link or session token is 256 random bits; only its sha256 digest is stored, so a copy of the
store (a backup, a leaked file) signs nobody in. A link is used at most once: the first
redemption sets `used_at` under a condition, so two tabs racing with one link get one session.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import insert, select, update

from notifier.store.audit import append
from notifier.store.engine import Store, dialect_insert
from notifier.store.schema import sign_in_links, web_keys, web_sessions

TOKEN_BYTES = 32
COOKIE_KEY = "cookie-signing"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_link(store: Store, person: str, now: datetime, lifetime: timedelta) -> str:
    """A new single-use sign-in token for `person`; the caller mails it and forgets it."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with store.engine.begin() as connection:
        connection.execute(
            insert(sign_in_links).values(
                token_hash=digest(token), person=person, created_at=now, expires_at=now + lifetime
            )
        )
    return token


def link_person(store: Store, token: str, now: datetime) -> str | None:
    """Whose link this is, if it is unused and unexpired (without using it)."""
    t = sign_in_links
    with store.engine.connect() as connection:
        person: str | None = connection.scalar(
            select(t.c.person).where(
                t.c.token_hash == digest(token), t.c.used_at.is_(None), t.c.expires_at > now
            )
        )
    return person


def redeem_link(
    store: Store, token: str, now: datetime, lifetime: timedelta
) -> tuple[str, str] | None:
    """Use the link once: (person, new session token), or None if it is unknown, used or
    expired. The sign-in is audited in the same transaction."""
    t = sign_in_links
    with store.engine.begin() as connection:
        person = connection.scalar(
            select(t.c.person).where(
                t.c.token_hash == digest(token), t.c.used_at.is_(None), t.c.expires_at > now
            )
        )
        if person is None:
            return None
        used = connection.execute(
            update(t)
            .where(t.c.token_hash == digest(token), t.c.used_at.is_(None))
            .values(used_at=now)
        ).rowcount
        if used != 1:
            return None
        session = secrets.token_urlsafe(TOKEN_BYTES)
        connection.execute(
            insert(web_sessions).values(
                token_hash=digest(session), person=person, created_at=now, expires_at=now + lifetime
            )
        )
        append(connection, at=now, actor=f"web:{person}", action="sign-in", subject=person)
    return person, session


def session_person(store: Store, session: str, now: datetime) -> str | None:
    """The person a live session belongs to, or None (unknown, expired or signed out)."""
    t = web_sessions
    with store.engine.connect() as connection:
        person: str | None = connection.scalar(
            select(t.c.person).where(
                t.c.token_hash == digest(session), t.c.ended_at.is_(None), t.c.expires_at > now
            )
        )
    return person


def end_session(store: Store, session: str, now: datetime) -> None:
    """Sign out: the session stops working at once, wherever its cookie is."""
    t = web_sessions
    with store.engine.begin() as connection:
        person = connection.scalar(
            select(t.c.person).where(t.c.token_hash == digest(session), t.c.ended_at.is_(None))
        )
        if person is None:
            return
        connection.execute(update(t).where(t.c.token_hash == digest(session)).values(ended_at=now))
        append(connection, at=now, actor=f"web:{person}", action="sign-out", subject=person)


def cookie_key(store: Store, now: datetime) -> str:
    """The key that signs the web's cookies, made once and kept in the store, so that a restart
    or a second process (`notifier serve` beside `notifier run`) keeps everyone signed in."""
    query = select(web_keys.c.value).where(web_keys.c.name == COOKIE_KEY)
    with store.engine.begin() as connection:
        value: str | None = connection.scalar(query)
        if value is not None:
            return value
        # Two processes starting at once on a new store: the first key written is everyone's.
        connection.execute(
            dialect_insert(connection)(web_keys)
            .values(name=COOKIE_KEY, value=secrets.token_urlsafe(TOKEN_BYTES), created_at=now)
            .on_conflict_do_nothing(index_elements=["name"])
        )
        kept: str = connection.execute(query).scalar_one()
    return kept


def open_session(store: Store, person: str, now: datetime, lifetime: timedelta, how: str) -> str:
    """A new session for `person`, signed in by `how` (e.g. the OpenID provider's issuer);
    the sign-in is audited in the same transaction."""
    session = secrets.token_urlsafe(TOKEN_BYTES)
    with store.engine.begin() as connection:
        connection.execute(
            insert(web_sessions).values(
                token_hash=digest(session), person=person, created_at=now, expires_at=now + lifetime
            )
        )
        append(
            connection, at=now, actor=f"web:{person}", action="sign-in", subject=person, detail=how
        )
    return session
