"""Mail the watcher's findings at once: a Code-text change and a signatory-list change.

A finding's mail is sent in the run that records it; if that run stops or the send fails, a later
run (within `watch.review_due_days`) sends it, since the ledger shows no mail for it. The ledger
claims each mail before sending it: one mail per finding, item and recipient.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from notifier.channels.delivery import DispatchReport, send_now
from notifier.context import Context, refreshed
from notifier.core.items import Item
from notifier.core.law.model import UPSTREAM_REVERIFY
from notifier.core.timeline import timeline
from notifier.mail.transport import Transport
from notifier.store import ledger
from notifier.store import watch as watch_state
from notifier.store.watch import Finding


@dataclass(frozen=True)
class Announcement:
    """The at-once mail for a finding: the items it concerns and how delivery went."""

    finding: Finding
    items: tuple[Item, ...]
    delivery: DispatchReport


async def announce(context: Context, now: datetime, transport: Transport) -> list[Announcement]:
    """Mail, at once, every recent finding whose mail has not gone out yet (the ledger keys
    each mail by the finding id, so a finding is mailed once however often this runs)."""
    since = context.day(now) - timedelta(days=context.settings.watch.review_due_days)
    recent = await asyncio.to_thread(watch_state.findings, context.store, None, since)
    list_changes = [f.id for f in recent if f.kind == "signatories"]
    latest_list_change = list_changes[-1] if list_changes else None
    # Only the latest signatory-list change is mailed: the items are the same for every one.
    recent = [f for f in recent if f.kind == "code" or f.id == latest_list_change]
    sent = await asyncio.to_thread(ledger.announced, context.store, [f.id for f in recent])
    pending = [f for f in recent if f.id not in sent]
    if not pending:
        return []
    context = await asyncio.to_thread(refreshed, context)  # now with the new findings
    items = timeline(context.register, context.rules, context.day(now), context.options).all_items()
    announcements = []
    for finding in pending:
        concerned = items_for(finding, items)
        delivery = (
            await send_now(context, concerned, finding.id, now, transport)
            if concerned
            else DispatchReport()
        )
        announcements.append(Announcement(finding, tuple(concerned), delivery))
    return announcements


def items_for(finding: Finding, items: Sequence[Item]) -> list[Item]:
    """The open items a finding calls for: a Code change, its own review item (its id carries
    the finding id); a signatory-list change, every upstream re-verification."""
    open_items = [item for item in items if item.status != "done"]
    if finding.kind == "code":
        return [item for item in open_items if item.event == finding.id]
    return [item for item in open_items if item.rule == UPSTREAM_REVERIFY]
