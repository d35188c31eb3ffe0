"""`notifier changes`: the dates that moved (issue 23), why, and what a register edit would
move (`--preview --register NEW.toml`); `notifier law`: the rule data's version and changelog."""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from notifier.app import moves
from notifier.cli.arguments import context_of, date_value, require_model
from notifier.context import read_register
from notifier.core.law import load_ruleset
from notifier.core.moves import Move
from notifier.errors import InputError, Problem


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    changes = commands.add_parser(
        "changes", parents=[common], help="the due dates that moved, from what to what, and why"
    )
    changes.add_argument("--since", type=date_value, help="only moves found on or after DATE")
    changes.add_argument("--model", help="only this model's items")
    changes.add_argument("--format", choices=("table", "json"), default="table")
    changes.add_argument(
        "--preview",
        action="store_true",
        help="what the register given by --register would move, before it is saved "
        "(nothing is recorded)",
    )
    changes.set_defaults(handler=run_changes)
    law = commands.add_parser(
        "law", parents=[common], help="the rule data's version and its changelog, with sources"
    )
    law.add_argument("--format", choices=("table", "json"), default="table")
    law.set_defaults(handler=run_law)


def move_json(move: Move, found_on: str | None) -> dict[str, object]:
    return {
        "item": move.item,
        "model": move.model,
        "title": move.title,
        "old_due": move.old_due.isoformat() if move.old_due else None,
        "new_due": move.new_due.isoformat() if move.new_due else None,
        "change": move.change,
        "urgent": move.urgent,
        "cause": move.cause.as_json(),
        "found_on": found_on,
    }


def run_changes(args: argparse.Namespace, out: TextIO) -> int:
    if args.preview:
        return _preview(args, out)
    context = context_of(args)
    require_model(context.register, args.model)
    moves.detect(context, args.now)  # what this version shows first (an upgrade, say)
    found = moves.listed(context, since=args.since, model=args.model)
    rows: list[tuple[Move, str | None]] = [
        (r.move, context.day(r.found_at).isoformat()) for r in found
    ]
    _write(rows, args.format, out)
    return 0


def _preview(args: argparse.Namespace, out: TextIO) -> int:
    if args.register is None:
        raise InputError(
            [Problem("--register", "--preview needs the edited register: --register NEW.toml")]
        )
    edited = args.register
    args.register = None
    context = context_of(args, read_only=True)
    new = read_register(edited, args.now, channels=context.settings.channels)
    require_model(new, args.model)
    found = [
        m for m in moves.preview(context, new, args.now) if m.model == args.model or not args.model
    ]
    if args.format == "table":
        out.write(f"If {edited} were saved (nothing is recorded):\n")
    _write([(m, None) for m in found], args.format, out)
    return 0


def _write(rows: list[tuple[Move, str | None]], form: str, out: TextIO) -> None:
    if form == "json":
        out.write(json.dumps([move_json(m, on) for m, on in rows], indent=2) + "\n")
        return
    if not rows:
        out.write("No due date moved.\n")
        return
    for move, on in rows:
        when = f"{on}  " if on else ""
        out.write(f"{when}{move.item}: {move.describe()}\n")
        for rule, citation in move.cause.rules:
            out.write(f"    rule {rule}: {citation}\n")


def run_law(args: argparse.Namespace, out: TextIO) -> int:
    """The rule data shipped with this version: it needs no register, settings or store."""
    rules = load_ruleset()
    log = moves.changelog()
    if args.format == "json":
        entries = [e.model_dump(mode="json") for e in log.entries]
        out.write(
            json.dumps(
                {"law": rules.law, "version": rules.version, "changelog": entries},
                indent=2,
            )
            + "\n"
        )
        return 0
    out.write(f"Rule data version {rules.version}: {rules.law}\n")
    for entry in log.entries:
        out.write(f"\n{entry.version} ({entry.date.isoformat()}): {entry.summary}\n")
        if entry.rules:
            out.write(f"  rules: {', '.join(entry.rules)}\n")
        for source in entry.sources:
            out.write(f"  source: {source}\n")
    return 0
