"""The daemon in this process: its jobs as scheduled, and a job run by calling it (no sleeping)."""

from __future__ import annotations

import asyncio
import gc
from datetime import datetime, timedelta

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from notifier.clock import StartedClock
from notifier.daemon import Daemon
from notifier.feeds.publish import CalendarPublisher
from tests.support.workspace import Workspace

CLOCK_START = datetime.fromisoformat("2027-07-03T09:00:30+02:00")
OWNERS = 4  # people with items due then in the example register


def test_the_daemon_schedules_its_jobs_and_a_dispatch_job_mails_each_owner_once(
    workspace: Workspace,
) -> None:
    async def scenario() -> None:
        with workspace.context() as context:
            daemon = Daemon(context, StartedClock(CLOCK_START), CalendarPublisher())
            await daemon.start()
            try:
                jobs = {job.id: job for job in daemon.scheduler.get_jobs()}
                assert set(jobs) == {
                    "dispatch",
                    "feeds",
                    "feeds-midnight",
                    "register-reload",
                    "watch",
                    "leadership",
                }
                assert daemon.leadership.leading  # alone on its store, it leads at once
                leadership = jobs["leadership"].trigger
                assert isinstance(leadership, IntervalTrigger)
                lease = context.settings.instances.lease_seconds
                assert leadership.interval == timedelta(seconds=lease / 3)
                dispatch = jobs["dispatch"].trigger
                assert isinstance(dispatch, IntervalTrigger)
                interval = context.settings.reminders.dispatch_every_seconds
                assert dispatch.interval == timedelta(seconds=interval)
                midnight = jobs["feeds-midnight"].trigger
                assert isinstance(midnight, CronTrigger)
                assert str(midnight.timezone) == "Europe/Paris"
                assert all(job.next_run_time is not None for job in jobs.values())

                await daemon.dispatch_now()
                await daemon.dispatch_now()  # a second run finds everything sent
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
