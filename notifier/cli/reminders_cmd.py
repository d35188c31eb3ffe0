"""`notifier remind` and `notifier status`: send what is due now, once; show how delivery went."""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

from notifier.app import audit, delivery, feeds, health
from notifier.cli.arguments import as_of_value, context_of, instant

if TYPE_CHECKING:
    from notifier.channels.delivery import DispatchReport


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
    done = asyncio.run(delivery.run_round(context, now, dry_run=args.dry_run))
    if done.released:
        out.write(f"Retrying {done.released} reminder(s) left unfinished by a stopped process.\n")
    report = done.report
    out.write(render_report(report, now, args.dry_run))
    idle = not report.planned if args.dry_run else not (report.sent or report.failed)
    if idle and report.interrupted is None:
        out.write("".join(f"  {line}\n" for line in delivery.waiting(context, now)))
    return 0 if report.ok else 1


def render_report(report: DispatchReport, now: datetime, dry_run: bool) -> str:
    lines = [f"Reminders due at {now.isoformat(timespec='minutes')}: {report.due}"]
    if dry_run:
        for digest in report.planned:
            lines.append(
                f"  would send to {digest.recipient.address}: {len(digest.reminders)} reminder(s)"
            )
            lines += [f"    {r.item.due}  {r.step:<11} {r.item.id}" for r in digest.reminders]
        if not report.planned:
            lines.append("  nothing to send (all sent already, or none due)")
        return "\n".join(lines) + "\n"
    for email, count, message_id in report.sent:
        lines.append(f"  sent to {email}: {count} reminder(s) {message_id}")
    for email, count, error, permanent in report.failed:
        kind = "permanently failed" if permanent else "failed (will retry)"
        lines.append(f"  {kind} to {email}: {count} reminder(s): {health.reason(error)}")
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
    found = health.delivery_summary(context)
    counts = ", ".join(f"{k} {v}" for k, v in sorted(found.counts.items())) or "none yet"
    last = found.last_sent_at.isoformat(timespec="seconds") if found.last_sent_at else "never"
    smtp = context.settings.smtp
    target = (
        f"SMTP {smtp.host}:{smtp.port} ({smtp.tls})"
        if smtp.host
        else f"outbox {context.settings.outbox_dir}"
    )
    out.write(f"Delivery: {target}\nReminders: {counts}\nLast sent: {last}\n")
    for name, channel in sorted(context.settings.channels.items()):
        counted = found.by_channel.get(name, {})
        shown = ", ".join(f"{k} {v}" for k, v in sorted(counted.items())) or "none yet"
        out.write(f"Channel {name} ({channel.kind}): {shown}\n")
    token = feeds.tokens(context).get(feeds.TIMELINE_AUDIENCE)
    http = context.settings.http
    if token is None:
        out.write("Timeline JSON: no token yet; `notifier run` issues one when it starts\n")
    else:
        out.write(
            f"Timeline JSON (while `notifier run` runs): http://{http.host}:{http.port}"
            f"/timeline.json?token={token.token}\n"
        )
    out.write(f"Audit log: {audit.head(context).describe()}\n")
    if found.bounced:
        out.write(f"Permanent failures ({len(found.bounced)}), not retried:\n")
        out.write(bounce_summary(found.bounced))
    now = instant(context, args.as_of, args.now)
    state = asyncio.run(health.status(context, now, probe=True))
    running = state.cluster
    if not running.instances:
        out.write("Daemon: not running (reminders go out only when `notifier remind` runs)\n")
    else:
        leader = running.leader or "none"
        out.write(f"Daemon: {len(running.instances)} instance(s) running; leader {leader}\n")
    if state.problems:
        out.write(f"Health: degraded ({len(state.problems)} problem(s))\n")
        out.write("".join(f"  {problem}\n" for problem in state.problems))
        if not found.counts and token is None:  # nothing ever ran: say what to run
            out.write(
                "Nothing has run here yet: `notifier run` starts the daemon, which "
                "sends the reminders due and keeps them going; `notifier remind` sends once.\n"
            )
    else:
        out.write("Health: ok\n")
    return 1 if found.bounced or state.problems else 0


def bounce_summary(bounced: list[tuple[str, str, str]]) -> str:
    """Bounces per address and reason, counted: one line per (address, first line of the
    server's answer), not one per reminder, and without the exception's repr."""
    counted: dict[tuple[str, str], int] = {}
    for _key, recipient, error in bounced:
        reason = health.reason(error)
        counted[(recipient, reason)] = counted.get((recipient, reason), 0) + 1
    return "".join(
        f"  {recipient}: {count} reminder(s): {reason}\n"
        for (recipient, reason), count in sorted(counted.items())
    )
