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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import cast

from notifier.core.days import date_problem
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
from notifier.core.items import Item
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


MAX_TEXT = 2000  # a note, a requester, a reference, a reason: one paragraph at most
MAX_PERIOD_DAYS = 3650  # a Commission request's period: ten years is already implausible
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Bidirectional embeddings, overrides and isolates reorder what a reader sees (a reason shown
# reversed in the audit log); line and paragraph separators break a line where no \n is.
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def not_a_date(text: str) -> str:
    return f"'{text}' is not a date like 2026-11-24"


def read_date(field: str, text: str) -> date:
    """An ISO date typed by a person, within the accepted window; InputError naming the field
    otherwise."""
    try:
        value = date.fromisoformat(text.strip())
    except ValueError:
        raise InputError([Problem(field, not_a_date(text))]) from None
    problem = date_problem(value)
    if problem is not None:
        raise InputError([Problem(field, f"{problem}; check the year")])
    return value


def not_in_future(field: str, value: date, today: date, what: str) -> list[Problem]:
    if date_problem(value) is not None:
        return [Problem(field, f"{date_problem(value)}; check the year")]
    if value > today:
        return [Problem(field, f"{value} is later than today ({today}); {what}")]
    return []


def text_problems(field: str, value: str, limit: int = MAX_TEXT) -> list[Problem]:
    """Free text: one line (it reaches the audit log, mail headers, a terminal), bounded."""
    if _CONTROL.search(value):
        return [
            Problem(
                field,
                "must be one line of text, without line breaks, tabs or control characters "
                "(it is shown in the audit log and in mail)",
            )
        ]
    found = _INVISIBLE.search(value)
    if found:
        return [
            Problem(
                field,
                f"contains U+{ord(found.group()):04X} at character {found.start() + 1}, a "
                "direction or line-separator mark that changes how the text reads in the audit "
                "log and in mail; remove it",
            )
        ]
    if len(value) > limit:
        return [Problem(field, f"is {len(value)} characters long; at most {limit}")]
    return []


# ------------------------------------------------------------------ done marks
def done_problems(on: date, today: date, evidence_url: str = "", note: str = "") -> list[Problem]:
    """A done mark: met on a day that has come; evidence, if given, is a web address; the note
    is one bounded line."""
    problems = not_in_future("on", on, today, "record what has been met, when it was met")
    problems += text_problems("note", note)
    problems += text_problems("evidence_url", evidence_url, 500)
    if evidence_url and not _WEB_ADDRESS.match(evidence_url):
        problems.append(
            Problem(
                "evidence_url",
                f"'{evidence_url}' is not a web address; give one starting with https:// "
                "(e.g. https://dms.example.com/doc/123), or leave it empty",
            )
        )
    return problems


def occurrence_problems(
    item: Item, recurring: bool, closed_before: bool, allow_next: bool
) -> list[Problem]:
    """Once an occurrence of a recurring item is closed, closing the next one before it is due
    is refused unless asked for: run twice, `done` would otherwise close next year's review."""
    if not (recurring and closed_before) or allow_next or item.status != "upcoming":
        return []
    return [
        Problem(
            "item",
            f"the open occurrence of {item.id} is due {item.due} and is not yet due; the "
            "occurrence before it is already closed. To record this future one as met too, "
            "add --next",
        )
    ]


def unknown_item(item_id: str, known: Iterable[str]) -> Problem:
    close = difflib.get_close_matches(item_id, list(known), n=3, cutoff=0.5)
    hint = (
        f"; did you mean {', '.join(close)}?"
        if close
        else "; `notifier timeline` lists the item ids"
    )
    return Problem("item", f"no item '{item_id}' in the timeline{hint}")


# ------------------------------------------------------------------ events
# What each kind of event takes; anything else given is refused rather than silently dropped
# (`event add designation --type death` recorded a designation and ignored the type).
USED = ("type", "aware_on", "received_on", "period_days", "due", "sent_on", "decided_on",
        "requester", "reference")  # fmt: skip
USED_BY: dict[str, tuple[str, ...]] = {
    "incident": ("type", "aware_on"),
    "downstream-request": ("received_on", "requester"),
    "commission-request": ("received_on", "period_days", "due", "reference"),
    "notification": ("sent_on",),
    "designation": ("decided_on",),
}


def kind_article(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def event_problems(kind: str, fields: EventFields, today: date) -> list[Problem]:
    """Everything wrong with an event of `kind` as given, as of the organisation's `today`."""
    problems = [
        Problem(name, f"required for 'event add {kind}'")
        for name in NEEDS[kind]
        if getattr(fields, name) is None
    ]
    problems += [
        Problem(name, f"means nothing for {kind_article(kind)}; leave it out")
        for name in USED
        if name not in USED_BY[kind] and getattr(fields, name) not in (None, "")
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
    if fields.period_days is not None and not 1 <= fields.period_days <= MAX_PERIOD_DAYS:
        problems.append(
            Problem(
                "period_days",
                f"{fields.period_days} days is no period a request sets; give 1 to "
                f"{MAX_PERIOD_DAYS}, or the date it names with --due",
            )
        )
    if fields.due is not None and date_problem(fields.due) is not None:
        problems.append(Problem("due", f"{date_problem(fields.due)}; check the year"))
    problems += text_problems("requester", fields.requester, 500)
    problems += text_problems("reference", fields.reference, 500)
    return problems


def duplicate_problems(event: Event, recorded: Iterable[Event]) -> list[Problem]:
    """The same decision, notification or request recorded twice would double its items."""
    for other in recorded:
        if other.kind == event.kind and replace(other, id=event.id) == event:
            return [
                Problem(
                    "event",
                    f"this {event.kind} is already recorded as {other.id}; "
                    "`notifier event list` shows it",
                )
            ]
    return []


def void_problems(event_id: str, reason: str, recorded: Mapping[str, str]) -> list[Problem]:
    """An event can be voided if it was recorded; the reason is for the audit log."""
    problems = []
    if event_id not in recorded:
        known = ", ".join(recorded) or "none"
        problems.append(Problem("event", f"no event '{event_id}' was recorded (known: {known})"))
    if not reason.strip():
        problems.append(Problem("reason", "say why the event is set aside, for the audit log"))
    return problems + text_problems("reason", reason, 500)


def build_event(
    kind: str,
    fields: EventFields,
    event_id: str,
    today: date,
    recorded: Iterable[Event] = (),
) -> Event:
    """The event, or InputError listing every problem with what was given (`recorded`: the
    events already recorded, so that the same one is not recorded twice)."""
    problems = event_problems(kind, fields, today)
    if problems:
        raise InputError(problems)
    event = _event(kind, fields, event_id)
    duplicate = duplicate_problems(event, recorded)
    if duplicate:
        raise InputError(duplicate)
    return event


def _event(kind: str, fields: EventFields, event_id: str) -> Event:
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
