"""Reminder policy: which reminders are due, for whom, at a given instant. Pure.

For each open item and recipient only the latest step whose time has come is relevant: after an
outage the catch-up sends that one step (in the recipient's digest) and skips the stale ones, so
nobody gets "90 days left" 60 days late. Whether a step was already sent is the ledger's business.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from notifier.core.days import local_instant, organisation_day
from notifier.core.items import Item, Timeline
from notifier.core.law.model import Kind
from notifier.core.register import Register

IMMEDIATE = "now"  # the step of a mail sent at once for an occasion (a new event, a finding)


@dataclass(frozen=True)
class ReminderPolicy:
    """Days before the due date at which each kind of item is reminded, and when."""

    offsets_days: dict[Kind, tuple[int, ...]] = field(
        default_factory=lambda: {
            "deadline": (90, 30, 14, 7, 1, 0),
            "review": (14, 3, 0),
            "milestone": (30, 0),
        }
    )
    overdue_every_days: int = 7  # deadlines and reviews, while not done; milestones never
    send_at: time = time(9, 0)


@dataclass(frozen=True)
class Recipient:
    """Who or where a reminder goes: a person's (or the compliance list's) e-mail address, or a
    channel of the settings (`channel` other than "email"), which everyone who chose it shares."""

    person_id: str
    name: str
    email: str  # "" for a channel
    channel: str = "email"

    @property
    def address(self) -> str:
        """The ledger's address: the e-mail address, or `#NAME` for a channel (no e-mail
        address starts with '#', so the two never meet)."""
        return self.email if self.channel == "email" else f"#{self.channel}"

    @classmethod
    def of_channel(cls, name: str) -> Recipient:
        return cls(f"channel:{name}", name, "", name)


@dataclass(frozen=True)
class Reminder:
    key: str  # stable: the ledger's unique key (see `of`)
    item: Item
    recipient: Recipient
    step: str  # e.g. "d-30", "d-0", "overdue-2", or IMMEDIATE
    scheduled_for: datetime
    days_left: int  # from the organisation's date at the dispatch; negative when overdue
    occasion: str | None = None  # IMMEDIATE: the event or finding the mail is sent for
    note: str | None = None  # a moved date (issue 23): what moved, from what to what, why

    @classmethod
    def of(
        cls,
        item: Item,
        recipient: Recipient,
        step: str,
        scheduled_for: datetime,
        days_left: int,
        occasion: str | None = None,
        note: str | None = None,
    ) -> Reminder:
        """A reminder under its key: item, due date, step (and occasion), recipient. Stores hold
        such keys, so their format never changes."""
        marker = step if occasion is None else f"{step}:{occasion}"
        due = item.due.isoformat() if item.due else "None"
        key = f"{item.id}|{due}|{marker}|{recipient.address.lower()}"
        return cls(key, item, recipient, step, scheduled_for, days_left, occasion, note)

    @property
    def model(self) -> str | None:
        return self.item.model


def days_left(item: Item, today: date) -> int:
    """Days from the organisation's `today` to the item's due date (0 for a standing item)."""
    return (item.due - today).days if item.due is not None else 0


def immediate(
    items: Sequence[Item],
    occasion: str,
    register: Register,
    now: datetime,
    compliance_list: Sequence[str] = (),
) -> list[Reminder]:
    """The mails to send at once for an occasion (a new event, a watcher finding): one per item
    and recipient, keyed by the occasion so that a rerun for it sends nothing new."""
    today = organisation_day(now, register.organisation.timezone)
    return [
        Reminder.of(item, recipient, IMMEDIATE, now, days_left(item, today), occasion)
        for item in items
        for recipient in recipients_of(item, register, compliance_list)
    ]


@dataclass(frozen=True)
class Digest:
    """Everything due for one address at one instant: one e-mail, or one channel message."""

    recipient: Recipient
    reminders: tuple[Reminder, ...]


def latest_step(
    item: Item, policy: ReminderPolicy, now: datetime, timezone: str
) -> tuple[str, datetime] | None:
    """The newest reminder step of `item` whose time is at or before `now`, if any."""
    if item.due is None or item.status == "done":
        return None
    steps = [
        (f"d-{days}", item.due - timedelta(days=days))
        for days in policy.offsets_days.get(item.kind, ())
    ]
    if item.kind != "milestone" and policy.overdue_every_days > 0:
        today = organisation_day(now, timezone)
        weeks = (today - item.due).days // policy.overdue_every_days
        # Before send_at on a weekly day, this week's step has not come: last week's is latest.
        for week in (weeks - 1, weeks):
            if week >= 1:
                steps.append(
                    (f"overdue-{week}", item.due + timedelta(days=week * policy.overdue_every_days))
                )
    best: tuple[str, datetime] | None = None
    for step, day in steps:
        instant = local_instant(day, policy.send_at, timezone)
        if instant <= now and (best is None or instant > best[1]):
            best = (step, instant)
    return best


def next_step(
    timeline: Timeline, policy: ReminderPolicy, now: datetime, timezone: str
) -> datetime | None:
    """The first instant after `now` at which a new reminder step of an open item comes: the
    daemon need not dispatch before it. Exact while the timeline is (as of the organisation's
    day at `now`, with the recorded facts): a caller recomputes at midnight and on a change."""
    today = organisation_day(now, timezone)
    every = policy.overdue_every_days
    soonest: date | None = None  # the earliest day, from today on, on which a step comes
    on_today = False  # a step comes today: whether its time has passed is decided below
    for item in _open_items(timeline):
        assert item.due is not None
        days = [item.due - timedelta(days=d) for d in policy.offsets_days.get(item.kind, ())]
        if item.kind != "milestone" and every > 0:
            late = (today - item.due).days
            week = max(1, late // every)  # the week of today's step, or the first one
            days += [item.due + timedelta(days=w * every) for w in (week, week + 1)]
        for day in days:
            if day == today:
                on_today = True
            elif day > today and (soonest is None or day < soonest):
                soonest = day
    if on_today:
        instant = local_instant(today, policy.send_at, timezone)
        if instant > now:
            return instant
    return None if soonest is None else local_instant(soonest, policy.send_at, timezone)


def _open_items(timeline: Timeline) -> list[Item]:
    items = [i for i in timeline.organisation_items if i.due is not None and i.status != "done"]
    for model in timeline.models:
        items += [i for i in model.items if i.due is not None and i.status != "done"]
    return items


def recipients_of(
    item: Item, register: Register, compliance_list: Sequence[str] = ()
) -> list[Recipient]:
    """The item's owners, on each channel they chose (a channel several of them chose, once);
    for organisation items also the configured compliance list (by e-mail)."""
    people = {p.id: p for p in register.people}
    seen: dict[str, Recipient] = {}
    for person_id in item.owners:
        person = people.get(person_id)
        if person is None:
            continue
        for channel in person.channels:
            recipient = (
                Recipient(person.id, person.name, person.email)
                if channel == "email"
                else Recipient.of_channel(channel)
            )
            seen.setdefault(recipient.address.lower(), recipient)
    if item.model is None:
        for address in compliance_list:
            seen.setdefault(address.lower(), Recipient("compliance-list", address, address))
    return list(seen.values())


def due_reminders(
    timeline: Timeline,
    register: Register,
    policy: ReminderPolicy,
    now: datetime,
    compliance_list: Sequence[str] = (),
) -> list[Reminder]:
    """Every reminder whose latest step has come by `now`, one per item and recipient."""
    timezone = register.organisation.timezone
    today = organisation_day(now, timezone)
    found = []
    for item in timeline.all_items():
        step = latest_step(item, policy, now, timezone)
        if step is None:
            continue
        for recipient in recipients_of(item, register, compliance_list):
            found.append(Reminder.of(item, recipient, step[0], step[1], days_left(item, today)))
    return found


def digests(reminders: list[Reminder]) -> list[Digest]:
    """One digest per address, reminders ordered by due date; digests ordered by address."""
    grouped: dict[str, list[Reminder]] = defaultdict(list)
    for reminder in reminders:
        grouped[reminder.recipient.address.lower()].append(reminder)
    return [
        Digest(found[0].recipient, tuple(sorted(found, key=lambda r: (r.item.sort_key, r.key))))
        for _, found in sorted(grouped.items())
    ]
