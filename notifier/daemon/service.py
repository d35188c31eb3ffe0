"""The Daemon: its jobs on an APScheduler 3.x scheduler, in the event loop of the HTTP server.

uvicorn owns SIGINT/SIGTERM and runs the app's lifespan, which starts and stops the Daemon;
the Daemon owns SIGHUP (reload the register). Shutdown order: pause the scheduler, let the
in-flight dispatch finish (bounded), shut the scheduler down, give leadership up, let work in
threads finish (bounded), close the transport and store.
The reminder ledger, not the scheduler, is the source of truth: a missed run only delays.

At rest it sleeps (see rest.py for what wakes it). The jobs that must run once across
instances (dispatch, feeds, the watcher) run only on the instance that leads
(store/leadership.py); every instance serves HTTP and campaigns for the lead.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from notifier import __version__
from notifier import clock as wallclock
from notifier.app import delivery
from notifier.channels.delivery import DispatchReport
from notifier.clock import Clock
from notifier.context import Context, read_register, refreshed
from notifier.core.days import zone
from notifier.daemon import register
from notifier.daemon.health import Health, LastDispatch
from notifier.daemon.rest import Backoff, give_back_memory, next_dispatch
from notifier.errors import InputError
from notifier.mail.transport import Transport
from notifier.store import changes, ledger, problems
from notifier.store.feeds import ensure_tokens
from notifier.store.leadership import Leadership
from notifier.web.timeline_api import TIMELINE_AUDIENCE

logger = logging.getLogger(__name__)

SHUTDOWN_GRACE_SECONDS = 30.0
CHANGE_CHECK_SECONDS = 2  # how often the leader compares the store's change signature


PublishFeeds = Callable[[Context, datetime], object]
# (context, now, me) -> the round; `notifier run` runs each in a child process (issue 22)
RunRound = Callable[[Context, datetime, str], Awaitable[delivery.Round]]


RELOAD_PROBLEMS_SHOWN = 3  # /healthz, the log and `status` show the first few, and how many


def summary(problems: Sequence[object]) -> str:
    """A rejected reload's problems, for /healthz and the log: how many, and the first few
    (`notifier check` lists them all)."""
    shown = "; ".join(str(p) for p in problems[:RELOAD_PROBLEMS_SHOWN])
    if len(problems) <= RELOAD_PROBLEMS_SHOWN:
        return shown
    more = len(problems) - RELOAD_PROBLEMS_SHOWN
    return f"{len(problems)} problems: {shown}; and {more} more (`notifier check` lists them all)"


class Daemon:
    def __init__(
        self,
        context: Context,
        clock: Clock,
        publish_feeds: PublishFeeds | None = None,
        run_round: RunRound | None = None,
    ) -> None:
        self.context = context
        self.clock = clock
        self.publish_feeds = publish_feeds  # (context, now) -> None, set by the feeds edge
        self.run_round = run_round or self._round_here  # a dispatch round: here, or a child's
        self.scheduler = AsyncIOScheduler(timezone=context.timezone)
        self.transport: Transport = delivery.transport(context)
        self.last_dispatch: LastDispatch | None = None
        self.next_dispatch_at: datetime | None = None  # on this daemon's clock
        self.reload_error: str | None = None
        self.backoff = Backoff()
        self._register_digest = register.digest(context.settings.register_file)
        self._changes: changes.Signature | None = None
        self._dispatching: asyncio.Task[None] | None = None
        self._again = False  # something changed during a dispatch: run another after it
        self._dispatch_lock = asyncio.Lock()
        self._stopping = asyncio.Event()
        self._watcher: asyncio.Task[None] | None = None
        http = context.settings.http
        self.leadership = Leadership(
            context.store,
            ledger.process_identity(),
            context.settings.instances.lease_seconds,
            f"notifier {__version__}, http {http.host}:{http.port}",
        )
        self.health = Health(self).fields  # for /healthz and the pages

    @property
    def me(self) -> str:
        return self.leadership.me

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> None:
        now = self.clock.now()
        store = self.context.store
        released = await asyncio.to_thread(ledger.release_abandoned, store, now, self.me)
        if released:
            logger.warning("released %d reminder claim(s) left by a stopped process", released)
        retried = await asyncio.to_thread(ledger.release_errors, store, now)
        if retried:
            logger.warning("retrying %d reminder(s) set aside by a defect", retried)
        await asyncio.to_thread(ensure_tokens, store, [TIMELINE_AUDIENCE], now)
        await asyncio.to_thread(self.leadership.join)
        self._changes = await asyncio.to_thread(changes.signature, store)
        first = wallclock.system_now()  # catch up at once: dispatch, then the feeds
        self._add("dispatch", DateTrigger(run_date=first))
        self._add("feeds", DateTrigger(run_date=first))
        self._add("changes", IntervalTrigger(seconds=CHANGE_CHECK_SECONDS))
        self._add("midnight", self._midnight_trigger())
        watch_every = self.context.settings.watch.every_hours
        self._add("watch", IntervalTrigger(hours=watch_every), first=first)
        self._add("leadership", IntervalTrigger(seconds=self.leadership.every))
        self.scheduler.start()
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGHUP, self._on_sighup)
        self._watcher = asyncio.create_task(self._watch_register())
        logger.info(
            "scheduler started with %d jobs; clock now %s; delivery via %s",
            len(self.scheduler.get_jobs()),
            self.clock.now().isoformat(),
            self.transport.description,
        )

    async def stop(self, grace: float = SHUTDOWN_GRACE_SECONDS) -> None:
        logger.info("stopping: no new work; waiting up to %.0f s for in-flight sends", grace)
        self._stopping.set()
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
        if self._watcher is not None:
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(self._watcher, grace)
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

    # ------------------------------------------------------------------ scheduling
    def _jobs(self) -> dict[str, Callable[[], Awaitable[None]]]:
        return {
            "dispatch": self._if_leading(self._start_dispatch),
            "feeds": self._if_leading(self.rebuild_feeds),
            "changes": self._check_changes,
            "midnight": self._midnight,
            "watch": self._if_leading(self.watch_now),
            "leadership": self._campaign,
            "register-reload": self.reload_if_changed,  # only where no notification comes
        }

    def _add(self, job_id: str, trigger: BaseTrigger, first: datetime | None = None) -> None:
        """(Re)place the job `job_id` on this trigger (first run at `first` if given); a one-off
        job replaced before it runs runs once (requests coalesce)."""
        if self._stopping.is_set():
            return
        options: dict[str, Any] = {} if first is None else {"next_run_time": first}
        self.scheduler.add_job(
            self._jobs()[job_id],
            trigger,
            id=job_id,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=None,
            **options,
        )

    def _at(self, job_id: str, instant: datetime) -> None:
        """Run the job at `instant` on this daemon's clock (which may run ahead of the
        machine's, for rehearsals: the scheduler's own is the machine's)."""
        delay = instant - self.clock.now()
        self._add(job_id, DateTrigger(run_date=wallclock.system_now() + delay))

    def _soon(self, *job_ids: str) -> None:
        for job_id in job_ids:
            self._at(job_id, self.clock.now())

    def _midnight_trigger(self) -> CronTrigger:
        # A trigger made outside the scheduler takes the machine's zone unless told otherwise.
        return CronTrigger(hour=0, minute=0, second=5, timezone=zone(self.context.timezone))

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
            self._soon("dispatch", "feeds")

    # ------------------------------------------------------------------ what wakes it
    async def _check_changes(self) -> None:
        """A done mark, an event or a finding recorded by anyone: dispatch and rebuild now."""
        if not self.leadership.leading:
            return
        try:
            found = await asyncio.to_thread(changes.signature, self.context.store)
        except Exception as error:  # the store is away: health says so; the next check retries
            logger.debug("cannot read the store's changes: %s", error)
            return
        if found != self._changes:
            self._changes = found
            logger.info("new records in the store: dispatching and rebuilding the feeds")
            self._soon("dispatch", "feeds")

    async def _midnight(self) -> None:
        """A new day: statuses change, and so may the next reminder step."""
        self._soon("dispatch", "feeds")

    async def _watch_register(self) -> None:
        """Reload when the register's folder reports a change; where no notification can be
        had, check the file every few seconds instead."""
        folder = self.context.settings.register_file.resolve().parent
        if not await register.watch(folder, self._stopping, self.reload_if_changed):
            self._add("register-reload", IntervalTrigger(seconds=register.CHECK_SECONDS))

    # ------------------------------------------------------------------ jobs
    async def _start_dispatch(self) -> None:
        """Start a round as the daemon's own task (shutdown awaits it rather than cancel it);
        asked for during a round, another follows it at once."""
        if self._dispatching is not None and not self._dispatching.done():
            self._again = True
            return
        self._dispatching = asyncio.create_task(self.dispatch_now())

    async def dispatch_now(self) -> None:
        async with self._dispatch_lock:
            self._again = False
            now = self.clock.now()
            report: DispatchReport | None = None
            try:
                done = await self.run_round(self.context, now, self.me)
                if done.released:
                    logger.warning(
                        "released %d claim(s) whose instance lease lapsed", done.released
                    )
                report = done.report
            except Exception as error:  # the daemon keeps running; the next round retries
                _log_failure("dispatch failed", error)
                detail = f"{type(error).__name__}: {error}"
                self.last_dispatch = LastDispatch(now, 0, 0, detail)
                await self._note("dispatch", f"the round failed: {detail}", now)
            else:
                sent = sum(c for _, c, _ in report.sent)
                self.last_dispatch = LastDispatch(now, sent, sum(c for _, c, _, _ in report.failed))
            give_back_memory()  # the round's timeline and plan: not kept resident (issue 22)
            await self._next_dispatch(now, report)

    async def _round_here(self, context: Context, now: datetime, me: str) -> delivery.Round:
        """A round in this process, through the daemon's own mail connection."""
        return await delivery.run_round(
            context, now, me=me, lent=self.transport, recorded_in_thread=True
        )

    async def _next_dispatch(self, now: datetime, report: DispatchReport | None) -> None:
        """Sleep until the next thing to send (rest.py), or retry at once if asked meanwhile."""
        if report is None or report.interrupted is not None:
            backoff = self.backoff.failed()
            logger.warning("next round in %.0f s", backoff)
        else:
            backoff = 0.0
            self.backoff.succeeded()
        try:
            retry = await asyncio.to_thread(ledger.next_attempt, self.context.store, now)
        except Exception:
            retry = None
        self.next_dispatch_at = next_dispatch(
            now,
            next_step=report.next_step if report is not None else None,
            next_retry=retry,
            backoff_seconds=backoff,
            most_seconds=self.context.settings.reminders.dispatch_every_seconds,
        )
        if self._again:
            self.next_dispatch_at = self.clock.now()
        self._at("dispatch", self.next_dispatch_at)
        logger.debug("next dispatch at %s", self.next_dispatch_at.isoformat())

    async def watch_now(self) -> None:
        """Check the watched Code of Practice sources; findings are recorded and mailed at once.

        A transport of its own: the dispatch's SMTP connection must not be shared mid-send."""
        if not self.context.settings.watch.sources:
            return
        try:
            report, _announced = await delivery.watch_and_announce(self.context, self.clock.now())
            for outcome in report.outcomes if report is not None else ():
                logger.info("watch %s: %s %s", outcome.source.name, outcome.status, outcome.error)
        except Exception as error:  # the daemon keeps running; the next check retries
            _log_failure("watch failed", error)
        self._soon("feeds")

    async def rebuild_feeds(self) -> None:
        if self.publish_feeds is None:
            return
        # Reminders first: a build holds the interpreter for seconds (a new leader, or a daemon
        # restarted after a crash, starts both at once), so it waits for a dispatch under way.
        dispatching = self._dispatching
        if dispatching is not None and not dispatching.done():
            await asyncio.shield(dispatching)
        now = self.clock.now()
        try:
            context = await asyncio.to_thread(refreshed, self.context)
            await asyncio.to_thread(self.publish_feeds, context, now)
        except Exception as error:
            _log_failure("feed rebuild failed; the previous feeds stay published", error)
            detail = f"the feeds could not be rebuilt: {type(error).__name__}: {error}"
            await self._note("feeds", detail, now)
            return
        await self._note("feeds", None, now)
        give_back_memory()

    async def _note(
        self, kind: problems.Kind, detail: str | None, now: datetime, *, scope: str = ""
    ) -> None:
        """Record the problem (`detail`) or clear it (None). A store that cannot take it is
        itself a problem /healthz shows."""
        try:
            if detail is None:
                await asyncio.to_thread(problems.clear, self.context.store, kind, scope=scope)
            else:
                await asyncio.to_thread(
                    problems.report, self.context.store, kind, detail, now, self.me, scope=scope
                )
        except Exception as error:  # kept in memory, where a full store cannot lose it
            self.leadership.write_failed(f"the {kind} problem could not be recorded", error)

    async def reload_if_changed(self) -> None:
        if register.digest(self.context.settings.register_file) != self._register_digest:
            await self.reload("the register file changed")

    def _on_sighup(self) -> None:
        asyncio.get_running_loop().create_task(self.reload("SIGHUP"))

    async def reload(self, reason: str) -> bool:
        """Re-read the register; an invalid one is rejected and the old one keeps running."""
        path = self.context.settings.register_file
        digest = register.digest(path)
        now = self.clock.now()
        try:
            loaded = await asyncio.to_thread(
                partial(read_register, path, now, channels=self.context.settings.channels)
            )
        except InputError as error:
            self._register_digest = digest  # do not re-log the same bad file at each change
            self.reload_error = summary(error.problems)
            logger.error(
                "register reload (%s) rejected, keeping the previous register: %s",
                reason,
                self.reload_error,
            )
            detail = f"the register was not reloaded ({reason}), the previous one runs: "
            await self._note("reload", detail + self.reload_error, now, scope=self.me)
            return False
        zone_before = self.context.timezone
        self.context = replace(self.context, register=loaded)
        self._register_digest = digest
        self.reload_error = None
        await self._note("reload", None, now, scope=self.me)
        logger.info("register reloaded (%s): %d models", reason, len(loaded.models))
        if self.context.timezone != zone_before:
            self._add("midnight", self._midnight_trigger())
        self._soon("dispatch", "feeds")
        return True


def _log_failure(what: str, error: Exception) -> None:
    """An explained failure (a full store, a lost connection: health says it too) in one line;
    anything else with its traceback."""
    line = problems.explained(error)
    if line is None:
        logger.exception(what)
    else:
        logger.error("%s: %s", what, line)
