"""The one delivery loop, for every channel: plan the reminders due now, claim them in the
ledger, render, send, record. The edge that joins the pure policy to the ledger and the
channels (notifier.channels.registry); notifier.app calls it for `notifier remind`, the daemon,
the events told at once and the watcher's findings.

Each address (an e-mail address, or `#NAME` for a channel of the settings) gets one digest. A
channel that cannot take anything now (no connection, a time-out, a 429 or 5xx) is left for the
rest of the round, the others go on, and the next round retries it (the daemon backs off).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from notifier.channels.base import Channel
from notifier.channels.email import EMAIL
from notifier.channels.registry import Channels
from notifier.clock import system_now
from notifier.context import Context, refreshed
from notifier.core.items import Item, Timeline
from notifier.core.reminders import (
    IMMEDIATE,
    Digest,
    Reminder,
    days_left,
    digests,
    due_reminders,
    immediate,
    next_step,
    recipients_of,
)
from notifier.core.timeline import timeline
from notifier.errors import DeliveryError
from notifier.mail.render import Renderer
from notifier.mail.transport import Transport
from notifier.store import claimable, ledger

logger = logging.getLogger(__name__)


def channel_of(address: str) -> str:
    """The channel of a ledger address: `#NAME` is the channel NAME, anything else e-mail."""
    return address[1:] if address.startswith("#") else EMAIL


@dataclass
class DispatchReport:
    due: int = 0
    sent: list[tuple[str, int, str]] = field(default_factory=list)  # address, count, msg id
    failed: list[tuple[str, int, str, bool]] = field(default_factory=list)  # ..., permanent
    planned: list[Digest] = field(default_factory=list)  # dry run: what would be sent
    interrupted: str | None = None  # the first channel-level failure of the round
    outages: dict[str, str] = field(default_factory=dict)  # channel -> why it was left
    left: int = 0  # reminders a channel left this round did not reach (the next round sends)
    unusable: list[str] = field(default_factory=list)  # models or events left out, and why
    unsent: int = 0  # reminders due now and still not delivered after the round
    unsent_since: datetime | None = None  # the instant of the oldest of them
    unsent_by_channel: dict[str, int] = field(default_factory=dict)
    next_step: datetime | None = None  # the first instant after now at which a new step comes

    @property
    def ok(self) -> bool:
        return not self.failed and self.interrupted is None


@dataclass
class Plan:
    reminders: list[Reminder]  # due at `now`, and failed mails-at-once due for a retry
    superseded: list[str]  # keys of failed mails-at-once a regular reminder now replaces
    unusable: list[str]  # models, events or the organisation whose items are left out
    timeline: Timeline


Timelines = Callable[[Context, date], Timeline]  # (context, the organisation's day) -> timeline


def computed(context: Context, day: date) -> Timeline:
    """The timeline of the context's register, rules and records on `day`, computed here (the
    application layer passes its shared one instead: app/timelines.py)."""
    return timeline(context.register, context.rules, day, context.options)


def plan(context: Context, now: datetime) -> list[Reminder]:
    """The reminders due at `now`, and any mail-at-once that failed and is due for a retry."""
    return planned(context, now).reminders


def planned(context: Context, now: datetime, timelines: Timelines = computed) -> Plan:
    """plan(), with what the timeline left out and what a regular reminder supersedes."""
    settings = context.settings.reminders
    # Statuses are those of the organisation's day, as the reminders' days left count them.
    result = timelines(context, context.day(now))
    due = due_reminders(result, context.register, settings.policy(), now, settings.compliance_list)
    retries, superseded = _immediate_retries(context, result, now, due)
    # Moved dates (issue 23) ride in the same digests, each keyed by its move.
    from notifier.channels.moves import move_reminders

    moved = move_reminders(context, result, now)
    keys = {r.key for r in moved}
    # A moved item's owner is told once, by the move: a step at its instant, which the ledger
    # counts as sent, so the regular step scheduled before it is superseded, not sent too.
    told: dict[tuple[str, str], datetime] = {}
    for r in moved:
        pair = (r.item.id, r.recipient.address.lower())
        told[pair] = max(told.get(pair, r.scheduled_for), r.scheduled_for)
    due = [
        r
        for r in due
        if r.scheduled_for > told.get((r.item.id, r.recipient.address.lower()), r.scheduled_for)
        or (r.item.id, r.recipient.address.lower()) not in told
    ]
    retries = [r for r in retries if r.key not in keys]
    superseded = [key for key in superseded if key not in keys]
    return Plan(due + retries + moved, superseded, [str(u) for u in result.unusable], result)


def _immediate_retries(
    context: Context, result: Timeline, now: datetime, due: list[Reminder]
) -> tuple[list[Reminder], list[str]]:
    """A failed mail-at-once (new event, watcher finding) is retried under its own key while its
    item is open; where a regular reminder of the same item goes to that person now (one the
    ledger has neither sent nor seen overtaken by a newer step), the failed one is superseded by
    it (and its key returned as such)."""
    failures = ledger.failed_immediate(context.store, now)
    if not failures:
        return [], []
    people = {(f.item_id, f.recipient.lower()) for f in failures}
    due = [r for r in due if (r.item.id, r.recipient.address.lower()) in people]
    covered = {
        (r.item.id, r.recipient.address.lower()) for r in claimable.pending(context.store, due, now)
    }
    items = {item.id: item for item in result.all_items()}
    today = context.day(now)
    compliance = context.settings.reminders.compliance_list
    retries: list[Reminder] = []
    superseded: list[str] = []
    for failed in failures:
        item = items.get(failed.item_id)
        email = failed.recipient.lower()
        if item is None or item.status == "done" or (failed.item_id, email) in covered:
            superseded.append(failed.key)
            continue
        for recipient in recipients_of(item, context.register, compliance):
            if recipient.address.lower() == email:
                retries.append(
                    Reminder(
                        failed.key,
                        item,
                        recipient,
                        IMMEDIATE,
                        now,
                        days_left(item, today),
                        failed.occasion,
                    )
                )
    return retries, superseded


async def dispatch(
    context: Context,
    now: datetime,
    transport: Transport | None = None,
    *,
    channels: Channels | None = None,
    dry_run: bool = False,
    renderer: Renderer | None = None,
    me: str | None = None,
    refresh: Callable[[Context], Context] = refreshed,
    timelines: Timelines = computed,
) -> DispatchReport:
    """Send every reminder due at `now` that no process has sent or holds; each at most once.
    `channels`: those to use (else opened here, e-mail by `transport`, and closed after).
    `refresh` (the store's records as of now) and `timelines`: the caller's, to share them."""
    me = me or ledger.process_identity()
    context = await asyncio.to_thread(refresh, context)
    opened = channels is None
    channels = channels or Channels(context, system_now, transport, renderer)
    try:
        return await _dispatch(context, now, channels, dry_run, me, timelines)
    finally:
        if opened:
            await channels.close()


async def _dispatch(
    context: Context,
    now: datetime,
    channels: Channels,
    dry_run: bool,
    me: str,
    timelines: Timelines,
) -> DispatchReport:
    found = planned(context, now, timelines)
    reminders = found.reminders
    report = DispatchReport(due=len(reminders), unusable=found.unusable)
    report.next_step = next_step(
        found.timeline, context.settings.reminders.policy(), now, context.timezone
    )
    if not dry_run:
        if found.superseded:
            await asyncio.to_thread(ledger.mark_superseded, context.store, found.superseded, me)
        await deliver(context, reminders, now, channels, me, report)
    # After the round (or instead of it): what it left, and what a claim would take.
    surveyed = await asyncio.to_thread(claimable.survey, context.store, reminders, now)
    if dry_run:
        report.planned = digests(surveyed.pending)
    unsent = surveyed.outstanding
    report.unsent = len(unsent)
    report.unsent_since = min((r.scheduled_for for r in unsent), default=None)
    for reminder in unsent:
        name = reminder.recipient.channel
        report.unsent_by_channel[name] = report.unsent_by_channel.get(name, 0) + 1
    return report


async def send_now(
    context: Context,
    items: Sequence[Item],
    occasion: str,
    now: datetime,
    transport: Transport | None = None,
    *,
    channels: Channels | None = None,
    me: str | None = None,
) -> DispatchReport:
    """Tell the owners of these items at once, on every channel they chose (a new event, a
    watcher finding), not at the next send_at. `occasion` keys the ledger, so a rerun for the
    same occasion sends nothing."""
    compliance = context.settings.reminders.compliance_list
    reminders = immediate(items, occasion, context.register, now, compliance)
    opened = channels is None
    channels = channels or Channels(context, system_now, transport)
    try:
        return await deliver(
            context,
            reminders,
            now,
            channels,
            me or ledger.process_identity(),
            DispatchReport(due=len(reminders)),
        )
    finally:
        if opened:
            await channels.close()


async def deliver(
    context: Context,
    reminders: list[Reminder],
    now: datetime,
    channels: Channels,
    me: str,
    report: DispatchReport,
) -> DispatchReport:
    """Claim, render and send one digest per recipient; record each outcome in the ledger.

    A delivery failure is recorded for retry (or as permanent). Any other exception is a defect
    in this program: it is logged once with its traceback, the digest's claims are set aside as
    `error` (retried once when a process next starts, i.e. after a fix), and the rest go on.
    Claims stay this process's while its instance lease lives (kept alive meanwhile)."""
    with ledger.holding(context.store, me, context.settings.instances.lease_seconds):
        return await _deliver(context, reminders, now, channels, me, report)


async def _deliver(
    context: Context,
    reminders: list[Reminder],
    now: datetime,
    channels: Channels,
    me: str,
    report: DispatchReport,
) -> DispatchReport:
    queue = digests(reminders)
    for digest in queue:
        name = digest.recipient.channel
        if name in report.outages:  # this channel cannot take anything now: the next round
            report.left += len(digest.reminders)
            continue
        channel = channels.get(name)
        if channel is None:  # the settings lost a channel the register still names
            logger.error("no channel '%s' in the settings: its reminders wait", name)
            report.left += len(digest.reminders)
            continue
        size = channel.batch or len(digest.reminders)
        for start in range(0, len(digest.reminders), size):
            part = list(digest.reminders[start : start + size])
            if name in report.outages:
                report.left += len(part)
                continue
            owned = await asyncio.to_thread(ledger.claim, context.store, part, now, me)
            if owned:
                mine = Digest(digest.recipient, tuple(owned))
                await _one(context, channel, mine, now, me, report)
    return report


async def _one(
    context: Context,
    channel: Channel,
    digest: Digest,
    now: datetime,
    me: str,
    report: DispatchReport,
) -> None:
    """Render, send and record one claimed digest."""
    owned = list(digest.reminders)
    address = digest.recipient.address
    try:
        outgoing = channel.render(digest, now)
        if not await asyncio.to_thread(ledger.still_held, context.store, owned, me):
            logger.warning(
                "not sending %d reminder(s) to %s: this process's lease lapsed and its "
                "claims may have been taken over",
                len(owned),
                address,
            )
            return
        await channel.send(outgoing)
    except DeliveryError as error:
        # The channel cannot take anything now: retry next round. A reply about this message
        # (e-mail): later.
        wait = 0 if error.connection else context.settings.reminders.retry_later_minutes
        await asyncio.to_thread(
            ledger.mark_failed,
            context.store,
            owned,
            str(error),
            permanent=error.permanent,
            retry_at=now + timedelta(minutes=wait),
            me=me,
        )
        report.failed.append((address, len(owned), str(error), error.permanent))
        logger.error(
            "delivery %s to %s (%d reminders): %s",
            "FAILED permanently" if error.permanent else "failed, will retry",
            address,
            len(owned),
            error,
        )
        if error.connection:
            report.outages[channel.name] = str(error)
            report.interrupted = report.interrupted or str(error)
            what = (
                "the mail server cannot be reached"
                if channel.name == EMAIL
                else f"{channel.description} cannot take messages now"
            )
            logger.error(
                "%s: its other reminders this round wait for the next one; the other "
                "channels go on",
                what,
            )
        return
    except Exception as error:
        logger.exception(
            "defect while sending %d reminder(s) to %s; set aside, the rest go on",
            len(owned),
            address,
        )
        detail = f"internal error: {type(error).__name__}: {error}"
        await asyncio.to_thread(ledger.mark_error, context.store, owned, detail, me)
        report.failed.append((address, len(owned), detail, True))
        return
    await asyncio.to_thread(ledger.mark_sent, context.store, owned, outgoing.id, now, me)
    report.sent.append((address, len(owned), outgoing.id))
    logger.info(
        "delivered %d reminder(s) to %s via %s (%s)",
        len(owned),
        address,
        channel.description,
        outgoing.id,
    )
