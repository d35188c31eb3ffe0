"""`notifier export pack`: the evidence pack of one model or of the register, as of a day, to a
folder or a .zip (documents/pack.py; the PDF from the pages' templates, web/printed.py)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from notifier.cli.arguments import context_of, date_value


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    export = commands.add_parser("export", help="documents for an audit")
    kinds = export.add_subparsers(dest="export_kind", required=True, metavar="KIND")
    pack = kinds.add_parser(
        "pack",
        parents=[common],
        help="the evidence pack: PDF, XLSX, CSV, timeline JSON and a manifest of SHA-256 hashes",
    )
    pack.add_argument("--model", metavar="ID", help="one model (default: every model)")
    pack.add_argument(
        "--as-of", type=date_value, help="the day it is computed for (default: today)"
    )
    pack.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="DIR|FILE.zip",
        help="a folder (made if missing) or a file name ending in .zip",
    )
    pack.set_defaults(handler=run_pack)


def run_pack(args: argparse.Namespace, out: TextIO) -> int:
    # Imported here: the templates and WeasyPrint load only for a pack.
    from notifier.documents.pack import MANIFEST, check_out, write_pack
    from notifier.web.printed import evidence_pack

    check_out(args.out)
    context = context_of(args, read_only=True)
    as_of = args.as_of or context.day(args.now)
    pack = evidence_pack(context, args.now, as_of, args.model)
    written = write_pack(pack, args.out)
    out.write(
        f"Evidence pack written to {written}: {len(pack.files)} files, hashes in {MANIFEST}.\n"
    )
    return 0
