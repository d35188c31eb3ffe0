"""`notifier db upgrade` and `notifier db current`: the store's schema."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from notifier.settings import load_settings
from notifier.store.engine import Store, schema_state


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    db = commands.add_parser("db", help="the state store's schema")
    actions = db.add_subparsers(dest="db_action", required=True, metavar="ACTION")
    upgrade = actions.add_parser(
        "upgrade", parents=[common], help="bring the store's schema up to date"
    )
    upgrade.set_defaults(handler=run_upgrade)
    current = actions.add_parser("current", parents=[common], help="the store's schema version")
    current.set_defaults(handler=run_current)


def run_upgrade(args: argparse.Namespace, out: TextIO) -> int:
    settings = load_settings(args.config)
    before = schema_state(settings.database_url)
    Store.open(settings.database_url, args.now).close()
    after = schema_state(settings.database_url)
    if before == after:
        out.write(f"The store is up to date ({after}).\n")
    else:
        out.write(f"Upgraded the store: {before} -> {after}.\n")
    return 0


def run_current(args: argparse.Namespace, out: TextIO) -> int:
    settings = load_settings(args.config)
    out.write(f"{schema_state(settings.database_url)}\n")
    return 0
