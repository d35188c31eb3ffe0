"""The command line. `main(argv) -> int` is the one place that maps errors to exit codes."""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from notifier import __version__, clock
from notifier.cli import logs
from notifier.errors import InputError, NotifierError

logger = logging.getLogger("notifier")

# Each command module adds its subparsers with `set_defaults(handler=...)`; this table names the
# commands each one adds, in the order of `notifier --help`, so that a run imports only its own
# command's module and what that uses, not every command's implementation (issue 22: the
# prompt). tests/cli/test_command_table.py checks it against what the modules add.
COMMANDS: dict[str, tuple[str, ...]] = {
    "timeline_cmd": ("check", "timeline"),
    "records_cmd": ("done", "audit"),
    "events_cmd": ("event",),
    "reminders_cmd": ("remind", "status"),
    "feeds_cmd": ("calendars", "feeds", "serve"),
    "daemon_cmd": ("run",),
    "watch_cmd": ("watch",),
    "db_cmd": ("db",),
    "advise_cmd": ("advise",),
    "scan_cmd": ("scan", "init"),
    "token_cmd": ("token",),
    "export_cmd": ("export",),
    "draft_cmd": ("draft",),
    "changes_cmd": ("changes", "law"),
}

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2


def command_module(argv: Sequence[str]) -> str | None:
    """The module of the command `argv` names, or None when it names none (no arguments, an
    option first such as --help or --version, or an unknown command): then every command's
    parser is built, for the full help or argparse's error listing the commands."""
    if not argv or argv[0].startswith("-"):
        return None
    return next((module for module, names in COMMANDS.items() if argv[0] in names), None)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser: with `only` (a module of COMMANDS), that module's commands
    alone, which is all a run of one of them needs."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, help="settings file (default config/notifier.toml)")
    common.add_argument("--register", type=Path, help="register file (default from settings)")
    common.add_argument("--debug", action="store_true", help="log debug detail and tracebacks")
    parser = argparse.ArgumentParser(
        prog="notifier", description="EU AI Act GPAI obligation timeline and deadline notifier"
    )
    parser.add_argument("--version", action="version", version=f"notifier {__version__}")
    commands = parser.add_subparsers(
        dest="command",
        required=True,
        metavar="COMMAND",
    )
    for name in [only] if only is not None else COMMANDS:
        module = importlib.import_module(f"{__name__}.{name}")
        module.add_parsers(commands, common)
    return parser


def main(
    argv: Sequence[str] | None = None, out: TextIO | None = None, *, entry: bool = False
) -> int:
    """Run one command; `entry`: this call is the process's entry point (`run`), which started
    with the garbage collector off: the modules loaded so far live as long as the process, so
    they are frozen out of its passes before it is switched on again."""
    out = out or sys.stdout
    parser = build_parser(command_module(sys.argv[1:] if argv is None else argv))
    from sqlalchemy.exc import SQLAlchemyError  # loaded with the command's modules

    if entry:
        gc.freeze()
        gc.enable()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # argparse printed the usage and the error (2), or help (0)
        return int(stop.code or 0)
    logs.configure(args.debug)
    args.now = clock.system_now()  # the one reading of the clock in this run
    args.resources = contextlib.ExitStack()  # what the command opened, closed when it ends
    try:
        with args.resources:
            code: int = args.handler(args, out)
        return code
    except InputError as error:
        print(f"notifier: {len(error.problems)} problem(s):", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except NotifierError as error:
        logger.debug("failure", exc_info=True)
        print(f"notifier: {error}", file=sys.stderr)
        return EXIT_FAILURE
    except SQLAlchemyError as error:  # the store failed under us (disk full, server gone)
        logger.debug("store failure", exc_info=True)
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        print(f"notifier: the store failed: {reason}; nothing more was recorded", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return EXIT_FAILURE
    except BrokenPipeError:  # the reader went away (e.g. `notifier timeline | head`): not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        return EXIT_OK
    except OSError as error:  # a file or folder the command needs (disk full, permissions)
        logger.debug("system failure", exc_info=True)
        where = f" ({error.filename})" if error.filename else ""
        print(f"notifier: {error.strerror or error}{where}", file=sys.stderr)
        return EXIT_FAILURE
    except Exception as error:  # a defect: one line for the user, the traceback under --debug
        logger.debug("internal error", exc_info=True)
        print(
            f"notifier: internal error: {type(error).__name__}: {error} "
            "(run with --debug for the traceback)",
            file=sys.stderr,
        )
        return EXIT_FAILURE


def run() -> None:
    """Console-script entry point (and `python -m notifier`'s). The collector is off while the
    command's modules load: their objects (classes, schemas, tables) all live until the
    process ends, and scanning them again and again as they were made was about a tenth of a
    command's CPU at the prompt (issue 22); `main` freezes them, then switches it on."""
    gc.disable()
    sys.exit(main(entry=True))
