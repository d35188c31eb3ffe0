"""`notifier remind` and `notifier status`: send what is due now, once; show how delivery went."""

from __future__ import annotations

import argparse
import asyncio
import re
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

from notifier.cli.arguments import as_of_value, context_of, instant
from notifier.context import Context
from notifier.store import audit, leases, ledger
from notifier.store.feeds import TIMELINE_AUDIENCE, feed_records
from notifier.store.problems import HealthProblem, write_problem

if TYPE_CHECKING:
    from notifier.mail.dispatch import DispatchReport


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    remind = commands.add_parser(
        "remind", parents=[common], help="send every reminder due at that instant, once"
    )
    remind.add_argument(
        "--as-of",
        type=as_of_value,
        help="instant (default: now); a plain date means its send_at time",
    )
    remind.add_argument(
        "--dry-run", action="store_true", help="print what would be sent; send and record nothing"
    )
    remind.set_defaults(handler=run_remind)

    status = commands.add_parser(
        "status",
        parents=[common],
        help="delivery and health: what was sent, what is wrong (exit 1 when degraded)",
    )
    status.add_argument(
        "--as-of",
        type=as_of_value,
        help="judge health at this instant (default: now); a plain date means its send_at time",
    )
    status.set_defaults(handler=run_status)


def run_remind(args: argparse.Namespace, out: TextIO) -> int:
    context = context_of(args)
    now = instant(context, args.as_of, args.now)
    report = asyncio.run(_remind(context, now, args.dry_run, out))
    out.write(render_report(report, now, args.dry_run))
    idle = not report.planned if args.dry_run else not (report.sent or report.failed)
    if idle and report.interrupted is None:
        out.write(waiting(context, now))
    return 0 if report.ok else 1


def waiting(context: Context, now: datetime) -> str:
    """What "nothing to send" leaves out: reminders that wait for a retry, are being sent by
    another process, or were superseded by a newer step of the same item."""
    counts = ledger.summary(context.store).counts
    lines = []
    if counts.get("failed"):
        retry = ledger.next_attempt(context.store, now)
        when = f", the next at {retry.isoformat(timespec='minutes')}" if retry else ""
        lines.append(f"  {counts['failed']} reminder(s) wait for a retry{when}")
    if counts.get("claimed"):
        lines.append(f"  {counts['claimed']} reminder(s) are being sent by another process")
    if counts.get("superseded"):
        lines.append(
            f"  {counts['superseded']} reminder(s) superseded by a newer step of the same item "
            "(not sent)"
        )
    if counts.get("bounced"):
        lines.append(f"  {counts['bounced']} reminder(s) bounced (`notifier status` lists them)")
    return "".join(f"{line}\n" for line in lines)


async def _remind(context: Context, now: datetime, dry_run: bool, out: TextIO) -> DispatchReport:
    # The mail channel: only the commands that plan or send reminders load it.
    from notifier.mail.dispatch import dispatch
    from notifier.mail.health import record_round
    from notifier.mail.transport import transport_for

    me = ledger.process_identity()
    if not dry_run:
        released = ledger.release_abandoned(context.store, now, me)
        if released:
            out.write(f"Retrying {released} reminder(s) left unfinished by a stopped process.\n")
    transport = transport_for(context.settings.smtp, context.settings.outbox_dir)
    try:
        report = await dispatch(context, now, transport, dry_run=dry_run, me=me)
    finally:
        await transport.close()
    if not dry_run:
        record_round(context.store, report, now, me)
    return report


def render_report(report: DispatchReport, now: datetime, dry_run: bool) -> str:
    lines = [f"Reminders due at {now.isoformat(timespec='minutes')}: {report.due}"]
    if dry_run:
        for digest in report.planned:
            lines.append(
                f"  would send to {digest.recipient.email}: {len(digest.reminders)} reminder(s)"
            )
            lines += [f"    {r.item.due}  {r.step:<11} {r.item.id}" for r in digest.reminders]
        if not report.planned:
            lines.append("  nothing to send (all sent already, or none due)")
        return "\n".join(lines) + "\n"
    for email, count, message_id in report.sent:
        lines.append(f"  sent to {email}: {count} reminder(s) {message_id}")
    for email, count, error, permanent in report.failed:
        kind = "permanently failed" if permanent else "failed (will retry)"
        lines.append(f"  {kind} to {email}: {count} reminder(s): {error}")
    if report.interrupted is not None:
        lines.append(
            f"  stopped: the mail server cannot be reached ({report.interrupted}); "
            f"{report.left} other reminder(s) are sent by the next run"
        )
    elif not report.sent and not report.failed:
        lines.append("  nothing to send (all sent already, or none due)")
    return "\n".join(lines) + "\n"


def run_status(args: argparse.Namespace, out: TextIO) -> int:
    context = context_of(args, read_only=True)
    found = ledger.summary(context.store)
    counts = ", ".join(f"{k} {v}" for k, v in sorted(found.counts.items())) or "none yet"
    last = found.last_sent_at.isoformat(timespec="seconds") if found.last_sent_at else "never"
    smtp = context.settings.smtp
    target = (
        f"SMTP {smtp.host}:{smtp.port} ({smtp.tls})"
        if smtp.host
        else f"outbox {context.settings.outbox_dir}"
    )
    out.write(f"Delivery: {target}\nReminders: {counts}\nLast sent: {last}\n")
    token = feed_records(context.store).get(TIMELINE_AUDIENCE)
    http = context.settings.http
    if token is None:
        out.write("Timeline JSON: no token yet; `notifier run` issues one when it starts\n")
    else:
        out.write(
            f"Timeline JSON (while `notifier run` runs): http://{http.host}:{http.port}"
            f"/timeline.json?token={token.token}\n"
        )
    out.write(f"Audit log: {audit.head(context.store).describe()}\n")
    if found.bounced:
        out.write(f"Permanent failures ({len(found.bounced)}), not retried:\n")
        out.write(bounce_summary(found.bounced))
    now = instant(context, args.as_of, args.now)
    problems = asyncio.run(_health(context, now, out))
    if problems:
        out.write(f"Health: degraded ({len(problems)} problem(s))\n")
        out.write("".join(f"  {problem}\n" for problem in problems))
        if not found.counts and token is None:  # nothing ever ran: say what to run
            out.write(
                "Nothing has run here yet: `notifier run` starts the daemon, which "
                "sends the reminders due and keeps them going; `notifier remind` sends once.\n"
            )
    else:
        out.write("Health: ok\n")
    return 1 if found.bounced or problems else 0


def bounce_summary(bounced: list[tuple[str, str, str]]) -> str:
    """Bounces per address and reason, counted: one line per (address, first line of the
    server's answer), not one per reminder, and without the exception's repr."""
    counted: dict[tuple[str, str], int] = {}
    for _key, recipient, error in bounced:
        reason = _reason(error)
        counted[(recipient, reason)] = counted.get((recipient, reason), 0) + 1
    return "".join(
        f"  {recipient}: {count} reminder(s): {reason}\n"
        for (recipient, reason), count in sorted(counted.items())
    )


def _reason(error: str) -> str:
    """The server's answer, without a Python exception's repr around it, on one line, short."""
    text = " ".join(error.split())
    # SMTPRecipientRefused(550, '5.1.1 ...', 'to'), SMTPResponseException((550, b'...')) ...
    match = re.search(r"\((\d{3}), b?'([^']*)'", text) or re.search(r'\((\d{3}), b?"([^"]*)"', text)
    if match:
        text = f"{match.group(1)} {match.group(2)}"
    return text[:200] or "no reason given"


async def _health(context: Context, now: datetime, out: TextIO) -> list[HealthProblem]:
    """What /healthz would say: the problems recorded by the daemon or `notifier remind`, with
    the plan's own (unusable models or events, reminders left unsent) judged afresh at `now`."""
    from notifier.mail import health
    from notifier.mail.dispatch import dispatch
    from notifier.mail.transport import transport_for

    running = leases.cluster(context.store)
    found: list[HealthProblem] = []
    if not running.instances:
        out.write("Daemon: not running (reminders go out only when `notifier remind` runs)\n")
    else:
        leader = running.leader or "none"
        out.write(f"Daemon: {len(running.instances)} instance(s) running; leader {leader}\n")
        if running.leader is None:
            found.append(HealthProblem("leader", now, health.NO_LEADER))
    unwritable = write_problem(context.store, f"status {ledger.process_identity()}", now)
    if unwritable is not None:  # the daemon keeps this one in memory: it cannot be recorded
        found.append(HealthProblem("store", now, f"the store cannot be written ({unwritable})"))
    live = {lease.holder for lease in running.instances}
    alert = context.settings.reminders.alert_after_minutes
    found += [
        p
        for p in health.current(context.store, now, alert, live)
        if p.kind not in health.PLAN_KINDS
    ]
    transport = transport_for(context.settings.smtp, context.settings.outbox_dir)
    try:  # a dry run: plans and reads the ledger, sends and records nothing
        report = await dispatch(context, now, transport, dry_run=True)
    finally:
        await transport.close()
    return found + health.counting(health.plan_problems(report, now), now, alert)
