"""The reminder ledger: a reminder is claimed under its unique key before it is sent, and marked
sent only after the mail server accepted it. Dedupe lives here, not in the scheduler.

Row states: claimed (a process is sending it) -> sent | failed (transient, retried later) |
bounced (permanent, never retried); a failed mail-at-once whose item a regular reminder then
covers becomes superseded, and so does a reminder (new, or failed) that a newer step of the same
item, sent or claimed for the same person, has overtaken (claimable.py): never sent. A claim is
its process's while that process's instance lease lives (leases.py, renewed from a thread while
it delivers); once the lease has lapsed, on whatever machine the process ran, any process
releases the claim for a retry.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    and_,
    func,
    literal,
    or_,
    select,
    update,
)

from notifier.core.reminders import IMMEDIATE, Reminder
from notifier.store import claimable, leases
from notifier.store.engine import dialect_insert
from notifier.store.schema import reminder_ledger

if TYPE_CHECKING:
    from notifier.store.engine import Store

logger = logging.getLogger(__name__)

process_identity = leases.process_identity  # who claims: host, pid and a random part
CLAIM_CHUNK = claimable.CHUNK  # rows per statement


@contextmanager
def holding(store: Store, me: str, seconds: float = leases.DEFAULT_SECONDS) -> Iterator[None]:
    """Keep `me`'s instance lease alive while it claims and sends (see leases.instance_alive)."""
    with leases.instance_alive(store, me, seconds, "delivering reminders"):
        yield


def claim(store: Store, reminders: list[Reminder], now: datetime, me: str) -> list[Reminder]:
    """Claim what nobody else holds or has sent, unless a newer step of the same item has
    reached the same person (claimable.py); returns the reminders this process now owns.

    A few statements per digest, whatever its size: a lock per recipient (PostgreSQL); which
    keys the ledger has already, and the newest step per item and person; one multi-row insert
    of the new ones, claimed or (superseded by a newer step) recorded as superseded, a key
    another process inserted meanwhile being skipped by the unique constraint; one update that
    takes back failed ones whose retry time has come (and one that supersedes failed ones a
    newer step has overtaken). The insert and the update return the keys they got."""
    t = reminder_ledger
    unique = list({r.key: r for r in reminders}.values())
    owned: set[str] = set()
    overtaken = 0
    with store.engine.begin() as connection:
        claimable.serialise_recipients(connection, unique)
        insert = dialect_insert(connection)
        for start in range(0, len(unique), CLAIM_CHUNK):
            decision = claimable.decide(connection, unique[start : start + CLAIM_CHUNK], now)
            rows = [_row(r, "claimed", me, now) for r in decision.new] + [
                _row(r, "superseded", me, now, _overtaken(newer))
                for r, newer in decision.new_superseded
            ]
            if rows:
                new = insert(t).values(rows).on_conflict_do_nothing(index_elements=["key"])
                got = connection.execute(new.returning(t.c.key, t.c.status)).all()
                owned.update(key for key, status in got if status == "claimed")
            if decision.retry:
                retry = (
                    update(t)
                    .where(
                        t.c.key.in_(decision.retry),
                        t.c.status == "failed",
                        or_(t.c.next_attempt_at.is_(None), t.c.next_attempt_at <= now),
                    )
                    .values(status="claimed", claimed_by=me, claimed_at=now)
                    .returning(t.c.key)
                )
                owned.update(connection.execute(retry).scalars())
            if decision.failed_superseded:
                connection.execute(
                    update(t)
                    .where(t.c.key.in_(decision.failed_superseded), t.c.status == "failed")
                    .values(status="superseded", next_attempt_at=None)
                )
            overtaken += len(decision.new_superseded) + len(decision.failed_superseded)
    if overtaken:
        logger.info(
            "not sending %d reminder(s) to %s: a newer step of the same item has already been "
            "sent or is being sent to them (recorded as superseded)",
            overtaken,
            ", ".join(sorted({r.recipient.address for r in unique})),
        )
    return [r for r in unique if r.key in owned]


def _row(
    reminder: Reminder, status: str, me: str, now: datetime, note: str | None = None
) -> dict[str, object]:
    return {
        "key": reminder.key,
        "item_id": reminder.item.id,
        "recipient": reminder.recipient.address,
        "channel": reminder.recipient.channel,
        "step": _step(reminder),
        "due": claimable.due_of(reminder),
        "scheduled_for": reminder.scheduled_for,
        "status": status,
        "claimed_by": me,
        "claimed_at": now,
        "attempts": 0,
        "last_error": note,
    }


def _overtaken(newer: datetime) -> str:
    return (
        "not sent: a newer step of this item, scheduled for "
        f"{newer.isoformat(timespec='minutes')}, had been sent or claimed for this recipient"
    )


def mark_sent(
    store: Store, reminders: list[Reminder], message_id: str, now: datetime, me: str
) -> None:
    with store.engine.begin() as connection:
        marked = connection.execute(
            update(reminder_ledger)
            .where(
                reminder_ledger.c.key.in_([r.key for r in reminders]),
                reminder_ledger.c.claimed_by == me,
            )
            .values(
                status="sent",
                sent_at=now,
                message_id=message_id,
                attempts=reminder_ledger.c.attempts + 1,
                last_error=None,
            )
        ).rowcount
    if marked != len(reminders):
        logger.error(
            "%s sent %s, but %d of its %d claims had been taken over after its lease lapsed: "
            "those reminders may go out twice",
            me,
            message_id,
            len(reminders) - marked,
            len(reminders),
        )


def still_held(store: Store, reminders: list[Reminder], me: str) -> bool:
    """Whether `me` still holds every one of these claims and its lease has not lapsed: asked
    just before sending, so that a process that lost its lease (hung, cut off from the
    database) leaves the send to whoever took the claims over."""
    keys = [r.key for r in reminders]
    with store.engine.connect() as connection:
        held = connection.scalar(
            select(func.count())
            .select_from(reminder_ledger)
            .where(
                reminder_ledger.c.key.in_(keys),
                reminder_ledger.c.claimed_by == me,
                reminder_ledger.c.status == "claimed",
                leases.holder_alive(connection, literal(me)),
            )
        )
    return held == len(set(keys))


def mark_failed(
    store: Store,
    reminders: list[Reminder],
    error: str,
    *,
    permanent: bool,
    retry_at: datetime | None,
    me: str,
) -> None:
    with store.engine.begin() as connection:
        connection.execute(
            update(reminder_ledger)
            .where(
                reminder_ledger.c.key.in_([r.key for r in reminders]),
                reminder_ledger.c.claimed_by == me,
            )
            .values(
                status="bounced" if permanent else "failed",
                last_error=error[:2000],
                next_attempt_at=None if permanent else retry_at,
                attempts=reminder_ledger.c.attempts + 1,
            )
        )


def mark_error(store: Store, reminders: list[Reminder], error: str, me: str) -> None:
    """Set aside claims whose digest hit a defect in this program: not retried by this process
    (the defect would recur), but once by the next process to start (after a fix)."""
    with store.engine.begin() as connection:
        connection.execute(
            update(reminder_ledger)
            .where(
                reminder_ledger.c.key.in_([r.key for r in reminders]),
                reminder_ledger.c.claimed_by == me,
            )
            .values(status="error", last_error=error[:2000], next_attempt_at=None)
        )


def release_errors(store: Store, now: datetime) -> int:
    """At start-up: claims set aside by a defect become retryable once more."""
    with store.engine.begin() as connection:
        return connection.execute(
            update(reminder_ledger)
            .where(reminder_ledger.c.status == "error")
            .values(status="failed", next_attempt_at=now)
        ).rowcount


def release_abandoned(store: Store, now: datetime, me: str) -> int:
    """Claims whose process's instance lease has lapsed (it died, hung or lost the database,
    on this machine or another) become retryable at once. Returns how many were released."""
    t = reminder_ledger
    with store.engine.begin() as connection:
        return connection.execute(
            update(t)
            .where(
                t.c.status == "claimed",
                t.c.claimed_by != me,
                ~leases.holder_alive(connection, t.c.claimed_by),
            )
            .values(
                status="failed",
                next_attempt_at=now,
                last_error=literal("claim abandoned by ")
                + t.c.claimed_by
                + literal(": its instance lease had lapsed"),
            )
        ).rowcount


@dataclass(frozen=True)
class LedgerSummary:
    counts: dict[str, int]
    bounced: list[tuple[str, str, str]]  # (key, recipient, error)
    last_sent_at: datetime | None
    by_channel: dict[str, dict[str, int]] = field(default_factory=dict)  # channel -> status -> n


def summary(store: Store) -> LedgerSummary:
    with store.engine.connect() as connection:
        # Rows unpack as tuples; Result.tuples() is deprecated since SQLAlchemy 2.1.
        # Rows unpack as pairs, but a CursorResult is no mapping source for dict().
        counts: dict[str, int] = {  # noqa: C416
            status: count
            for status, count in connection.execute(
                select(reminder_ledger.c.status, func.count()).group_by(reminder_ledger.c.status)
            )
        }
        bounced = [
            (key, recipient, error)
            for key, recipient, error in connection.execute(
                select(
                    reminder_ledger.c.key, reminder_ledger.c.recipient, reminder_ledger.c.last_error
                )
                .where(reminder_ledger.c.status == "bounced")
                .order_by(reminder_ledger.c.id)
            )
        ]
        last = connection.scalar(select(func.max(reminder_ledger.c.sent_at)))
        by_channel: dict[str, dict[str, int]] = {}
        t = reminder_ledger
        for channel, status, count in connection.execute(
            select(t.c.channel, t.c.status, func.count()).group_by(t.c.channel, t.c.status)
        ):
            by_channel.setdefault(channel, {})[status] = count
    return LedgerSummary(
        counts,
        [(k, r, e or "") for k, r, e in bounced],
        datetime.fromisoformat(last) if isinstance(last, str) else last,
        by_channel,
    )


@dataclass(frozen=True)
class FailedImmediate:
    """A mail-at-once that failed and whose retry time has come."""

    key: str
    item_id: str
    recipient: str
    occasion: str


def _step(reminder: Reminder) -> str:
    """The stored form of a step: an immediate mail's occasion rides in its step column."""
    if reminder.occasion is None:
        return reminder.step
    return f"{IMMEDIATE}:{reminder.occasion}"


def failed_immediate(store: Store, now: datetime) -> list[FailedImmediate]:
    """Failed mail-at-once rows whose retry time has come, oldest first."""
    t = reminder_ledger
    query = (
        select(t.c.key, t.c.item_id, t.c.recipient, t.c.step)
        .where(
            t.c.status == "failed",
            t.c.step.startswith(f"{IMMEDIATE}:"),
            or_(t.c.next_attempt_at.is_(None), t.c.next_attempt_at <= now),
        )
        .order_by(t.c.id)
    )
    with store.engine.connect() as connection:
        return [
            FailedImmediate(key, item_id, recipient, step.partition(":")[2])
            for key, item_id, recipient, step in connection.execute(query)
        ]


def mark_superseded(store: Store, keys: list[str], me: str) -> None:
    """Failed mails-at-once whose item a regular reminder now covers, or that no longer apply."""
    with store.engine.begin() as connection:
        connection.execute(
            update(reminder_ledger)
            .where(reminder_ledger.c.key.in_(keys), reminder_ledger.c.status == "failed")
            .values(status="superseded", last_error=f"superseded (noted by {me})")
        )


def settled_keys(store: Store, keys: list[str]) -> set[str]:
    """Keys already sent, bounced, superseded or being sent: never sent (again) from here on."""
    if not keys:
        return set()
    query = select(reminder_ledger.c.key).where(
        reminder_ledger.c.key.in_(keys),
        reminder_ledger.c.status.in_(["sent", "bounced", "claimed", "superseded"]),
    )
    with store.engine.connect() as connection:
        return set(connection.scalars(query))


def sent_count(store: Store, since_due: date | None = None) -> int:
    query = select(func.count()).where(reminder_ledger.c.status == "sent")
    if since_due is not None:
        query = query.where(and_(reminder_ledger.c.due >= since_due))
    with store.engine.connect() as connection:
        return int(connection.scalar(query) or 0)


def announced(store: Store, occasions: list[str]) -> set[str]:
    """The occasions (finding ids) whose at-once mail was sent, bounced or is being sent; a
    finding absent here (the process stopped first, or the send failed) is announced again."""
    if not occasions:
        return set()
    steps = {f"{IMMEDIATE}:{occasion}": occasion for occasion in occasions}
    query = select(reminder_ledger.c.step).where(
        reminder_ledger.c.step.in_(list(steps)),
        reminder_ledger.c.status.in_(["sent", "bounced", "claimed"]),
    )
    with store.engine.connect() as connection:
        return {steps[step] for step in connection.scalars(query)}


def next_attempt(store: Store, now: datetime) -> datetime | None:
    """When the first reminder set aside for a later retry (a reply about its message) may be
    sent again, if after `now`: the daemon dispatches then."""
    t = reminder_ledger
    query = select(func.min(t.c.next_attempt_at)).where(
        t.c.status == "failed", t.c.next_attempt_at > now
    )
    with store.engine.connect() as connection:
        found: datetime | None = connection.scalar(query)
    return found
