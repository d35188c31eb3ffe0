"""The daemon in this process: its jobs as scheduled, and a job run by calling it (no sleeping)."""

from __future__ import annotations

import asyncio
import gc
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from notifier.clock import StartedClock, system_now
from notifier.daemon import Daemon, register
from notifier.feeds.publish import CalendarPublisher
from tests.support.workspace import Workspace

CLOCK_START = datetime.fromisoformat("2027-07-03T09:00:30+02:00")
OWNERS = 4  # people with items due then in the example register
NEXT_STEP = datetime(2027, 7, 5, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))  # the one after it


def test_the_daemon_schedules_its_jobs_and_a_dispatch_job_mails_each_owner_once(
    workspace: Workspace,
) -> None:
    # A safety net of a week: the next step, not the net, sets the wake.
    workspace = Workspace.create(
        workspace.root, database_url=workspace.database_url, dispatch_every_seconds=604800
    )

    async def scenario() -> None:
        with workspace.context() as context:
            daemon = Daemon(context, StartedClock(CLOCK_START), CalendarPublisher())
            await daemon.start()
            try:
                jobs = {job.id: job for job in daemon.scheduler.get_jobs()}
                assert set(jobs) == {
                    "dispatch",
                    "feeds",
                    "changes",
                    "midnight",
                    "watch",
                    "leadership",
                }
                assert daemon.leadership.leading  # alone on its store, it leads at once
                leadership = jobs["leadership"].trigger
                assert isinstance(leadership, IntervalTrigger)
                lease = context.settings.instances.lease_seconds
                assert leadership.interval == timedelta(seconds=lease / 3)
                # No polling of the plan: one dispatch at start, then at the next step only.
                assert isinstance(jobs["dispatch"].trigger, DateTrigger)
                assert isinstance(jobs["feeds"].trigger, DateTrigger)
                midnight = jobs["midnight"].trigger
                assert isinstance(midnight, CronTrigger)
                assert str(midnight.timezone) == "Europe/Paris"
                assert all(job.next_run_time is not None for job in jobs.values())
                # The catch-up and the watcher's first check are due at once, not a tick later.
                for first in ("dispatch", "feeds", "watch"):
                    assert jobs[first].next_run_time <= system_now()

                await daemon.dispatch_now()
                await daemon.dispatch_now()  # a second run finds everything sent
                # It sleeps until the next step: in the example register, 5 July at 09:00.
                assert daemon.next_dispatch_at == NEXT_STEP
                job = daemon.scheduler.get_job("dispatch")
                assert job is not None
                assert isinstance(job.trigger, DateTrigger)
                ahead = job.next_run_time - system_now()  # the scheduler keeps the machine's time
                assert abs(ahead - (NEXT_STEP - daemon.clock.now())) < timedelta(seconds=5)
            finally:
                await daemon.stop()
        assert daemon.last_dispatch is not None
        assert daemon.last_dispatch.error is None

    asyncio.run(scenario())
    # Stopped while the feed build it started runs in a thread: that build must have finished
    # before the store closed, or its PostgreSQL connection is left open (a ResourceWarning
    # when collected, an error here).
    gc.collect()

    assert len(list(workspace.outbox.glob("*.eml"))) == OWNERS
    assert {row["status"] for row in workspace.ledger()} == {"sent"}


def test_without_file_change_notification_the_register_is_checked_every_few_seconds(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def unavailable(*_args: object) -> bool:
        return False  # as where inotify and the like cannot be had

    monkeypatch.setattr(register, "watch", unavailable)

    async def scenario() -> None:
        with workspace.context() as context:
            daemon = Daemon(context, StartedClock(CLOCK_START))
            await daemon.start()
            try:
                for _ in range(100):  # the watcher gives up at once; bounded all the same
                    job = daemon.scheduler.get_job("register-reload")
                    if job is not None:
                        break
                    await asyncio.sleep(0)
                assert job is not None
                assert isinstance(job.trigger, IntervalTrigger)
                assert job.trigger.interval == timedelta(seconds=register.CHECK_SECONDS)
            finally:
                await daemon.stop()

    asyncio.run(scenario())
