"""`notifier run`: the scheduler (APScheduler 3.x) and the HTTP app in one event loop.

uvicorn owns SIGINT/SIGTERM and runs the app's lifespan, which starts and stops the Daemon;
the Daemon owns SIGHUP (reload the register). Shutdown order: pause the scheduler, let the
in-flight dispatch finish (bounded), shut the scheduler down, give leadership up, let work in
threads finish (bounded), close the transport and store.
The reminder ledger, not the scheduler, is the source of truth: a missed run only delays.

Several instances may share one store: each serves HTTP, and only the one that leads
(store/leadership.py) runs the dispatch, feeds, midnight and watch jobs at their ticks.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import text

from notifier import __version__
from notifier import clock as wallclock
from notifier.clock import Clock
from notifier.context import Context, read_register, refreshed
from notifier.core.days import zone
from notifier.errors import InputError
from notifier.mail.announce import announce
from notifier.mail.dispatch import DispatchReport, dispatch
from notifier.mail.transport import Transport, transport_for
from notifier.store import ledger
from notifier.store.feeds import ensure_tokens
from notifier.store.leadership import Leadership
from notifier.watch.run import watch_once
from notifier.web.timeline_api import TIMELINE_AUDIENCE

logger = logging.getLogger(__name__)

SHUTDOWN_GRACE_SECONDS = 30.0
RELOAD_CHECK_SECONDS = 2
FEED_CHECK_SECONDS = 30


@dataclass
class LastDispatch:
    at: datetime
    sent: int
    failed: int
    error: str | None = None


PublishFeeds = Callable[[Context, datetime], object]


class Daemon:
    def __init__(
        self, context: Context, clock: Clock, publish_feeds: PublishFeeds | None = None
    ) -> None:
        self.context = context
        self.clock = clock
        self.publish_feeds = publish_feeds  # (context, now) -> None, set by the feeds edge
        self.scheduler = AsyncIOScheduler(timezone=context.timezone)
        self.transport: Transport = transport_for(
            context.settings.smtp, context.settings.outbox_dir
        )
        self.last_dispatch: LastDispatch | None = None
        self.reload_error: str | None = None
        self._register_digest = _digest(context.settings.register_file)
        self._feeds_signature: tuple[object, ...] | None = None
        self._dispatching: asyncio.Task[None] | None = None
        self._dispatch_lock = asyncio.Lock()
        http = context.settings.http
        self.leadership = Leadership(
            context.store,
            ledger.process_identity(),
            context.settings.instances.lease_seconds,
            f"notifier {__version__}, http {http.host}:{http.port}",
        )

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> None:
        now = self.clock.now()
        store = self.context.store
        released = await asyncio.to_thread(
            ledger.release_abandoned, store, now, ledger.process_identity()
        )
        if released:
            logger.warning("released %d reminder claim(s) left by a stopped process", released)
        retried = await asyncio.to_thread(ledger.release_errors, store, now)
        if retried:
            logger.warning("retrying %d reminder(s) set aside by a defect", retried)
        await asyncio.to_thread(ensure_tokens, store, [TIMELINE_AUDIENCE], now)
        await asyncio.to_thread(self.leadership.join)
        reminders = self.context.settings.reminders
        first = wallclock.system_now()
        # A trigger made outside the scheduler takes the machine's zone unless told otherwise.
        context_zone = zone(self.context.timezone)
        jobs = (
            (
                "dispatch",
                self._if_leading(self._start_dispatch),
                IntervalTrigger(seconds=reminders.dispatch_every_seconds),
                first,
            ),
            (
                "feeds",
                self._if_leading(self.rebuild_feeds_if_changed),
                IntervalTrigger(seconds=FEED_CHECK_SECONDS),
                first,
            ),
            (
                "feeds-midnight",
                self._if_leading(self.rebuild_feeds),
                CronTrigger(hour=0, minute=0, second=5, timezone=context_zone),
                None,
            ),
            (
                "register-reload",
                self.reload_if_changed,
                IntervalTrigger(seconds=RELOAD_CHECK_SECONDS),
                None,
            ),
            (
                "watch",
                self._if_leading(self.watch_now),
                IntervalTrigger(hours=self.context.settings.watch.every_hours),
                first,
            ),
            (
                "leadership",
                self._campaign,
                IntervalTrigger(seconds=self.leadership.every),
                None,
            ),
        )
        for job_id, function, trigger, next_run in jobs:
            options: dict[str, Any] = {"next_run_time": next_run} if next_run else {}
            self.scheduler.add_job(
                function,
                trigger,
                id=job_id,
                replace_existing=True,
                coalesce=True,
                max_instances=1,
                misfire_grace_time=None,
                **options,
            )
        self.scheduler.start()
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGHUP, self._on_sighup)
        logger.info(
            "scheduler started with %d jobs; clock now %s; delivery via %s",
            len(self.scheduler.get_jobs()),
            self.clock.now().isoformat(),
            self.transport.description,
        )

    async def stop(self, grace: float = SHUTDOWN_GRACE_SECONDS) -> None:
        logger.info("stopping: no new work; waiting up to %.0f s for in-flight sends", grace)
        if self.scheduler.running:
            self.scheduler.pause()
        task = self._dispatching
        if task is not None and not task.done():
            try:
                await asyncio.wait_for(asyncio.shield(task), grace)
            except TimeoutError:
                logger.error(
                    "in-flight dispatch did not finish in %.0f s; its claims will be "
                    "retried at the next start",
                    grace,
                )
                task.cancel()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        await asyncio.to_thread(self.leadership.leave)
        # A job the shutdown cancelled may still run in a worker thread (a feed build, a watch)
        # with a connection of the store: let it finish (bounded) before the store closes.
        loop = asyncio.get_running_loop()
        try:
            await asyncio.wait_for(asyncio.shield(loop.shutdown_default_executor()), grace)
        except TimeoutError:
            logger.error("work in progress did not finish in %.0f s; stopping anyway", grace)
        loop.remove_signal_handler(signal.SIGHUP)
        await self.transport.close()
        self.context.store.close()
        logger.info("stopped")

    # ------------------------------------------------------------------ leadership
    def _if_leading(self, job: Callable[[], Awaitable[None]]) -> Callable[[], Awaitable[None]]:
        """The job, run only if this instance leads at its tick (confirmed in the store)."""

        async def run() -> None:
            if await asyncio.to_thread(self.leadership.confirm):
                await job()

        name = getattr(job, "__name__", "job")
        run.__name__, run.__qualname__ = name, f"Daemon.{name} (if leading)"
        return run

    async def _campaign(self) -> None:
        """Renew or take the leader lease; a new leader dispatches and rebuilds at once."""
        if await asyncio.to_thread(self.leadership.campaign):
            for job_id in ("dispatch", "feeds"):
                self.scheduler.modify_job(job_id, next_run_time=wallclock.system_now())

    # ------------------------------------------------------------------ jobs
    async def _start_dispatch(self) -> None:
        """Run the dispatch as the daemon's own task, so shutdown can await rather than cancel."""
        if self._dispatching is not None and not self._dispatching.done():
            return
        self._dispatching = asyncio.create_task(self.dispatch_now())
        await asyncio.shield(self._dispatching)

    async def dispatch_now(self) -> None:
        async with self._dispatch_lock:
            now = self.clock.now()
            try:
                released = await asyncio.to_thread(
                    ledger.release_abandoned, self.context.store, now, self.leadership.me
                )
                if released:
                    logger.warning("released %d claim(s) whose instance lease lapsed", released)
                report: DispatchReport = await dispatch(self.context, now, self.transport)
            except Exception as error:  # the daemon keeps running; the next run retries
                logger.exception("dispatch failed")
                self.last_dispatch = LastDispatch(now, 0, 0, f"{type(error).__name__}: {error}")
                return
            self.last_dispatch = LastDispatch(
                now, sum(c for _, c, _ in report.sent), sum(c for _, c, _, _ in report.failed)
            )

    async def watch_now(self) -> None:
        """Check the watched Code of Practice sources; findings are recorded and mailed at once.

        A transport of its own: the dispatch's SMTP connection must not be shared mid-send."""
        if not self.context.settings.watch.sources:
            return
        transport = transport_for(self.context.settings.smtp, self.context.settings.outbox_dir)
        try:
            now = self.clock.now()
            report = await watch_once(self.context, now)
            for outcome in report.outcomes:
                logger.info("watch %s: %s %s", outcome.source.name, outcome.status, outcome.error)
            await announce(self.context, now, transport)
        except Exception:  # the daemon keeps running; the next check retries
            logger.exception("watch failed")
        finally:
            await transport.close()
        await self.rebuild_feeds_if_changed()

    async def rebuild_feeds_if_changed(self) -> None:
        signature = await asyncio.to_thread(self._signature)
        if signature != self._feeds_signature:
            await self.rebuild_feeds()
            self._feeds_signature = signature

    async def rebuild_feeds(self) -> None:
        if self.publish_feeds is None:
            return
        # Reminders first: a build holds the interpreter for seconds (a new leader, or a daemon
        # restarted after a crash, starts both at once), so it waits for a dispatch under way.
        dispatching = self._dispatching
        if dispatching is not None and not dispatching.done():
            await asyncio.shield(dispatching)
        context = await asyncio.to_thread(refreshed, self.context)
        try:
            await asyncio.to_thread(self.publish_feeds, context, self.clock.now())
        except Exception:
            logger.exception("feed rebuild failed; the previous feeds stay published")

    def _signature(self) -> tuple[object, ...]:
        today = self.context.day(self.clock.now())
        marks = refreshed(self.context).options.done
        return (today, self._register_digest, tuple(sorted((k, len(v)) for k, v in marks.items())))

    async def reload_if_changed(self) -> None:
        if _digest(self.context.settings.register_file) != self._register_digest:
            await self.reload("the register file changed")

    def _on_sighup(self) -> None:
        asyncio.get_running_loop().create_task(self.reload("SIGHUP"))

    async def reload(self, reason: str) -> bool:
        """Re-read the register; an invalid one is rejected and the old one keeps running."""
        path = self.context.settings.register_file
        digest = _digest(path)
        try:
            register = await asyncio.to_thread(read_register, path, self.clock.now())
        except InputError as error:
            self._register_digest = digest  # do not re-log the same bad file every 2 s
            self.reload_error = "; ".join(str(p) for p in error.problems)
            logger.error(
                "register reload (%s) rejected, keeping the previous register: %s",
                reason,
                self.reload_error,
            )
            return False
        self.context = replace(self.context, register=register)
        self._register_digest = digest
        self.reload_error = None
        logger.info("register reloaded (%s): %d models", reason, len(register.models))
        await self.rebuild_feeds_if_changed()
        return True

    # ------------------------------------------------------------------ health
    def health(self) -> dict[str, Any]:
        store_ok = True
        try:
            with self.context.store.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:
            store_ok = False
        state = {0: "stopped", 1: "running", 2: "paused"}.get(self.scheduler.state, "unknown")
        last = self.last_dispatch
        cluster = self.leadership.health()
        ok = store_ok and state == "running" and cluster["leader"] is not None
        return {
            "status": "ok" if ok else "degraded",
            "scheduler": state,
            "jobs": [
                {
                    "id": job.id,
                    "next_run": job.next_run_time.isoformat() if job.next_run_time else None,
                }
                for job in self.scheduler.get_jobs()
            ],
            "last_dispatch": None
            if last is None
            else {
                "at": last.at.isoformat(),
                "sent": last.sent,
                "failed": last.failed,
                "error": last.error,
            },
            "store": "ok" if store_ok else "unavailable",
            "register": {
                "source": self.context.register.source,
                "models": len(self.context.register.models),
                "reload_error": self.reload_error,
            },
            **cluster,
        }


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as error:
        return f"unreadable: {error}"
