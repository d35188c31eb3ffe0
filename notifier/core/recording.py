"""What a person may record, checked the same way wherever it is entered. Pure.

The command line (`notifier done`, `notifier event add|resolve`) and the web forms both call
these functions, so a refusal reads the same in a terminal and beside a form field. Each
problem's `source` is the field's name (`on`, `aware_on`, `period_days/due`, `item`); the
command line shows it as its option (`--on`), the web places the message beside that field.
Keep each check a small function here: this module is the one home of these rules.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import cast

from notifier.core.events import (
    INCIDENT_TYPES,
    CommissionRequest,
    DesignationDecision,
    DownstreamRequest,
    Event,
    Incident,
    IncidentType,
    NotificationSent,
)
from notifier.errors import InputError, Problem

EVENT_KINDS = (
    "incident",
    "downstream-request",
    "commission-request",
    "notification",
    "designation",
)
# The fields each kind of event needs; the dates among them are "when it happened".
NEEDS: dict[str, tuple[str, ...]] = {
    "incident": ("model", "type", "aware_on"),
    "downstream-request": ("model", "received_on"),
    "commission-request": ("received_on",),
    "notification": ("model", "sent_on"),
    "designation": ("model", "decided_on"),
}
EVENT_DATES = ("aware_on", "received_on", "sent_on", "decided_on")
_WEB_ADDRESS = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)


@dataclass(frozen=True)
class EventFields:
    """What a person gives to record an event (command-line options or form fields)."""

    model: str | None = None
    type: str | None = None
    aware_on: date | None = None
    received_on: date | None = None
    period_days: int | None = None
    due: date | None = None
    sent_on: date | None = None
    decided_on: date | None = None
    requester: str = ""
    reference: str = ""


def not_a_date(text: str) -> str:
    return f"'{text}' is not a date like 2026-11-24"


def read_date(field: str, text: str) -> date:
    """An ISO date typed by a person; InputError naming the field otherwise."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError([Problem(field, not_a_date(text))]) from None


def not_in_future(field: str, value: date, today: date, what: str) -> list[Problem]:
    if value > today:
        return [Problem(field, f"{value} is later than today ({today}); {what}")]
    return []


# ------------------------------------------------------------------ done marks
def done_problems(on: date, today: date, evidence_url: str = "") -> list[Problem]:
    """A done mark: met on a day that has come; evidence, if given, is a web address."""
    problems = not_in_future("on", on, today, "record what has been met, when it was met")
    if evidence_url and not _WEB_ADDRESS.match(evidence_url):
        problems.append(
            Problem(
                "evidence_url",
                f"'{evidence_url}' is not a web address; give one starting with https:// "
                "(e.g. https://dms.example.com/doc/123), or leave it empty",
            )
        )
    return problems


def unknown_item(item_id: str, known: Iterable[str]) -> Problem:
    close = difflib.get_close_matches(item_id, list(known), n=3, cutoff=0.5)
    hint = (
        f"; did you mean {', '.join(close)}?"
        if close
        else "; `notifier timeline` lists the item ids"
    )
    return Problem("item", f"no item '{item_id}' in the timeline{hint}")


# ------------------------------------------------------------------ events
def event_problems(kind: str, fields: EventFields, today: date) -> list[Problem]:
    """Everything wrong with an event of `kind` as given, as of the organisation's `today`."""
    problems = [
        Problem(name, f"required for 'event add {kind}'")
        for name in NEEDS[kind]
        if getattr(fields, name) is None
    ]
    if fields.type is not None and fields.type not in INCIDENT_TYPES:
        problems.append(
            Problem("type", f"'{fields.type}' is not one of {', '.join(INCIDENT_TYPES)}")
        )
    for name in EVENT_DATES:
        value = getattr(fields, name)
        if value is not None:
            problems += not_in_future(name, value, today, "record events that have happened")
    if kind == "commission-request" and (fields.period_days is None) == (fields.due is None):
        problems.append(
            Problem(
                "period_days/due",
                "give the period the request sets, as --period-days N or --due DATE (one of them)",
            )
        )
    return problems


def build_event(kind: str, fields: EventFields, event_id: str, today: date) -> Event:
    """The event, or InputError listing every problem with what was given."""
    problems = event_problems(kind, fields, today)
    if problems:
        raise InputError(problems)
    f = fields
    if kind == "incident":
        assert f.model is not None
        assert f.type is not None
        assert f.aware_on is not None
        return Incident(event_id, f.model, cast(IncidentType, f.type), f.aware_on)
    if kind == "downstream-request":
        assert f.model is not None
        assert f.received_on is not None
        return DownstreamRequest(event_id, f.model, f.received_on, f.requester)
    if kind == "commission-request":
        assert f.received_on is not None
        due = f.due or f.received_on + timedelta(days=f.period_days or 0)
        if due < f.received_on:
            raise InputError([Problem("due", f"{due} is before --received-on")])
        return CommissionRequest(event_id, f.model, f.received_on, due, f.reference)
    if kind == "notification":
        assert f.model is not None
        assert f.sent_on is not None
        return NotificationSent(event_id, f.model, f.sent_on)
    assert f.model is not None
    assert f.decided_on is not None
    return DesignationDecision(event_id, f.model, f.decided_on)


def resolve_problems(incident: Incident, on: date, today: date) -> list[Problem]:
    """An incident is resolved between the day of awareness and today."""
    if on < incident.aware_on or on > today:
        return [
            Problem(
                "on",
                f"{on} must lie between the awareness date ({incident.aware_on}) "
                f"and today ({today})",
            )
        ]
    return []


def unknown_incident(event_id: str, events: Iterable[Event]) -> Problem:
    known = ", ".join(e.id for e in events if isinstance(e, Incident)) or "none"
    return Problem("incident", f"no incident '{event_id}' (recorded incidents: {known})")
