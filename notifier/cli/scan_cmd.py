"""`notifier scan` (what are we under the Act, model by model?) and `notifier init DIR` (the
scan, then a starter register.toml and notifier.toml in a new folder). Read-only but for init's
two files; no settings, register or store is needed."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    for name, text in (
        ("scan", "what the organisation is under the Act, model by model (no register needed)"),
        ("init", "run the scan and write a starter register.toml and notifier.toml into DIR"),
    ):
        # --config and --register are accepted like every command's, and not read: the scan
        # needs no settings, register or store.
        parser = commands.add_parser(name, parents=[common], help=text)
        if name == "init":
            parser.add_argument("dir", type=Path, metavar="DIR", help="a new folder")
        parser.add_argument("--answers", type=Path, help="answers file (TOML) instead of prompts")
        parser.add_argument(
            "--from-model-card",
            type=Path,
            action="append",
            default=[],
            metavar="PATH",
            help="import a model from a Hugging Face model card (README.md or its folder)",
        )
        parser.add_argument(
            "--from-csv", type=Path, action="append", default=[], metavar="PATH",
            help="import models from a CSV inventory (one column per answers key)",
        )  # fmt: skip
        if name == "scan":
            parser.add_argument("--format", choices=("table", "json"), default="table")
        parser.set_defaults(handler=run_scan if name == "scan" else run_init)


def run_scan(args: argparse.Namespace, out: TextIO) -> int:
    from notifier.cli import scan_steps  # the scan's rules and models: for this command only

    return scan_steps.run_scan(args, out)


def run_init(args: argparse.Namespace, out: TextIO) -> int:
    from notifier.cli import scan_steps

    return scan_steps.run_init(args, out)
