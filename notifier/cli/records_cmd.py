"""`notifier done` and `notifier audit`: what the user records, and the trail it leaves."""

from __future__ import annotations

import argparse
import json
import re
from datetime import time
from functools import partial
from typing import Any, TextIO

from notifier.app import records
from notifier.app.audit import entries, local_actor
from notifier.cli.arguments import as_options, checked_first, context_of, date_value, writable
from notifier.cli.audit_cmd import head_value, head_without_verify, run_verify
from notifier.core.days import local_instant, zone
from notifier.errors import InputError


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    done = commands.add_parser("done", parents=[common], help="record that an item is met")
    done.add_argument("item_id", metavar="ITEM_ID", help="as shown by `notifier timeline`")
    done.add_argument("--on", type=date_value, help="the day it was met (default: today)")
    done.add_argument("--note", default="", help="what was done, for the audit log")
    done.add_argument(
        "--evidence-url",
        default="",
        metavar="URL",
        help="where the evidence is kept (a web address)",
    )
    done.add_argument(
        "--next",
        action="store_true",
        help="a recurring item: also close its open occurrence when it is not yet due",
    )
    done.set_defaults(handler=run_done)

    audit = commands.add_parser("audit", parents=[common], help="the append-only audit log")
    audit.add_argument(
        "verify",
        nargs="?",
        choices=("verify",),
        help="walk the hash chain; exit 1 naming the first entry changed, removed or inserted",
    )
    audit.add_argument(
        "--head",
        metavar="HASH",
        type=head_value,
        help="with verify: a head hash from a pack or `notifier status` the log must still hold",
    )
    audit.add_argument("--since", type=date_value, help="only entries from this day on")
    audit.add_argument("--format", choices=("table", "json"), default="table")
    audit.set_defaults(handler=run_audit)


def run_done(args: argparse.Namespace, out: TextIO) -> int:
    context = checked_first(args)  # a refused mark creates no store
    try:
        recorded = records.done(
            context,
            args.item_id,
            now=args.now,
            actor=local_actor(),
            on=args.on,
            note=args.note,
            evidence_url=args.evidence_url,
            allow_next=args.next,
            writable=partial(writable, args),
        )
    except InputError as error:
        raise as_options(error.problems) from None
    out.write(recorded.message + "\n")
    return 0


def run_audit(args: argparse.Namespace, out: TextIO) -> int:
    context = context_of(args, read_only=True)
    if args.verify:
        return run_verify(context, args.head, out)
    if args.head is not None:
        raise head_without_verify()
    since = None
    if args.since is not None:
        since = local_instant(args.since, time(), context.timezone)
    found = entries(context, since)
    if args.format == "json":
        json.dump(
            [
                {
                    "at": e.at.isoformat(),
                    "actor": e.actor,
                    "action": e.action,
                    "subject": e.subject,
                    "detail": e.detail,
                }
                for e in found
            ],
            out,
            indent=2,
        )
        out.write("\n")
        return 0
    for e in found:
        at = e.at.astimezone(zone(context.timezone)).isoformat(timespec="seconds")
        actor, action, subject, detail = map(shown, (e.actor, e.action, e.subject, e.detail))
        out.write(f"{at}  {actor:<24}  {action:<8}  {subject}  {detail}\n")
    if not found:
        out.write("The audit log is empty.\n")
    return 0


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def shown(text: str) -> str:
    """Text from the store as one terminal line: a line break or an escape sequence recorded
    by an older version cannot forge a second entry or recolour the terminal."""
    return _CONTROL.sub(lambda match: repr(match.group())[1:-1], text)
