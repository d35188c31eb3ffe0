"""The watcher: check every watched source once, record what changed, and mail it at once.

`notifier watch` runs `watch_once` once; the daemon runs it every `watch.every_hours`. It is
safe to run concurrently with itself, in one process or several: the store decides "changed"
with the source's row locked (one finding per change), and the reminder ledger claims each
mail before sending it (one mail per finding, item and recipient).

A finding's mail is sent in the same run that records it; if that run stops or the send fails,
a later run (within `watch.review_due_days`) sends it, since the ledger shows no mail for it.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

import httpx

from notifier.context import Context, refreshed
from notifier.delivery import Transport
from notifier.dispatch import DispatchReport, send_now
from notifier.errors import FetchError
from notifier.items import Item
from notifier.settings import WatchSource
from notifier.store import watch_state
from notifier.store.watch_state import Finding, SourceState
from notifier.timeline import timeline
from notifier.watch_fetch import observe

logger = logging.getLogger(__name__)

UPSTREAM_REVERIFY_RULE = "review-upstream-signatory"
OutcomeStatus = Literal["baseline", "unchanged", "changed", "error"]


@dataclass(frozen=True)
class SourceOutcome:
    source: WatchSource
    status: OutcomeStatus
    finding: Finding | None = None
    error: str = ""
    failures: int = 0  # failed checks in a row, this one included


@dataclass(frozen=True)
class Announcement:
    """The at-once mail for a finding: the items it concerns and how delivery went."""

    finding: Finding
    items: tuple[Item, ...]
    delivery: DispatchReport


@dataclass
class WatchReport:
    checked_at: datetime
    outcomes: list[SourceOutcome] = field(default_factory=list)
    announcements: list[Announcement] = field(default_factory=list)

    @property
    def all_failed(self) -> bool:
        return bool(self.outcomes) and all(o.status == "error" for o in self.outcomes)

    @property
    def delivery_failed(self) -> bool:
        return any(not a.delivery.ok for a in self.announcements)

    def announcement(self, finding: Finding) -> Announcement | None:
        return next((a for a in self.announcements if a.finding.id == finding.id), None)


def watcher_actor() -> str:
    return f"watcher@{socket.gethostname()}"


async def watch_once(context: Context, now: datetime, transport: Transport) -> WatchReport:
    """Check every configured source once at `now`; record and mail what changed."""
    if now.tzinfo is None:
        raise ValueError("now must be time-zone aware")
    now = now.astimezone(ZoneInfo(context.timezone))  # a finding's day is the organisation's
    settings = context.settings.watch
    report = WatchReport(now)
    if settings.sources:
        states = await asyncio.to_thread(watch_state.source_states, context.store)
        async with httpx.AsyncClient(
            timeout=httpx.Timeout(settings.timeout_seconds),
            headers={"User-Agent": settings.user_agent},
            follow_redirects=True,
        ) as client:
            report.outcomes = list(
                await asyncio.gather(
                    *(
                        _check(context, client, source, states.get(source.name), now)
                        for source in settings.sources
                    )
                )
            )
    report.announcements = await announce(context, now, transport)
    return report


async def _check(
    context: Context,
    client: httpx.AsyncClient,
    source: WatchSource,
    state: SourceState | None,
    now: datetime,
) -> SourceOutcome:
    try:
        observed = await observe(client, source, state)
    except FetchError as error:
        failures = await asyncio.to_thread(
            watch_state.record_failure,
            context.store,
            name=source.name,
            kind=source.kind,
            location=source.location,
            error=error.reason,
            at=now,
        )
        logger.warning(
            "watch %s: check failed (%d in a row; retried at the next check): %s",
            source.name,
            failures,
            error.reason,
        )
        return SourceOutcome(source, "error", error=error.reason, failures=failures)
    result, finding = await asyncio.to_thread(
        watch_state.record_success,
        context.store,
        name=source.name,
        kind=source.kind,
        location=source.location,
        observed=observed,
        at=now,
        detected_on=now.date(),
        actor=watcher_actor(),
    )
    if finding is not None:
        logger.info("watch %s: CHANGED, recorded as %s", source.name, finding.id)
    else:
        logger.info("watch %s: %s", source.name, result)
    return SourceOutcome(source, result, finding)


async def announce(context: Context, now: datetime, transport: Transport) -> list[Announcement]:
    """Mail, at once, every recent finding whose mail has not gone out yet (the ledger keys
    each mail by the finding id, so a finding is mailed once however often this runs)."""
    since = now.date() - timedelta(days=context.settings.watch.review_due_days)
    recent = await asyncio.to_thread(watch_state.findings, context.store, None, since)
    list_changes = [f.id for f in recent if f.kind == "signatories"]
    latest_list_change = list_changes[-1] if list_changes else None
    # Only the latest signatory-list change is mailed: the items are the same for every one.
    recent = [f for f in recent if f.kind == "code" or f.id == latest_list_change]
    sent = await asyncio.to_thread(watch_state.announced, context.store, [f.id for f in recent])
    pending = [f for f in recent if f.id not in sent]
    if not pending:
        return []
    context = await asyncio.to_thread(refreshed, context)  # now with the new findings
    items = timeline(context.register, context.rules, now, context.options).all_items()
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
        return [item for item in open_items if finding.id in item.id.split("/")]
    return [item for item in open_items if item.rule == UPSTREAM_REVERIFY_RULE]
