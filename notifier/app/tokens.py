"""Personal API tokens: make one (shown once), list them, revoke one, and who a presented token
is. One home for `notifier token`, the /tokens page and the API's gate."""

from __future__ import annotations

from datetime import datetime, timedelta

from notifier.context import Context
from notifier.errors import InputError, Problem
from notifier.store import tokens as kept
from notifier.store.audit_pages import AuditPage, audit_page
from notifier.store.tokens import SCOPES, TokenRecord

__all__ = ["SCOPES", "TokenRecord", "audit_paged", "create", "listed", "presented", "revoke"]
MAX_DAYS = 366
NAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ._-")


def create(
    context: Context,
    *,
    person: str,
    name: str,
    scope: str,
    days: int | None,
    actor: str,
    now: datetime,
) -> tuple[TokenRecord, str]:
    """A new token for `person` (the record, and the token to show once); InputError naming
    the fields `person`, `name`, `scope`, `days`."""
    people = {p.id for p in context.register.people}
    problems = []
    if person not in people:
        known = ", ".join(sorted(people))
        problems.append(Problem("person", f"no person '{person}' in the register ({known})"))
    if not (1 <= len(name) <= 60 and set(name) <= NAME_CHARS and name.strip() == name):
        problems.append(
            Problem("name", "give 1-60 letters, digits, spaces, '.', '_' or '-', e.g. ci")
        )
    if scope not in SCOPES:
        problems.append(Problem("scope", f"'{scope}' is not one of {', '.join(SCOPES)}"))
    lifetime = days if days is not None else context.settings.api.token_days
    if not 1 <= lifetime <= MAX_DAYS:
        problems.append(Problem("days", f"{lifetime} is not between 1 and {MAX_DAYS}"))
    if problems:
        raise InputError(problems)
    return kept.create_token(
        context.store,
        person=person,
        name=name,
        scope=scope,
        expires_at=now + timedelta(days=lifetime),
        actor=actor,
        now=now,
    )


def listed(context: Context, person: str | None = None) -> list[TokenRecord]:
    return kept.tokens(context.store, person)


def revoke(
    context: Context, token_id: int, *, actor: str, now: datetime, person: str | None = None
) -> None:
    """Revoke a live token (only `person`'s, if given); InputError (field `token`) otherwise."""
    mine = {t.id for t in kept.tokens(context.store, person) if t.live(now)}
    if token_id not in mine or not kept.revoke_token(context.store, token_id, actor=actor, now=now):
        raise InputError([Problem("token", f"no live token {token_id} to revoke")])


def presented(context: Context, token: str, now: datetime) -> TokenRecord | None:
    """The live token presented, or None (unknown, expired, revoked)."""
    return kept.token_of(context.store, token, now)


def audit_paged(context: Context, *, page: int, per_page: int) -> AuditPage:
    """One page of the audit log, newest first, the number of entries and the chain's head."""
    return audit_page(context.store, offset=(page - 1) * per_page, limit=per_page)
