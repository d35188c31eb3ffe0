"""`notifier event add|resolve|list`: facts that start clocks (incidents, requests, decisions)."""

from __future__ import annotations

import argparse
import asyncio
import json
from dataclasses import asdict, replace
from datetime import date, datetime, timedelta
from typing import Any, TextIO

from notifier.cli.arguments import as_of_value, context_of, date_value, instant, require_model
from notifier.context import Context, refreshed
from notifier.core.events import (
    INCIDENT_TYPES,
    CommissionRequest,
    DesignationDecision,
    DownstreamRequest,
    Event,
    Incident,
    NotificationSent,
)
from notifier.core.items import Item
from notifier.core.timeline import timeline
from notifier.errors import InputError, Problem
from notifier.mail.dispatch import DispatchReport, send_now
from notifier.mail.transport import transport_for
from notifier.store.audit import local_actor
from notifier.store.events import load_events, next_event_id, record_event

KINDS = ("incident", "downstream-request", "commission-request", "notification", "designation")


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    event = commands.add_parser("event", help="record and list events that start deadlines")
    actions = event.add_subparsers(dest="event_action", required=True, metavar="ACTION")
    add = actions.add_parser("add", parents=[common], help="record an event")
    add.add_argument("kind", choices=KINDS)
    add.add_argument("--model", help="the model concerned (optional for commission-request)")
    add.add_argument("--type", choices=INCIDENT_TYPES, help="incident: the kind of harm")
    add.add_argument(
        "--aware-on", type=date_value, help="incident: aware of the model's involvement"
    )
    add.add_argument("--received-on", type=date_value, help="requests: the day received")
    add.add_argument("--period-days", type=int, help="commission-request: the period it sets")
    add.add_argument("--due", type=date_value, help="commission-request: the date it sets")
    add.add_argument("--sent-on", type=date_value, help="notification: the day it was sent")
    add.add_argument("--decided-on", type=date_value, help="designation: the decision's date")
    add.add_argument("--requester", default="", help="downstream-request: who asked")
    add.add_argument("--reference", default="", help="commission-request: its reference")
    add.add_argument("--as-of", type=as_of_value, help="the instant of recording (default: now)")
    add.set_defaults(handler=run_add)

    resolve = actions.add_parser("resolve", parents=[common], help="record an incident resolved")
    resolve.add_argument("event_id", metavar="INCIDENT_ID")
    resolve.add_argument("--on", type=date_value, required=True, help="corrective measures adopted")
    resolve.add_argument("--as-of", type=as_of_value, help="the instant of recording")
    resolve.set_defaults(handler=run_resolve)

    listing = actions.add_parser("list", parents=[common], help="recorded events")
    listing.add_argument("--format", choices=("table", "json"), default="table")
    listing.set_defaults(handler=run_list)


def _require(args: argparse.Namespace, *names: str) -> list[Problem]:
    return [
        Problem(f"--{n.replace('_', '-')}", f"required for 'event add {args.kind}'")
        for n in names
        if getattr(args, n) is None
    ]


def build_event(args: argparse.Namespace, event_id: str, today: date) -> Event:
    needs = {
        "incident": ("model", "type", "aware_on"),
        "downstream-request": ("model", "received_on"),
        "commission-request": ("received_on",),
        "notification": ("model", "sent_on"),
        "designation": ("model", "decided_on"),
    }[args.kind]
    problems = _require(args, *needs)
    for name in ("aware_on", "received_on", "sent_on", "decided_on"):
        value = getattr(args, name)
        if value is not None and value > today:
            problems.append(
                Problem(
                    f"--{name.replace('_', '-')}",
                    f"{value} is later than today ({today}); record events that have happened",
                )
            )
    if args.kind == "commission-request" and (args.period_days is None) == (args.due is None):
        problems.append(
            Problem(
                "--period-days/--due",
                "give the period the request sets, as --period-days N or --due DATE (one of them)",
            )
        )
    if problems:
        raise InputError(problems)
    if args.kind == "incident":
        return Incident(event_id, args.model, args.type, args.aware_on)
    if args.kind == "downstream-request":
        return DownstreamRequest(event_id, args.model, args.received_on, args.requester)
    if args.kind == "commission-request":
        due = args.due or args.received_on + timedelta(days=args.period_days)
        if due < args.received_on:
            raise InputError([Problem("--due", f"{due} is before --received-on")])
        return CommissionRequest(event_id, args.model, args.received_on, due, args.reference)
    if args.kind == "notification":
        return NotificationSent(event_id, args.model, args.sent_on)
    return DesignationDecision(event_id, args.model, args.decided_on)


def run_add(args: argparse.Namespace, out: TextIO) -> int:
    context = context_of(args)
    now = instant(context, args.as_of, args.now)
    require_model(context.register, args.model)
    event = build_event(args, next_event_id(context.store, args.kind), context.day(now))
    record_event(context.store, event, actor=local_actor(), at=now)
    out.write(f"Recorded {event.id}.\n")
    return _follow_up(refreshed(context), event, now, out)


def run_resolve(args: argparse.Namespace, out: TextIO) -> int:
    context = context_of(args)
    now = instant(context, args.as_of, args.now)
    found = {e.id: e for e in load_events(context.store)}
    incident = found.get(args.event_id)
    if not isinstance(incident, Incident):
        known = ", ".join(i for i, e in found.items() if isinstance(e, Incident)) or "none"
        raise InputError(
            [Problem("INCIDENT_ID", f"no incident '{args.event_id}' (recorded incidents: {known})")]
        )
    today = context.day(now)
    if args.on < incident.aware_on or args.on > today:
        raise InputError(
            [
                Problem(
                    "--on",
                    f"{args.on} must lie between the awareness date "
                    f"({incident.aware_on}) and today ({today})",
                )
            ]
        )
    resolved = replace(incident, resolved_on=args.on)
    record_event(context.store, resolved, actor=local_actor(), at=now, action="event-resolve")
    out.write(f"Recorded {incident.id} resolved on {args.on}.\n")
    return _follow_up(refreshed(context), resolved, now, out)


def event_items(context: Context, event: Event, now: datetime) -> list[Item]:
    result = timeline(context.register, context.rules, context.day(now), context.options)
    return [i for i in result.all_items() if i.event == event.id and i.status != "done"]


def _follow_up(context: Context, event: Event, now: datetime, out: TextIO) -> int:
    """Show what the event starts; mail the owners at once if the first date is close."""
    items = event_items(context, event, now)
    for item in items:
        due = item.due.isoformat() if item.due else "no date"
        out.write(f"  {due:<10}  {item.id}: {item.title} ({item.citation})\n")
    within = context.settings.reminders.immediate_within_days
    horizon = context.day(now) + timedelta(days=within)
    soon = [i for i in items if i.due is not None and i.due < horizon]
    # A continuing duty such as "without undue delay" (anchor "none") is due now.
    at_once = [
        i for i in items if i.due is None and context.rules.rule(i.rule).due.anchor == "none"
    ]
    if not soon and not at_once:
        return 0
    report = asyncio.run(_send(context, items, event.id, now))
    for email, count, _message_id in report.sent:
        out.write(
            f"Emailed {email} at once ({count} item(s)): the first date is within {within} days.\n"
        )
    for email, _count, error, _permanent in report.failed:
        out.write(
            f"Could not email {email} at once: {error}. The event is recorded; the "
            "reminders will follow on the normal schedule.\n"
        )
    return 0 if report.ok else 1


async def _send(
    context: Context, items: list[Item], occasion: str, now: datetime
) -> DispatchReport:
    transport = transport_for(context.settings.smtp, context.settings.outbox_dir)
    try:
        return await send_now(context, items, occasion, now, transport)
    finally:
        await transport.close()


def run_list(args: argparse.Namespace, out: TextIO) -> int:
    context = context_of(args, read_only=True)
    events = load_events(context.store)
    if args.format == "json":
        rows = [
            {k: v.isoformat() if isinstance(v, date) else v for k, v in asdict(e).items()}
            for e in events
        ]
        json.dump(rows, out, indent=2)
        out.write("\n")
        return 0
    for event in events:
        fields = {k: v for k, v in asdict(event).items() if k not in ("id", "kind") and v}
        out.write(f"{event.id:<22} " + ", ".join(f"{k}={v}" for k, v in fields.items()) + "\n")
    if not events:
        out.write("No events recorded.\n")
    return 0
