"""`notifier watch`: check the watched sources (Code of Practice text, signatory list) once."""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TextIO

from notifier.app import delivery
from notifier.cli.arguments import as_of_value, context_of, instant
from notifier.context import Context

if TYPE_CHECKING:
    from notifier.mail.announce import Announcement
    from notifier.watch.run import SourceOutcome, WatchReport


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    watch = commands.add_parser(
        "watch",
        parents=[common],
        help="check the watched sources once; mail what changed",
        description="Fetch every source in [watch] once (a conditional GET for pages), record "
        "a change as a finding with a review item, and mail it at once. A failed fetch is "
        "recorded and never counts as a change. Exit 1 only if every source failed (or a "
        "mail could not be delivered).",
    )
    watch.add_argument(
        "--as-of",
        type=as_of_value,
        help="the instant to record (default: now); a plain date means its send_at time",
    )
    watch.set_defaults(handler=run_watch)


def run_watch(args: argparse.Namespace, out: TextIO) -> int:
    context = context_of(args)
    if not context.settings.watch.sources:
        out.write(
            "No sources to watch: add [[watch.sources]] (name, kind, url or path) to the "
            "settings; the README lists the Commission's pages.\n"
        )
        return 0
    now = instant(context, args.as_of, args.now)
    report, announced = asyncio.run(_watch(context, now))
    out.write(render_report(report, announced, context))
    failed = any(not a.delivery.ok for a in announced)
    return 1 if report.all_failed or failed else 0


async def _watch(context: Context, now: datetime) -> tuple[WatchReport, list[Announcement]]:
    report, announced = await delivery.watch_and_announce(context, now)
    assert report is not None  # checked: `check` is on
    return report, announced


def render_report(report: WatchReport, announced: list[Announcement], context: Context) -> str:
    width = max(len(o.source.name) for o in report.outcomes)
    lines = [f"Watched {len(report.outcomes)} source(s) at {report.checked_at.isoformat()}"]
    by_finding = {a.finding.id: a for a in announced}
    for outcome in report.outcomes:
        description = _describe(outcome, by_finding, context)
        lines.append(f"  {outcome.source.name:<{width}}  {description}")
    shown = {o.finding.id for o in report.outcomes if o.finding is not None}
    for announcement in announced:
        if announcement.finding.id not in shown:
            lines.append(f"  earlier change {announcement.finding.id}: {_mailed(announcement)}")
    return "\n".join(lines) + "\n"


def _describe(outcome: SourceOutcome, announced: dict[str, Announcement], context: Context) -> str:
    if outcome.status == "error":
        return f"error ({outcome.failures} in a row): {outcome.error}"
    if outcome.status == "baseline":
        return "baseline recorded (the first successful check; later checks compare with it)"
    if outcome.finding is None:
        return "unchanged"
    finding = outcome.finding
    announcement = announced.get(finding.id)
    if finding.kind == "code":
        dues = [i.due for i in announcement.items if i.due] if announcement else []
        days = context.settings.watch.review_due_days
        what = f"review due {min(dues, default=finding.detected_on + timedelta(days))}"
    else:
        what = "re-verify upstream signatory status now"
    mailed = _mailed(announcement) if announcement else "mail sent (or being sent) by another run"
    return f"CHANGED: {finding.id}, {what}; {mailed}"


def _mailed(announcement: Announcement) -> str:
    delivery = announcement.delivery
    if not announcement.items:
        return "no open item to mail"
    parts = [f"mailed {len(delivery.sent)} recipient(s)"]
    if delivery.failed:
        parts.append(f"FAILED for {len(delivery.failed)} (retried at the next check)")
    return ", ".join(parts)
