"""`notifier db upgrade | current | backup PATH`: the store's schema, and an online copy of an
SQLite store."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy.engine import make_url

from notifier.settings import load_settings
from notifier.store.backup import backup_sqlite
from notifier.store.engine import safe_url, schema_state, upgrade


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    db = commands.add_parser("db", help="the state store: schema and backups")
    actions = db.add_subparsers(dest="db_action", required=True, metavar="ACTION")
    upgrade_parser = actions.add_parser(
        "upgrade", parents=[common], help="bring the store's schema up to date (Alembic)"
    )
    upgrade_parser.set_defaults(handler=run_upgrade)
    current = actions.add_parser(
        "current", parents=[common], help="the store's schema revision (changes nothing)"
    )
    current.set_defaults(handler=run_current)
    backup = actions.add_parser(
        "backup",
        parents=[common],
        help="copy an SQLite store while it is in use (PostgreSQL: use pg_dump)",
    )
    backup.add_argument("path", type=Path, metavar="PATH", help="the new file (must not exist)")
    backup.set_defaults(handler=run_backup)


def run_upgrade(args: argparse.Namespace, out: TextIO) -> int:
    settings = load_settings(args.config)
    owner = settings.database_owner_url
    before, after = upgrade(
        settings.database_url, args.now, owner.get_secret_value() if owner else None
    )
    where = safe_url(settings.database_url)
    if before == after:
        out.write(f"The store is up to date: {after.describe()} ({where}).\n")
    else:
        out.write(
            f"Upgraded the store ({where}):\n"
            f"  from {before.describe()}\n"
            f"  to   {after.describe()}\n"
        )
    if owner:
        out.write(
            f"Migrated as the owner role; the service's role "
            f"{make_url(settings.database_url).username} may read and add to the audit log, "
            "never change or delete it.\n"
        )
    return 0


def run_current(args: argparse.Namespace, out: TextIO) -> int:
    settings = load_settings(args.config)
    found = schema_state(settings.database_url)
    where = safe_url(settings.database_url)
    if found is None:
        out.write(f"No store yet at {where} (`notifier db upgrade` creates it).\n")
    else:
        out.write(f"{where}: {found.describe()}\n")
    return 0


def run_backup(args: argparse.Namespace, out: TextIO) -> int:
    settings = load_settings(args.config)
    copied = backup_sqlite(settings.database_url, args.path)
    out.write(
        f"Copied {copied.source} to {copied.target} ({copied.size:,} bytes, "
        f"{copied.state.describe()}).\n"
    )
    return 0
