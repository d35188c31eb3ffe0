"""`notifier token create|list|revoke`: personal API tokens (docs/contracts.md, "The API").

`create` shows the token once, on the last line of standard output (a script takes
`| tail -n 1`); the store keeps only its digest."""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from notifier.app import tokens
from notifier.app.audit import local_actor
from notifier.cli.arguments import context_of
from notifier.errors import InputError, Problem


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    token = commands.add_parser("token", help="personal tokens for the API (/api/v1/)")
    actions = token.add_subparsers(dest="token_action", required=True, metavar="ACTION")
    create = actions.add_parser("create", parents=[common], help="make a token (shown once)")
    create.add_argument("--person", required=True, help="whose token: a [[people]] id")
    create.add_argument("--name", required=True, help="what it is for, e.g. ci (in the audit)")
    create.add_argument(
        "--scope", choices=tokens.SCOPES, default="read", help="read (default) or write"
    )
    create.add_argument(
        "--days", type=int, help="valid for this many days (default: api.token_days)"
    )
    create.set_defaults(handler=run_create)
    listing = actions.add_parser("list", parents=[common], help="the tokens (never the secret)")
    listing.add_argument("--person", help="only this person's")
    listing.add_argument("--format", choices=("table", "json"), default="table")
    listing.set_defaults(handler=run_list)
    revoke = actions.add_parser("revoke", parents=[common], help="stop a token at once")
    revoke.add_argument("token_id", type=int, metavar="TOKEN_ID", help="as `token list` shows")
    revoke.set_defaults(handler=run_revoke)


def run_create(args: argparse.Namespace, out: TextIO) -> int:
    context = context_of(args)
    try:
        record, token = tokens.create(
            context,
            person=args.person,
            name=args.name,
            scope=args.scope,
            days=args.days,
            actor=local_actor(),
            now=args.now,
        )
    except InputError as error:
        raise _as_options(error) from None
    out.write(
        f"Token {record.id} '{record.name}' for {record.person}, scope {record.scope}, valid "
        f"until {record.expires_at.isoformat(timespec='minutes')}. It is shown only now: keep "
        "it in a secret store.\n"
    )
    out.write(f"{token}\n")
    return 0


def run_list(args: argparse.Namespace, out: TextIO) -> int:
    context = context_of(args, read_only=True)
    found = tokens.listed(context, args.person)
    rows = [
        {
            "id": t.id,
            "name": t.name,
            "person": t.person,
            "scope": t.scope,
            "created_at": t.created_at.isoformat(),
            "expires_at": t.expires_at.isoformat(),
            "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
            "live": t.live(args.now),
        }
        for t in found
    ]
    if args.format == "json":
        json.dump(rows, out, indent=2)
        out.write("\n")
        return 0
    for row in rows:
        state = "live" if row["live"] else ("revoked" if row["revoked_at"] else "expired")
        out.write(
            f"{row['id']:>4}  {row['person']:<16}  {row['scope']:<5}  {state:<7}  "
            f"until {str(row['expires_at'])[:16]}  {row['name']}\n"
        )
    if not rows:
        out.write("No API tokens.\n")
    return 0


def run_revoke(args: argparse.Namespace, out: TextIO) -> int:
    context = context_of(args)
    try:
        tokens.revoke(context, args.token_id, actor=local_actor(), now=args.now)
    except InputError as error:
        raise _as_options(error) from None
    out.write(f"Revoked token {args.token_id}: it stops working at once.\n")
    return 0


def _as_options(error: InputError) -> InputError:
    """The use case's fields named as this command's options."""
    names = {"person": "--person", "name": "--name", "scope": "--scope", "days": "--days"}
    return InputError(
        [
            Problem(
                names.get(p.source, "TOKEN_ID"),
                p.message + ("; `notifier token list` shows them" if p.source == "token" else ""),
            )
            for p in error.problems
        ]
    )
