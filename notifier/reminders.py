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
from zoneinfo import ZoneInfo

from notifier.items import Item, Timeline
from notifier.law.model import Kind
from notifier.register import Register


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
    person_id: str
    name: str
    email: str


@dataclass(frozen=True)
class Reminder:
    key: str  # stable: the ledger's unique key
    item: Item
    recipient: Recipient
    step: str  # e.g. "d-30", "d-0", "overdue-w2"
    scheduled_for: datetime
    days_left: int  # from the local date of the dispatch; negative when overdue

    @property
    def model(self) -> str | None:
        return self.item.model


@dataclass(frozen=True)
class Digest:
    """Everything due for one person at one instant: one email."""

    recipient: Recipient
    reminders: tuple[Reminder, ...]


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """`at` on `day` in `zone`, correct across DST (a wall time in a gap moves forward)."""
    naive = datetime.combine(day, at)
    aware = naive.replace(tzinfo=zone)
    # Round-trip through UTC: a non-existent local time (spring-forward gap) normalises.
    return aware.astimezone(ZoneInfo("UTC")).astimezone(zone)


def latest_step(
    item: Item, policy: ReminderPolicy, now: datetime, zone: ZoneInfo
) -> tuple[str, datetime] | None:
    """The newest reminder step of `item` whose time is at or before `now`, if any."""
    if item.due is None or item.status == "done":
        return None
    steps = [
        (f"d-{days}", item.due - timedelta(days=days))
        for days in policy.offsets_days.get(item.kind, ())
    ]
    if item.kind != "milestone" and policy.overdue_every_days > 0:
        today = now.astimezone(zone).date()
        weeks = (today - item.due).days // policy.overdue_every_days
        # Before send_at on a weekly day, this week's step has not come: last week's is latest.
        for week in (weeks - 1, weeks):
            if week >= 1:
                steps.append(
                    (f"overdue-{week}", item.due + timedelta(days=week * policy.overdue_every_days))
                )
    best: tuple[str, datetime] | None = None
    for step, day in steps:
        instant = local_instant(day, policy.send_at, zone)
        if instant <= now and (best is None or instant > best[1]):
            best = (step, instant)
    return best


def recipients_of(
    item: Item, register: Register, compliance_list: Sequence[str] = ()
) -> list[Recipient]:
    """The item's owners; for organisation items also the configured compliance list."""
    people = {p.id: p for p in register.people}
    seen: dict[str, Recipient] = {}
    for person_id in item.owners:
        person = people.get(person_id)
        if person is not None and person.email.lower() not in seen:
            seen[person.email.lower()] = Recipient(person.id, person.name, person.email)
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
    if now.tzinfo is None:
        raise ValueError("now must be time-zone aware")
    zone = ZoneInfo(register.organisation.timezone)
    today = now.astimezone(zone).date()
    found = []
    for item in timeline.all_items():
        step = latest_step(item, policy, now, zone)
        if step is None:
            continue
        assert item.due is not None
        for recipient in recipients_of(item, register, compliance_list):
            key = f"{item.id}|{item.due.isoformat()}|{step[0]}|{recipient.email.lower()}"
            found.append(Reminder(key, item, recipient, step[0], step[1], (item.due - today).days))
    return found


def digests(reminders: list[Reminder]) -> list[Digest]:
    """One digest per recipient, reminders ordered by due date; digests ordered by email."""
    grouped: dict[str, list[Reminder]] = defaultdict(list)
    for reminder in reminders:
        grouped[reminder.recipient.email.lower()].append(reminder)
    return [
        Digest(found[0].recipient, tuple(sorted(found, key=lambda r: (r.item.sort_key, r.key))))
        for _, found in sorted(grouped.items())
    ]
