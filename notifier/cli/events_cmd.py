"""`notifier event add|resolve|list`: facts that start clocks (incidents, requests, decisions)."""

from __future__ import annotations

import argparse
import asyncio
import json
from dataclasses import asdict
from datetime import date, datetime
from typing import Any, TextIO

from notifier.app import events
from notifier.app.audit import local_actor
from notifier.cli.arguments import (
    as_of_value,
    as_options,
    context_of,
    date_value,
    instant,
)
from notifier.context import Context
from notifier.core import recording
from notifier.core.events import INCIDENT_TYPES, Event
from notifier.core.recording import EventFields
from notifier.errors import InputError

KINDS = recording.EVENT_KINDS


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

    void = actions.add_parser(
        "void", parents=[common], help="set aside an event recorded by mistake (audited)"
    )
    void.add_argument("event_id", metavar="EVENT_ID")
    void.add_argument("--reason", required=True, help="why, for the audit log")
    void.set_defaults(handler=run_void)

    listing = actions.add_parser("list", parents=[common], help="recorded events")
    listing.add_argument("--format", choices=("table", "json"), default="table")
    listing.set_defaults(handler=run_list)


def event_fields(args: argparse.Namespace) -> EventFields:
    return EventFields(
        model=args.model,
        type=args.type,
        aware_on=args.aware_on,
        received_on=args.received_on,
        period_days=args.period_days,
        due=args.due,
        sent_on=args.sent_on,
        decided_on=args.decided_on,
        requester=args.requester,
        reference=args.reference,
    )


def run_add(args: argparse.Namespace, out: TextIO) -> int:
    context = context_of(args)
    now = instant(context, args.as_of, args.now)
    try:
        event = events.add(context, args.kind, event_fields(args), now=now, actor=local_actor())
    except InputError as error:
        raise as_options(error.problems) from None
    out.write(f"Recorded {event.id}.\n")
    return _follow_up(context, event, now, out)


def run_resolve(args: argparse.Namespace, out: TextIO) -> int:
    context = context_of(args)
    now = instant(context, args.as_of, args.now)
    try:
        resolved = events.resolve(context, args.event_id, args.on, now=now, actor=local_actor())
    except InputError as error:
        raise as_options(error.problems) from None
    out.write(f"Recorded {resolved.id} resolved on {args.on}.\n")
    return _follow_up(context, resolved, now, out)


def _follow_up(context: Context, event: Event, now: datetime, out: TextIO) -> int:
    """Show what the event starts; the owners are told at once if the first date is close."""
    after = asyncio.run(events.tell_owners(context, event, now))
    for item in after.items:
        due = item.due.isoformat() if item.due else "no date"
        out.write(f"  {due:<10}  {item.id}: {item.title} ({item.citation})\n")
    out.writelines(f"{line}\n" for line in after.lines)
    return 0 if after.ok else 1


def run_void(args: argparse.Namespace, out: TextIO) -> int:
    """Set aside an event recorded by mistake, or one an older version wrote that this one
    cannot read: audited with its reason; nothing is deleted."""
    context = context_of(args)
    now = instant(context, None, args.now)
    try:
        events.void(context, args.event_id, args.reason, now=now, actor=local_actor())
    except InputError as error:
        raise as_options(error.problems) from None
    out.write(
        f"Voided {args.event_id}: its items are gone from the timeline, the feeds and the "
        "reminders; the audit log keeps the event and the reason.\n"
    )
    return 0


def run_list(args: argparse.Namespace, out: TextIO) -> int:
    context = context_of(args, read_only=True)
    loaded = events.recorded_events(context)
    found = loaded.events
    for unusable in loaded.unusable:
        out.write(f"{unusable.id:<22} UNREADABLE: {unusable.detail}\n")
    if args.format == "json":
        rows = [
            {k: v.isoformat() if isinstance(v, date) else v for k, v in asdict(e).items()}
            for e in found
        ]
        json.dump(rows, out, indent=2)
        out.write("\n")
        return 0
    for event in found:
        fields = {k: v for k, v in asdict(event).items() if k not in ("id", "kind") and v}
        out.write(f"{event.id:<22} " + ", ".join(f"{k}={v}" for k, v in fields.items()) + "\n")
    if not found:
        out.write("No events recorded.\n")
    return 0
