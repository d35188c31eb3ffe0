"""The watcher: check every watched source once and record what changed.

`notifier watch` runs `watch_once` once; the daemon runs it every `watch.every_hours`. It is
safe to run concurrently with itself, in one process or several: the store decides "changed"
with the source's row locked, so a change is recorded as one finding. Mailing the findings at
once is the mail channel's business (notifier.channels.announce), called by the same commands.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

import httpx

from notifier.context import Context
from notifier.errors import FetchError
from notifier.settings import WatchSource
from notifier.store import watch as watch_state
from notifier.store.watch import Finding, SourceState
from notifier.watch.fetch import observe

logger = logging.getLogger(__name__)

OutcomeStatus = Literal["baseline", "unchanged", "changed", "error"]


@dataclass(frozen=True)
class SourceOutcome:
    source: WatchSource
    status: OutcomeStatus
    finding: Finding | None = None
    error: str = ""
    failures: int = 0  # failed checks in a row, this one included


@dataclass
class WatchReport:
    checked_at: datetime
    outcomes: list[SourceOutcome] = field(default_factory=list)

    @property
    def all_failed(self) -> bool:
        return bool(self.outcomes) and all(o.status == "error" for o in self.outcomes)


def watcher_actor() -> str:
    return f"watcher@{socket.gethostname()}"


async def watch_once(context: Context, now: datetime) -> WatchReport:
    """Check every configured source once at `now`; record what changed."""
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
        detected_on=context.day(now),  # a finding's day is the organisation's
        actor=watcher_actor(),
    )
    if finding is not None:
        logger.info("watch %s: CHANGED, recorded as %s", source.name, finding.id)
    else:
        logger.info("watch %s: %s", source.name, result)
    return SourceOutcome(source, result, finding)
