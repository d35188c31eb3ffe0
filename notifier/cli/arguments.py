"""Argument types and checks shared by the commands: dates, instants, model ids."""

from __future__ import annotations

import argparse
from dataclasses import replace
from datetime import date, datetime

from notifier.context import Context, load_context, refreshed
from notifier.core.days import date_problem, local_instant
from notifier.core.recording import not_a_date
from notifier.core.register import Register
from notifier.errors import InputError, Problem, StoreVersionError
from notifier.store.engine import Store

# Fields of notifier.core.recording that the command line takes as positional arguments.
_POSITIONAL = {"item": "ITEM_ID", "incident": "INCIDENT_ID"}


def date_value(text: str) -> date:
    """An ISO date, e.g. --on 2026-11-24, within the window the service accepts."""
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(not_a_date(text)) from None
    problem = date_problem(value)
    if problem is not None:
        raise argparse.ArgumentTypeError(f"{problem}; check the year")
    return value


def as_options(problems: list[Problem]) -> InputError:
    """Problems from notifier.core.recording, named by the command line's options."""

    def option(field: str) -> str:
        return _POSITIONAL.get(field) or f"--{field.replace('_', '-')}"

    return InputError(
        [Problem("/".join(option(f) for f in p.source.split("/")), p.message) for p in problems]
    )


def as_of_value(text: str) -> date | datetime:
    """--as-of: an ISO date, or an ISO datetime with its UTC offset."""
    try:
        if "T" not in text:
            return date_value(text)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date like 2026-11-24 or a datetime like 2026-11-24T09:00:00+01:00"
        ) from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"'{text}' needs a UTC offset, e.g. {text}+01:00")
    problem = date_problem(moment.date())
    if problem is not None:
        raise argparse.ArgumentTypeError(f"{problem}; check the year")
    return moment


def require_model(register: Register, model_id: str | None) -> None:
    """An unknown --model is bad input that names the models the register has."""
    if model_id is not None and model_id not in {m.id for m in register.models}:
        known = ", ".join(m.id for m in register.models)
        raise InputError(
            [Problem("--model", f"no model '{model_id}' in {register.source} (known: {known})")]
        )


def context_of(args: argparse.Namespace, *, read_only: bool = False) -> Context:
    """The command's context, loaded as of the one clock reading of this run (`args.now`); its
    store is closed when the command ends (`args.resources`, closed by `main`)."""
    context = load_context(args.config, args.register, args.now, read_only=read_only)
    args.resources.callback(context.store.close)
    return context


def checked_first(args: argparse.Namespace) -> Context:
    """The context of a command that writes only once its input is checked: a store that does
    not exist yet is not created now (a refused command leaves nothing behind; `writable`
    creates it when there is something to write). An existing store behind the current schema
    is upgraded at once, as before."""
    try:
        return context_of(args, read_only=True)
    except StoreVersionError as error:
        if any("newer" in problem.message for problem in error.problems):
            raise
        return context_of(args)


def writable(args: argparse.Namespace, context: Context) -> Context:
    """The context with a store that takes writes, created now if it did not exist."""
    if not context.store.transient:
        return context
    store = Store.open(context.settings.database_url, args.now)
    args.resources.callback(store.close)
    return refreshed(replace(context, store=store))


def instant(context: Context, as_of: date | datetime | None, now: datetime) -> datetime:
    """--as-of as an instant: `now` when absent; a plain date means its send_at time."""
    if as_of is None:
        return now
    if isinstance(as_of, datetime):
        return as_of
    return local_instant(as_of, context.settings.reminders.send_at, context.timezone)
