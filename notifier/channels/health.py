"""What a dispatch round tells about health, recorded in the store (notifier.store.problems) by
`notifier remind` and the daemon alike; and the problems as /healthz and `notifier status` show
them.

- dispatch: the last round failed, was cut short, or left reminders to retry;
- mail: the mail server could not be reached (cleared once a message goes through);
- channel: a chat or webhook channel could not take messages (one per channel, named, never
  its URL; cleared once a message goes through it);
- unsent: reminders whose instant has passed are not delivered; a problem once the oldest is
  `reminders.alert_after_minutes` late;
- unusable: a model, an event or the organisation whose items could not be computed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime, timedelta

from notifier.channels.delivery import DispatchReport, channel_of
from notifier.channels.email import EMAIL
from notifier.channels.reasons import plain_reason
from notifier.store import problems
from notifier.store.engine import Store
from notifier.store.problems import HealthProblem, channel_scope

NO_LEADER = "no instance leads: reminders and feeds wait for one"  # the `leader` problem


def record_round(store: Store, report: DispatchReport, now: datetime, by: str) -> None:
    """Record what this round found, and clear what it showed to be over."""
    for name, error in report.outages.items():
        if name == EMAIL:
            reason = plain_reason(error)
            problems.report(store, "mail", f"the mail server cannot be reached: {reason}", now, by)
        else:
            detail = f"channel '{name}' cannot take messages: {plain_reason(error)}"
            problems.report(store, "channel", detail, now, by, scope=channel_scope(name))
    for name in {channel_of(address) for address, _count, _id in report.sent}:
        if name not in report.outages:  # a message went through: the channel takes them
            if name == EMAIL:
                problems.clear(store, "mail")
            else:
                problems.clear(store, "channel", scope=channel_scope(name))
    if report.outages:
        names = ", ".join(sorted(report.outages))
        early = (
            f"the last round left channel(s) {names}: {report.left} reminder(s) wait for the "
            "next one"
        )
        problems.report(store, "dispatch", early, now, by)
    else:
        if report.failed:
            retried = [f for f in report.failed if not f[3]]
            bounced = [f for f in report.failed if f[3]]
            first = (retried or bounced)[0]
            detail = (
                f"the last round could not deliver {len(retried)} digest(s) (retried later) "
                f"and {len(bounced)} (permanently); first: {first[0]}: {plain_reason(first[2])}"
            )
            problems.report(store, "dispatch", detail, now, by)
        else:
            problems.clear(store, "dispatch")
    record_plan(store, report, now, by)


def record_plan(store: Store, report: DispatchReport, now: datetime, by: str) -> None:
    """The problems the plan itself shows: unusable models or events, reminders left unsent."""
    found = {problem.kind: problem for problem in plan_problems(report, now)}
    for kind in PLAN_KINDS:
        problem = found.get(kind)
        if problem is None:
            problems.clear(store, kind)
        else:
            since = problem.since if kind == "unsent" else None  # else: when it began
            problems.report(store, kind, problem.detail, now, by, since=since)


PLAN_KINDS: tuple[problems.Kind, ...] = ("unusable", "unsent")


def plan_problems(report: DispatchReport, now: datetime) -> list[HealthProblem]:
    """Unusable models or events, and reminders left unsent, as a round (or a dry run) saw them."""
    found = []
    if report.unusable:
        found.append(HealthProblem("unusable", now, "; ".join(report.unusable)))
    if report.unsent_since is not None:
        by_channel = ", ".join(f"{n} {c}" for n, c in sorted(report.unsent_by_channel.items()))
        detail = (
            f"{report.unsent} reminder(s) due since "
            f"{report.unsent_since.isoformat(timespec='minutes')} not delivered yet"
            + (f" ({by_channel})" if by_channel else "")
        )
        found.append(HealthProblem("unsent", report.unsent_since, detail))
    return found


def current(
    store: Store, now: datetime, alert_after_minutes: int, live: Collection[str] | None = None
) -> list[HealthProblem]:
    """The problems recorded that count at `now` (see `counting`); an instance's own problem
    only while that instance runs (`live`: the ids of the running instances)."""
    return counting(problems.recorded(store, live), now, alert_after_minutes)


def counting(
    found: Iterable[HealthProblem], now: datetime, alert_after_minutes: int
) -> list[HealthProblem]:
    """The problems that count at `now`: unsent reminders only once the oldest is
    `alert_after_minutes` late, every other kind at once."""
    late = now - timedelta(minutes=alert_after_minutes)
    return [problem for problem in found if problem.kind != "unsent" or problem.since <= late]
