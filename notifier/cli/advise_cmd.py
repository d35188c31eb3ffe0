"""`notifier advise`: should we sign the Code of Practice, chapter by chapter? (read-only)"""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from notifier.cli.arguments import as_of_value, context_of
from notifier.core.advice import advise
from notifier.core.timeline import timeline
from notifier.core.views.advice import advice_json, advice_table


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "advise",
        parents=[common],
        help="should we sign the Code of Practice? the decision per chapter",
    )
    parser.add_argument("--as-of", type=as_of_value, help="date to evaluate (default: today)")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.set_defaults(handler=run_advise)


def run_advise(args: argparse.Namespace, out: TextIO) -> int:
    context = context_of(args, read_only=True)
    as_of = args.as_of or context.day(args.now)
    result = timeline(context.register, context.rules, as_of, context.options)
    advice = advise(context.register, result, context.rules.landmarks)
    if args.format == "json":
        json.dump(advice_json(advice), out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        out.write(advice_table(advice))
    return 0
