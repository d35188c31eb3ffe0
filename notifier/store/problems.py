"""What is wrong, kept in the store until it is over: read by /healthz on every instance and by
`notifier status`, written by whoever finds it (a dispatch, a feed build, a reload).

A problem is one row per kind and scope: the scope is "" for what concerns the service (the
last dispatch failed, the mail server is unreachable, reminders are left unsent, a model or
event is unusable, the feeds could not be built) and an instance's id for what only that
instance sees (its register reload was rejected). Reporting it again keeps `since`, when it
began; clearing it removes the row.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import delete, select, update
from sqlalchemy.exc import InterfaceError, OperationalError

from notifier.errors import NotifierError
from notifier.store.engine import Store, dialect_insert, store_reason
from notifier.store.schema import health_problems

Kind = Literal["dispatch", "mail", "channel", "unsent", "unusable", "feeds", "reload"]
KINDS: tuple[Kind, ...] = ("dispatch", "mail", "channel", "unsent", "unusable", "feeds", "reload")
CHANNEL_SCOPE = "channel:"  # a `channel` problem's scope: "channel:NAME" (issue 18), no instance


def channel_scope(name: str) -> str:
    return CHANNEL_SCOPE + name


@dataclass(frozen=True)
class HealthProblem:
    kind: str
    since: datetime
    detail: str
    scope: str = ""

    def as_json(self) -> dict[str, str]:
        found = {"kind": self.kind, "since": self.since.isoformat(), "detail": self.detail}
        if self.channel is not None:
            found["channel"] = self.channel
        elif self.scope:
            found["instance"] = self.scope
        return found

    @property
    def channel(self) -> str | None:
        """The channel a `channel` problem concerns (its name, never its URL)."""
        return (
            self.scope.removeprefix(CHANNEL_SCOPE) if self.scope.startswith(CHANNEL_SCOPE) else None
        )

    def __str__(self) -> str:
        where = f" (instance {self.scope})" if self.scope and self.channel is None else ""
        return f"{self.kind}{where} since {self.since.isoformat(timespec='seconds')}: {self.detail}"


def report(
    store: Store,
    kind: Kind,
    detail: str,
    now: datetime,
    by: str,
    *,
    scope: str = "",
    since: datetime | None = None,
) -> None:
    """Record the problem, or refresh its detail if it is already recorded: `since` stays when
    it began, unless given (e.g. the instant of the oldest reminder left unsent)."""
    t = health_problems
    values: dict[str, object] = {"detail": detail, "reported_at": now, "reported_by": by}
    if since is not None:
        values["since"] = since
    with store.engine.begin() as connection:
        changed = connection.execute(
            update(t).where(t.c.kind == kind, t.c.scope == scope).values(**values)
        ).rowcount
        if not changed:
            connection.execute(
                dialect_insert(connection)(t)
                .values(
                    kind=kind,
                    scope=scope,
                    since=since or now,
                    detail=detail,
                    reported_at=now,
                    reported_by=by,
                )
                .on_conflict_do_nothing(index_elements=["kind", "scope"])
            )


def clear(store: Store, kind: Kind, *, scope: str = "") -> None:
    """The problem is over."""
    t = health_problems
    with store.engine.begin() as connection:
        connection.execute(delete(t).where(t.c.kind == kind, t.c.scope == scope))


PROBE = "store-probe"  # the kind of the row `write_problem` writes and takes back at once


def write_problem(store: Store, by: str, now: datetime) -> str | None:
    """Why the store cannot take a write now, or None if it can: a row written and deleted in
    one committed transaction (a rolled-back one may never reach the disk, so it would not find
    a full one). It leaves nothing behind. Used by `notifier status`, which cannot read the
    daemon's own memory: a problem about not being able to write cannot be kept in the store."""
    t = health_problems
    try:
        with store.engine.begin() as connection:
            connection.execute(
                dialect_insert(connection)(t)
                .values(kind=PROBE, scope=by, since=now, detail="", reported_at=now, reported_by=by)
                .on_conflict_do_nothing(index_elements=["kind", "scope"])
            )
            connection.execute(delete(t).where(t.c.kind == PROBE, t.c.scope == by))
    except Exception as error:
        return store_reason(error)
    return None


def explained(error: BaseException) -> str | None:
    """One line for a failure health reports and the next attempt retries (the store cannot be
    reached or written, a file or the network failed, one of our own errors); None for anything
    else, a defect whose traceback belongs in the log."""
    if isinstance(error, OperationalError | InterfaceError | OSError | NotifierError):
        return store_reason(error)
    return None


def recorded(store: Store, live: Collection[str] | None = None) -> list[HealthProblem]:
    """The problems recorded, oldest first. With `live` (the ids of running instances), an
    instance's own problem counts only while that instance runs."""
    t = health_problems
    query = select(t.c.kind, t.c.scope, t.c.since, t.c.detail).order_by(t.c.since, t.c.kind)
    with store.engine.connect() as connection:
        rows = connection.execute(query).all()
    return [
        HealthProblem(kind, since, detail, scope)
        for kind, scope, since, detail in rows
        if kind != PROBE
        if not scope or scope.startswith(CHANNEL_SCOPE) or live is None or scope in live
    ]
