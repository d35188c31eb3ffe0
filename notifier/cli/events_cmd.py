"""`notifier event add|resolve|list`: facts that start clocks (incidents, requests, decisions)."""

from __future__ import annotations

import argparse
import asyncio
import json
from dataclasses import asdict, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TextIO

from notifier.cli.arguments import (
    as_of_value,
    as_options,
    checked_first,
    context_of,
    date_value,
    instant,
    require_model,
    writable,
)
from notifier.context import Context, refreshed
from notifier.core import recording
from notifier.core.events import INCIDENT_TYPES, Event, Incident
from notifier.core.items import Item
from notifier.core.recording import EventFields
from notifier.core.timeline import timeline
from notifier.errors import InputError
from notifier.store.audit import local_actor
from notifier.store.events import (
    add_event,
    load_events,
    next_event_id,
    record_event,
    recorded_kinds,
    void_event,
)

if TYPE_CHECKING:
    from notifier.mail.dispatch import DispatchReport

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


def build_event(
    args: argparse.Namespace, event_id: str, today: date, recorded: list[Event]
) -> Event:
    """The event the options describe, checked by notifier.core.recording (as the web is)."""
    try:
        return recording.build_event(args.kind, event_fields(args), event_id, today, recorded)
    except InputError as error:
        raise as_options(error.problems) from None


def run_add(args: argparse.Namespace, out: TextIO) -> int:
    context = checked_first(args)
    now = instant(context, args.as_of, args.now)
    require_model(context.register, args.model)
    recorded = load_events(context.store).events
    event = build_event(args, next_event_id(context.store, args.kind), context.day(now), recorded)
    context = writable(args, context)
    try:  # the id it keeps is allocated as it is recorded (another may have taken this one)
        event = add_event(context.store, event, actor=local_actor(), at=now)
    except InputError as error:
        raise as_options(error.problems) from None
    out.write(f"Recorded {event.id}.\n")
    return _follow_up(refreshed(context), event, now, out)


def run_resolve(args: argparse.Namespace, out: TextIO) -> int:
    context = checked_first(args)
    now = instant(context, args.as_of, args.now)
    events = load_events(context.store).events
    incident = next((e for e in events if e.id == args.event_id), None)
    if not isinstance(incident, Incident):
        raise as_options([recording.unknown_incident(args.event_id, events)])
    problems = recording.resolve_problems(incident, args.on, context.day(now))
    if problems:
        raise as_options(problems)
    resolved = replace(incident, resolved_on=args.on)
    context = writable(args, context)
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
    if not _urgent(context, items, now):
        return 0
    report = asyncio.run(_send(context, items, event.id, now))
    out.writelines(f"{line}\n" for line in _outcome(context, report))
    return 0 if report.ok else 1


def _urgent(context: Context, items: list[Item], now: datetime) -> bool:
    """Whether the owners are mailed at once: a first date within `immediate_within_days`, or
    a continuing duty such as "without undue delay" (anchor "none"), which is due now."""
    horizon = context.day(now) + timedelta(days=context.settings.reminders.immediate_within_days)
    return any(i.due is not None and i.due < horizon for i in items) or any(
        i.due is None and context.rules.rule(i.rule).due.anchor == "none" for i in items
    )


def _outcome(context: Context, report: DispatchReport) -> list[str]:
    within = context.settings.reminders.immediate_within_days
    why = f"a date within {within} days, or a duty or notice that applies now"
    lines = [
        f"Emailed {email} at once ({count} item(s)): {why}."
        for email, count, _message_id in report.sent
    ]
    lines += [
        f"Could not email {email} at once: {error}. The event is recorded; the "
        "reminders will follow on the normal schedule."
        for email, _count, error, _permanent in report.failed
    ]
    return lines


async def mail_at_once(context: Context, event: Event, now: datetime) -> list[str]:
    """What `event add` does after recording, for the web pages (composed by the serving
    commands): mail the owners at once when the event is urgent; one sentence per outcome."""
    context = await asyncio.to_thread(refreshed, context)
    items = event_items(context, event, now)
    if not _urgent(context, items, now):
        return []
    return _outcome(context, await _send(context, items, event.id, now))


async def _send(
    context: Context, items: list[Item], occasion: str, now: datetime
) -> DispatchReport:
    # The mail channel (templates, SMTP) is loaded only when an event is mailed at once.
    from notifier.mail.dispatch import send_now
    from notifier.mail.transport import transport_for

    transport = transport_for(context.settings.smtp, context.settings.outbox_dir)
    try:
        return await send_now(context, items, occasion, now, transport)
    finally:
        await transport.close()


def run_void(args: argparse.Namespace, out: TextIO) -> int:
    """Set aside an event recorded by mistake, or one an older version wrote that this one
    cannot read: audited with its reason; nothing is deleted."""
    context = checked_first(args)
    kinds = recorded_kinds(context.store)
    problems = recording.void_problems(args.event_id, args.reason, kinds)
    if problems:
        raise as_options(problems)
    now = instant(context, None, args.now)
    context = writable(args, context)
    void_event(
        context.store,
        args.event_id,
        kinds[args.event_id],
        args.reason,
        actor=local_actor(),
        at=now,
    )
    out.write(
        f"Voided {args.event_id}: its items are gone from the timeline, the feeds and the "
        "reminders; the audit log keeps the event and the reason.\n"
    )
    return 0


def run_list(args: argparse.Namespace, out: TextIO) -> int:
    context = context_of(args, read_only=True)
    loaded = load_events(context.store)
    events = loaded.events
    for unusable in loaded.unusable:
        out.write(f"{unusable.id:<22} UNREADABLE: {unusable.detail}\n")
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
