"""What is wrong: the problems recorded by whoever found them, and the plan's own, judged at
an instant. One home for `notifier status` and the daemon's /healthz."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from notifier.app.delivery import run_round
from notifier.channels.reasons import plain_reason
from notifier.context import Context
from notifier.store import leases, ledger
from notifier.store.leases import Cluster
from notifier.store.ledger import LedgerSummary
from notifier.store.problems import HealthProblem, write_problem

# A delivery failure as the faces show it (a bounce, a failed digest): the channels' wording.
reason = plain_reason


def no_leader() -> str:
    """The `leader` problem's text."""
    from notifier.channels.health import NO_LEADER

    return NO_LEADER


def delivery_summary(context: Context) -> LedgerSummary:
    """The ledger's counts by status, the last delivery, the permanent failures."""
    return ledger.summary(context.store)


def recorded(
    context: Context, now: datetime, live: Collection[str] | None = None
) -> list[HealthProblem]:
    """The recorded problems that count at `now` (an instance's own while it runs: `live`)."""
    from notifier.channels.health import current

    alert = context.settings.reminders.alert_after_minutes
    return current(context.store, now, alert, live)


@dataclass(frozen=True)
class Status:
    """How things stand at an instant: the instances running, and every problem."""

    cluster: Cluster
    problems: list[HealthProblem]

    @property
    def ok(self) -> bool:
        return not self.problems


async def status(context: Context, now: datetime, *, probe: bool = False) -> Status:
    """What /healthz would say at `now`: the problems recorded by the daemon or `notifier
    remind`, with the plan's own (unusable models or events, reminders left unsent) judged
    afresh by a dry run, which plans and reads the ledger, and sends and records nothing.
    With `probe`, whether the store takes a write is tried too (a row written and deleted):
    the daemon keeps that problem in its own memory, since a full store cannot record it."""
    from notifier.channels import health

    running = leases.cluster(context.store)
    found: list[HealthProblem] = []
    if running.instances and running.leader is None:
        found.append(HealthProblem("leader", now, health.NO_LEADER))
    if probe and not context.store.transient:
        unwritable = write_problem(context.store, f"status {ledger.process_identity()}", now)
        if unwritable is not None:
            found.append(HealthProblem("store", now, f"the store cannot be written ({unwritable})"))
    live = {lease.holder for lease in running.instances}
    found += [p for p in recorded(context, now, live) if p.kind not in health.PLAN_KINDS]
    planned = (await run_round(context, now, dry_run=True)).report
    alert = context.settings.reminders.alert_after_minutes
    found += health.counting(health.plan_problems(planned, now), now, alert)
    return Status(running, found)
