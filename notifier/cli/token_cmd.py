"""`notifier token create|list|revoke`: personal API tokens (docs/contracts.md, "The API").

`create` shows the token once, on the last line of standard output (a script takes
`| tail -n 1`); the store keeps only its digest."""

from __future__ import annotations

import argparse
import json
import re
from datetime import timedelta
from typing import Any, TextIO

from notifier.cli.arguments import context_of
from notifier.errors import InputError, Problem
from notifier.store.audit import local_actor
from notifier.store.tokens import SCOPES, revoke_token, tokens
from notifier.store.tokens import create_token as store_create

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,59}$")


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    token = commands.add_parser("token", help="personal tokens for the API (/api/v1/)")
    actions = token.add_subparsers(dest="token_action", required=True, metavar="ACTION")
    create = actions.add_parser("create", parents=[common], help="make a token (shown once)")
    create.add_argument("--person", required=True, help="whose token: a [[people]] id")
    create.add_argument("--name", required=True, help="what it is for, e.g. ci (in the audit)")
    create.add_argument("--scope", choices=SCOPES, default="read", help="read (default) or write")
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
    people = {p.id for p in context.register.people}
    problems = []
    if args.person not in people:
        known = ", ".join(sorted(people))
        problems.append(Problem("--person", f"no person '{args.person}' in the register ({known})"))
    if not NAME.match(args.name):
        problems.append(
            Problem("--name", "give 1-60 letters, digits, spaces, '.', '_' or '-', e.g. ci")
        )
    days = args.days if args.days is not None else context.settings.api.token_days
    if not 1 <= days <= 366:
        problems.append(Problem("--days", f"{days} is not between 1 and 366"))
    if problems:
        raise InputError(problems)
    record, token = store_create(
        context.store,
        person=args.person,
        name=args.name,
        scope=args.scope,
        expires_at=args.now + timedelta(days=days),
        actor=local_actor(),
        now=args.now,
    )
    out.write(
        f"Token {record.id} '{record.name}' for {record.person}, scope {record.scope}, valid "
        f"until {record.expires_at.isoformat(timespec='minutes')}. It is shown only now: keep "
        "it in a secret store.\n"
    )
    out.write(f"{token}\n")
    return 0


def run_list(args: argparse.Namespace, out: TextIO) -> int:
    context = context_of(args, read_only=True)
    found = tokens(context.store, args.person)
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
    if not revoke_token(context.store, args.token_id, actor=local_actor(), now=args.now):
        raise InputError(
            [
                Problem(
                    "TOKEN_ID", f"no live token {args.token_id}; `notifier token list` shows them"
                )
            ]
        )
    out.write(f"Revoked token {args.token_id}: it stops working at once.\n")
    return 0
