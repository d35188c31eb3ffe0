"""/healthz: what is wrong, for any monitor (HTTP 503 while anything is), and how things stand.

The problems are those recorded in the store (notifier.mail.health: a failed or cut-short
dispatch, an unreachable mail server, reminders left unsent, an unusable model or event, a
failed feed build, a rejected reload), the same on every instance and in `notifier status`;
and what this instance sees for itself: the store unreachable, its scheduler stopped, no
instance leading.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from notifier.clock import Clock
from notifier.context import Context
from notifier.mail import health as recorded_problems
from notifier.store.leadership import Leadership
from notifier.store.problems import HealthProblem


@dataclass
class LastDispatch:
    at: datetime
    sent: int
    failed: int
    error: str | None = None


class Observed(Protocol):
    """What health reads of the daemon."""

    context: Context
    clock: Clock
    scheduler: AsyncIOScheduler
    leadership: Leadership
    last_dispatch: LastDispatch | None
    next_dispatch_at: datetime | None
    reload_error: str | None


class Health:
    def __init__(self, daemon: Observed) -> None:
        self.daemon = daemon
        self._since: dict[str, datetime] = {}  # when each problem seen here began

    def fields(self) -> dict[str, Any]:
        daemon = self.daemon
        now = daemon.clock.now()
        store_error: str | None = None
        live = {lease.holder for lease in daemon.leadership.instances} | {daemon.leadership.me}
        alert = daemon.context.settings.reminders.alert_after_minutes
        try:
            recorded = recorded_problems.current(daemon.context.store, now, alert, live)
        except Exception as error:
            store_error, recorded = f"{type(error).__name__}: {error}", []
        state = {0: "stopped", 1: "running", 2: "paused"}.get(daemon.scheduler.state, "unknown")
        cluster = daemon.leadership.health()
        seen: dict[str, str] = {}
        if store_error is not None:
            seen["store"] = f"the store cannot be reached: {store_error}"
        elif daemon.leadership.write_error is not None:
            seen["store"] = f"the store cannot be written ({daemon.leadership.write_error})"
        if state != "running":
            seen["scheduler"] = f"the scheduler is {state}: nothing is sent or rebuilt"
        if cluster["leader"] is None:
            seen["leader"] = recorded_problems.NO_LEADER
        last = daemon.last_dispatch
        if last is not None and last.error and all(p.kind != "dispatch" for p in recorded):
            seen["dispatch"] = f"the round failed: {last.error}"  # the store could not take it
        found = self._seen(now, seen) + recorded
        return {
            "status": "degraded" if found else "ok",
            "problems": [problem.as_json() for problem in found],
            "scheduler": state,
            "jobs": [
                {
                    "id": job.id,
                    "next_run": job.next_run_time.isoformat() if job.next_run_time else None,
                }
                for job in daemon.scheduler.get_jobs()
            ],
            "next_dispatch": None
            if daemon.next_dispatch_at is None
            else daemon.next_dispatch_at.isoformat(),
            "last_dispatch": None
            if last is None
            else {
                "at": last.at.isoformat(),
                "sent": last.sent,
                "failed": last.failed,
                "error": last.error,
            },
            "store": "unavailable"
            if store_error is not None
            else "unwritable"
            if daemon.leadership.write_error is not None
            else "ok",
            "register": {
                "source": daemon.context.register.source,
                "models": len(daemon.context.register.models),
                "reload_error": daemon.reload_error,
            },
            **cluster,
        }

    def _seen(self, now: datetime, seen: dict[str, str]) -> list[HealthProblem]:
        """This instance's own problems, each since it was first seen in a row of checks."""
        self._since = {kind: self._since.get(kind, now) for kind in seen}
        return [HealthProblem(kind, self._since[kind], detail) for kind, detail in seen.items()]
