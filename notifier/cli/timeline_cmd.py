"""`notifier check` and `notifier timeline`: read-only views of the register's obligations."""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from notifier.app import moves
from notifier.cli.arguments import as_of_value, context_of, require_model
from notifier.context import Context
from notifier.core.timeline import timeline
from notifier.core.views.text import check_summary, timeline_table
from notifier.core.views.timeline_json import timeline_json


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    check = commands.add_parser(
        "check", parents=[common], help="validate settings and register; print a summary"
    )
    check.add_argument("--as-of", type=as_of_value, help="date to evaluate (default: today)")
    check.set_defaults(handler=run_check)

    show = commands.add_parser("timeline", parents=[common], help="every dated obligation")
    show.add_argument("--as-of", type=as_of_value, help="date to evaluate (default: today)")
    show.add_argument("--model", help="only this model's items")
    show.add_argument("--format", choices=("table", "json"), default="table")
    show.set_defaults(handler=run_timeline)


def run_check(args: argparse.Namespace, out: TextIO) -> int:
    context = context_of(args, read_only=True)
    as_of = args.as_of or context.day(args.now)
    result = timeline(context.register, context.rules, as_of, context.options)
    out.write(check_summary(context.register, result))
    _upgrade_note(context, args, out)
    return 0


def run_timeline(args: argparse.Namespace, out: TextIO) -> int:
    context = context_of(args, read_only=True)
    require_model(context.register, args.model)
    as_of = args.as_of or context.day(args.now)
    result = timeline(context.register, context.rules, as_of, context.options)
    if args.format == "json":
        data = timeline_json(result, moves.recent_dates(context, args.now))
        if args.model is not None:
            data["models"] = [m for m in data["models"] if m["id"] == args.model]
        write_json(data, out)
    else:
        out.write(timeline_table(result, args.model))
        _upgrade_note(context, args, out)
    return 0


def _upgrade_note(context: Context, args: argparse.Namespace, out: TextIO) -> None:
    """New rule data (an upgrade) moved dates nobody was told of yet: say so, once per run."""
    found = moves.unshown_upgrade(context, args.now)
    if found:
        out.write(
            f"\nThe rule data changed ({found[0].cause.ref}): {len(found)} due date(s) moved "
            "since they were last shown; `notifier changes` lists them and the owners are "
            "told at the next round.\n"
        )


def write_json(data: object, out: TextIO, chunk: int = 4096) -> None:
    """`json.dump(data, out, indent=2, ensure_ascii=False)` and a newline, the same text written
    in pieces of `chunk` tokens: json.dump writes each token to the stream, which was a third
    of `timeline --format json` at 10,000 models; the whole text at once would hold it all."""
    pieces: list[str] = []
    for piece in json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(data):
        pieces.append(piece)
        if len(pieces) >= chunk:
            out.write("".join(pieces))
            pieces.clear()
    pieces.append("\n")
    out.write("".join(pieces))
