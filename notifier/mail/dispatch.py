"""One dispatch: plan the reminders due now, claim them, render, send, record. The edge that
joins the pure policy to the ledger and the transport; `notifier remind` and the daemon call it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

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
from notifier.mail.invitation import invitation
from notifier.mail.render import Renderer
from notifier.mail.transport import Transport, send_with_retries
from notifier.store import claimable, ledger

logger = logging.getLogger(__name__)


@dataclass
class DispatchReport:
    due: int = 0
    sent: list[tuple[str, int, str]] = field(default_factory=list)  # recipient, count, msg id
    failed: list[tuple[str, int, str, bool]] = field(default_factory=list)  # ..., permanent
    planned: list[Digest] = field(default_factory=list)  # dry run: what would be sent
    interrupted: str | None = None  # the connection-level failure that ended the round
    left: int = 0  # reminders the interrupted round did not reach (the next round sends them)
    unusable: list[str] = field(default_factory=list)  # models or events left out, and why
    unsent: int = 0  # reminders due now and still not delivered after the round
    unsent_since: datetime | None = None  # the instant of the oldest of them
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


def plan(context: Context, now: datetime) -> list[Reminder]:
    """The reminders due at `now`, and any mail-at-once that failed and is due for a retry."""
    return planned(context, now).reminders


def planned(context: Context, now: datetime) -> Plan:
    """plan(), with what the timeline left out and what a regular reminder supersedes."""
    settings = context.settings.reminders
    # Statuses are those of the organisation's day, as the reminders' days left count them.
    result = timeline(context.register, context.rules, context.day(now), context.options)
    due = due_reminders(result, context.register, settings.policy(), now, settings.compliance_list)
    retries, superseded = _immediate_retries(context, result, now, due)
    return Plan(due + retries, superseded, [str(u) for u in result.unusable], result)


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
    due = [r for r in due if (r.item.id, r.recipient.email.lower()) in people]
    covered = {
        (r.item.id, r.recipient.email.lower()) for r in claimable.pending(context.store, due, now)
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
            if recipient.email.lower() == email:
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
    transport: Transport,
    *,
    dry_run: bool = False,
    renderer: Renderer | None = None,
    me: str | None = None,
) -> DispatchReport:
    """Send every reminder due at `now` that no process has sent or holds; each at most once."""
    me = me or ledger.process_identity()
    renderer = renderer or Renderer(context.settings.templates_dir)
    context = await asyncio.to_thread(refreshed, context)
    found = planned(context, now)
    reminders = found.reminders
    report = DispatchReport(due=len(reminders), unusable=found.unusable)
    report.next_step = next_step(
        found.timeline, context.settings.reminders.policy(), now, context.timezone
    )
    if not dry_run:
        if found.superseded:
            await asyncio.to_thread(ledger.mark_superseded, context.store, found.superseded, me)
        await deliver(context, reminders, now, transport, renderer, me, report)
    # After the round (or instead of it): what it left, and what a claim would take.
    surveyed = await asyncio.to_thread(claimable.survey, context.store, reminders, now)
    if dry_run:
        report.planned = digests(surveyed.pending)
    unsent = surveyed.outstanding
    report.unsent = len(unsent)
    report.unsent_since = min((r.scheduled_for for r in unsent), default=None)
    return report


async def send_now(
    context: Context,
    items: Sequence[Item],
    occasion: str,
    now: datetime,
    transport: Transport,
    *,
    me: str | None = None,
) -> DispatchReport:
    """Mail these items to their owners at once (a new event, a watcher finding), not at the
    next send_at. `occasion` keys the ledger, so a rerun for the same occasion sends nothing."""
    compliance = context.settings.reminders.compliance_list
    reminders = immediate(items, occasion, context.register, now, compliance)
    return await deliver(
        context,
        reminders,
        now,
        transport,
        Renderer(context.settings.templates_dir),
        me or ledger.process_identity(),
        DispatchReport(due=len(reminders)),
    )


async def deliver(
    context: Context,
    reminders: list[Reminder],
    now: datetime,
    transport: Transport,
    renderer: Renderer,
    me: str,
    report: DispatchReport,
) -> DispatchReport:
    """Claim, render and send one digest per recipient; record each outcome in the ledger.

    A delivery failure is recorded for retry (or as permanent). Any other exception is a defect
    in this program: it is logged once with its traceback, the digest's claims are set aside as
    `error` (retried once when a process next starts, i.e. after a fix), and the rest go on.
    Claims stay this process's while its instance lease lives (kept alive meanwhile)."""
    with ledger.holding(context.store, me, context.settings.instances.lease_seconds):
        return await _deliver(context, reminders, now, transport, renderer, me, report)


async def _deliver(
    context: Context,
    reminders: list[Reminder],
    now: datetime,
    transport: Transport,
    renderer: Renderer,
    me: str,
    report: DispatchReport,
) -> DispatchReport:
    settings = context.settings
    queue = digests(reminders)
    for position, digest in enumerate(queue):
        owned = await asyncio.to_thread(
            ledger.claim, context.store, list(digest.reminders), now, me
        )
        if not owned:
            continue
        mine = Digest(digest.recipient, tuple(owned))
        try:
            sender = settings.smtp.sender
            calendar = invitation([r.item for r in owned], sender, now)
            message = renderer.digest(mine, context.register, sender, now, calendar)
            message_id = str(message["Message-ID"])
            if not await asyncio.to_thread(ledger.still_held, context.store, owned, me):
                logger.warning(
                    "not sending %d reminder(s) to %s: this process's lease lapsed and its "
                    "claims may have been taken over",
                    len(owned),
                    digest.recipient.email,
                )
                continue
            await send_with_retries(transport, message, settings.reminders.retry_delays_seconds)
        except DeliveryError as error:
            # The server cannot be reached: retry next round. A reply about this message: later.
            wait = 0 if error.connection else settings.reminders.retry_later_minutes
            retry_at = now + timedelta(minutes=wait)
            await asyncio.to_thread(
                ledger.mark_failed,
                context.store,
                owned,
                str(error),
                permanent=error.permanent,
                retry_at=retry_at,
                me=me,
            )
            report.failed.append((digest.recipient.email, len(owned), str(error), error.permanent))
            logger.error(
                "delivery %s to %s (%d reminders): %s",
                "FAILED permanently" if error.permanent else "failed, will retry",
                digest.recipient.email,
                len(owned),
                error,
            )
            if error.connection:
                report.interrupted = str(error)
                report.left = sum(len(d.reminders) for d in queue[position + 1 :])
                logger.error(
                    "round ended: the mail server cannot be reached; %d reminder(s) for %d "
                    "other recipient(s) wait for the next round",
                    report.left,
                    len(queue) - position - 1,
                )
                break
            continue
        except Exception as error:
            logger.exception(
                "defect while sending %d reminder(s) to %s; set aside, the rest go on",
                len(owned),
                digest.recipient.email,
            )
            detail = f"internal error: {type(error).__name__}: {error}"
            await asyncio.to_thread(ledger.mark_error, context.store, owned, detail, me)
            report.failed.append((digest.recipient.email, len(owned), detail, True))
            continue
        await asyncio.to_thread(ledger.mark_sent, context.store, owned, message_id, now, me)
        report.sent.append((digest.recipient.email, len(owned), message_id))
        logger.info(
            "delivered %d reminder(s) to %s via %s (%s)",
            len(owned),
            digest.recipient.email,
            transport.description,
            message_id,
        )
    return report
