"""Which reminders a claim may take: exactly once by key, and exactly once in time.

By key: a reminder nobody has recorded yet, or one whose send failed and whose retry time has
come. In time: whatever the clock says, a person never gets, for one item, a step that is not
newer than the newest step already sent to them (or being sent: claimed) for it. A reminder
whose step is scheduled at or before that one is superseded, never sent: a run with an earlier
`--as-of` or `--clock-start` than one before it, or the next dispatch after the item was mailed
at once (a mail at once counts as a step sent at its instant).

"For one item" means the item's id and due date: a changed due date (an edited register) starts
the item's steps afresh, since the person has not yet been told that date. Addresses compare
case-insensitively, as reminder keys do. A mail at once is news (an event, a finding) and keyed
by its occasion: it supersedes older steps but is never superseded itself.

The decision is taken inside the claiming transaction, after `serialise_recipients`: on SQLite
the transaction holds the write lock from its start; on PostgreSQL a transaction-scoped lock per
recipient makes two processes claiming steps of one person's items take turns, so neither can
miss the other's claim.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Connection, case, func, literal, select

from notifier.core.reminders import Reminder
from notifier.store.engine import Store, serialise
from notifier.store.schema import reminder_ledger

CHUNK = 500  # reminders per statement: well under SQLite's limit of bound parameters
# The statuses of a step that has reached the person or is on its way to them.
REACHING = ("sent", "claimed")
# The statuses of a reminder that needs nothing more: delivered, refused for good, overtaken by
# a newer step, or on its way (a claim).
SETTLED = ("sent", "bounced", "superseded", "claimed")

Newest = dict[tuple[str, date, str], datetime]  # (item id, due, address lowered) -> scheduled


@dataclass
class Decision:
    """What one claim does with a batch of reminders."""

    new: list[Reminder] = field(default_factory=list)  # recorded and claimed
    retry: list[str] = field(default_factory=list)  # failed keys whose retry time has come
    # Superseded by a newer step, with its time: recorded as such (new ones) or turned so
    # (failed ones); either way not sent.
    new_superseded: list[tuple[Reminder, datetime]] = field(default_factory=list)
    failed_superseded: list[str] = field(default_factory=list)
    settled: list[str] = field(default_factory=list)  # keys in a SETTLED status: nothing to do

    def taken(self) -> set[str]:
        """The keys the claim takes."""
        return {r.key for r in self.new} | set(self.retry)

    def outstanding(self, reminders: Sequence[Reminder]) -> list[Reminder]:
        """Those not delivered, not on their way and not overtaken by a newer step: new ones,
        failed ones whatever their retry time, and ones set aside by a defect."""
        done = {r.key for r, _ in self.new_superseded}
        done.update(self.failed_superseded, self.settled)
        return [r for r in reminders if r.key not in done]


def due_of(reminder: Reminder) -> date:
    """The due date a ledger row keeps for a reminder (a standing item: its day)."""
    return reminder.item.due or reminder.scheduled_for.date()


def serialise_recipients(connection: Connection, reminders: Sequence[Reminder]) -> None:
    """Let one claiming transaction at a time past this point for each recipient (sorted, so
    that two claims of several recipients cannot wait for each other)."""
    for address in sorted({r.recipient.address.lower() for r in reminders}):
        serialise(connection, f"ledger.recipient.{address}")


def newest_steps(connection: Connection, reminders: Sequence[Reminder]) -> Newest:
    """The latest scheduled step sent or claimed per item, due date and address, over the items
    and addresses of these reminders. One query; the status is tested inside the aggregate, so
    that no engine walks the status index over every sent row. Addresses are matched with the
    database's lower() on both sides, then folded as reminder keys fold them.

    The ledger's index on item_id (revision 0008) keeps this to the digest's items' rows:
    without it, 300 digests over 200,000 rows took about 12 s more on SQLite."""
    items = sorted({r.item.id for r in reminders if r.occasion is None})
    if not items:
        return {}
    t = reminder_ledger
    addresses = [func.lower(literal(a)) for a in sorted({r.recipient.address for r in reminders})]
    reaching = case((t.c.status.in_(REACHING), t.c.scheduled_for))
    query = (
        select(t.c.item_id, t.c.due, t.c.recipient, func.max(reaching))
        .where(t.c.item_id.in_(items), func.lower(t.c.recipient).in_(addresses))
        .group_by(t.c.item_id, t.c.due, t.c.recipient)
    )
    newest: Newest = {}
    for item_id, due, recipient, scheduled in connection.execute(query):
        key = (item_id, due, recipient.lower())
        if scheduled is not None and (key not in newest or scheduled > newest[key]):
            newest[key] = scheduled
    return newest


def superseded_by(reminder: Reminder, newest: Newest) -> datetime | None:
    """The time of the step that supersedes `reminder`, if one does (see the module's text)."""
    if reminder.occasion is not None:
        return None
    found = newest.get((reminder.item.id, due_of(reminder), reminder.recipient.address.lower()))
    return found if found is not None and reminder.scheduled_for <= found else None


def decide(connection: Connection, reminders: Sequence[Reminder], now: datetime) -> Decision:
    """The claim's decision for these reminders (distinct keys), read in its transaction."""
    t = reminder_ledger
    keys = [r.key for r in reminders]
    known = {
        key: (status, retry_at)
        for key, status, retry_at in connection.execute(
            select(t.c.key, t.c.status, t.c.next_attempt_at).where(t.c.key.in_(keys))
        )
    }
    # Only what could be claimed needs the newest steps: a key sent or held is left alone.
    open_ = [r for r in reminders if known.get(r.key, ("failed", None))[0] == "failed"]
    newest = newest_steps(connection, open_)
    decision = Decision()
    for reminder in reminders:
        newer = superseded_by(reminder, newest)
        if reminder.key not in known:
            if newer is None:
                decision.new.append(reminder)
            else:
                decision.new_superseded.append((reminder, newer))
            continue
        status, retry_at = known[reminder.key]
        if status in SETTLED:
            decision.settled.append(reminder.key)
        if status != "failed":
            continue  # sent, bounced, superseded, set aside, or someone else's claim
        if newer is not None:
            decision.failed_superseded.append(reminder.key)
        elif retry_at is None or retry_at <= now:
            decision.retry.append(reminder.key)
    return decision


@dataclass
class Survey:
    """What a claim at `now` would do with some reminders, read without recording anything."""

    pending: list[Reminder]  # what it would take: what a dry run shows
    outstanding: list[Reminder]  # what has not reached its person: what health counts unsent


def survey(store: Store, reminders: list[Reminder], now: datetime) -> Survey:
    unique = list({r.key: r for r in reminders}.values())
    found = Survey([], [])
    with store.engine.connect() as connection:
        for start in range(0, len(unique), CHUNK):
            chunk = unique[start : start + CHUNK]
            decision = decide(connection, chunk, now)
            taken = decision.taken()
            found.pending += [r for r in chunk if r.key in taken]
            found.outstanding += decision.outstanding(chunk)
    return found


def pending(store: Store, reminders: list[Reminder], now: datetime) -> list[Reminder]:
    """The reminders a claim at `now` would take (nothing is recorded): what a dry run shows."""
    return survey(store, reminders, now).pending
