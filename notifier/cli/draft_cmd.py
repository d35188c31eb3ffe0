"""`notifier draft KIND --model ID`: a draft of a document the dates ask for, filled from the
register, the events and the timeline, as Markdown or DOCX (documents/drafts.py)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from notifier.cli.arguments import context_of, date_value
from notifier.core.drafts import KINDS
from notifier.errors import InputError, Problem


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    drafted = commands.add_parser(
        "draft", parents=[common], help="draft a document the dates ask for (Markdown or DOCX)"
    )
    drafted.add_argument("kind", metavar="KIND", choices=KINDS, help=", ".join(KINDS))
    drafted.add_argument("--model", required=True, metavar="ID", help="the model it is for")
    drafted.add_argument("--format", choices=("md", "docx"), default="md")
    drafted.add_argument("--as-of", type=date_value, help="the day it is drafted for")
    drafted.add_argument(
        "--out", type=Path, metavar="PATH", help="a file or a folder (default: print Markdown)"
    )
    drafted.set_defaults(handler=run_draft)


def run_draft(args: argparse.Namespace, out: TextIO) -> int:
    from notifier.documents.drafts import make_draft

    if args.out is None and args.format == "docx":
        raise InputError([Problem("--out", "a DOCX draft needs a file or folder to go to")])
    if args.out is not None and not (args.out.is_dir() or args.out.parent.is_dir()):
        raise InputError([Problem("--out", f"'{args.out}': its folder does not exist")])
    context = context_of(args, read_only=True)
    as_of = args.as_of or context.day(args.now)
    made = make_draft(context, args.now, args.kind, args.model, as_of, args.format)
    if args.out is None:
        out.write(made.data.decode("utf-8"))
        return 0
    target = args.out / made.file_name if args.out.is_dir() else args.out
    target.write_bytes(made.data)
    out.write(f"Draft written to {target}: {made.draft.blanks()} field(s) left to fill.\n")
    return 0
