"""What the API reads and writes, as pydantic models: they check the requests and they are the
schemas of the OpenAPI document (notifier.api.registry)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from notifier.core.events import INCIDENT_TYPES
from notifier.core.recording import ARGUMENTS_OUTCOMES, EVENT_KINDS, MAX_TEXT

EventKind = Literal[EVENT_KINDS]  # type: ignore[valid-type]
IncidentType = Literal[INCIDENT_TYPES]  # type: ignore[valid-type]
ArgumentsOutcome = Literal[ARGUMENTS_OUTCOMES]  # type: ignore[valid-type]


class _In(BaseModel):
    # Lax: JSON Schema's integer includes 2.0 (as pydantic's strict mode does not).
    model_config = ConfigDict(extra="forbid")


class Item(BaseModel):
    """One obligation of the timeline, as in /timeline.json (docs/contracts.md)."""

    id: str
    rule: str
    title: str
    due: date | None
    status: str
    basis: str
    citation: str
    kind: str
    verification: str
    owners: list[str]
    description: str
    url: str | None
    done_on: date | None
    done_late_days: int | None


class Model(BaseModel):
    id: str
    name: str
    regime: str
    regime_deadline: date | None
    systemic_risk: bool
    withdrawn_on: date | None
    findings: list[str]
    items: list[Item]


class Models(BaseModel):
    as_of: date
    models: list[Model]


class Organisation(BaseModel):
    name: str
    established_in: str
    timezone: str
    contacts: list[str]
    admins: list[str]
    fine_ceiling_eur: int | None
    fine_citation: str
    as_of: date
    items: list[Item]


class Mark(BaseModel):
    id: int
    done_on: date
    note: str
    evidence_url: str
    recorded_at: datetime
    recorded_by: str
    corrects: int | None
    corrected_by: int | None


class AuditEntry(BaseModel):
    at: datetime
    actor: str
    action: str
    subject: str
    detail: str


class ItemHistory(BaseModel):
    item: Item
    may_act: bool
    marks: list[Mark]
    history: list[AuditEntry]


class Event(BaseModel):
    """A recorded event: its id and kind, and the fields of its kind."""

    model_config = ConfigDict(extra="allow")
    id: str
    kind: str


class Events(BaseModel):
    events: list[Event]


class AuditPage(BaseModel):
    entries: list[AuditEntry]
    page: int
    per_page: int
    total: int
    head: str | None = Field(description="the audit log's head hash, where the store keeps one")


class AuditQuery(_In):
    page: int = Field(default=1, ge=1, le=1_000_000)
    per_page: int = Field(default=50, ge=1, le=500)


class Advice(BaseModel):
    """Should we sign the Code of Practice? Per chapter, as `notifier advise --format json`."""

    model_config = ConfigDict(extra="allow")


class Health(BaseModel):
    model_config = ConfigDict(extra="allow")
    status: str


class DoneIn(_In):
    """A done mark; with `corrects`, the id of the mark in force that it corrects."""

    on: date | None = Field(default=None, description="the day it was met (default: today)")
    note: str = Field(default="", max_length=MAX_TEXT)
    evidence_url: str = Field(default="", max_length=MAX_TEXT)
    corrects: int | None = Field(default=None, ge=1, le=2**62)


class DoneOut(BaseModel):
    item_id: str
    on: date
    recorded_by: str
    corrects: int | None
    item: Item | None


class EventIn(_In):
    kind: EventKind
    model: str | None = Field(default=None, max_length=64)
    type: IncidentType | None = None
    aware_on: date | None = None
    received_on: date | None = None
    period_days: int | None = Field(default=None, ge=-(2**31), le=2**31)
    due: date | None = None
    sent_on: date | None = None
    decided_on: date | None = None
    requester: str = Field(default="", max_length=MAX_TEXT)
    reference: str = Field(default="", max_length=MAX_TEXT)
    decision: ArgumentsOutcome | None = None
    trained_on: date | None = None
    # The core refuses what is no training compute (recording.MAX_FLOP), in its own words.
    compute_flop: float | None = Field(default=None, allow_inf_nan=False)
    informed_on: date | None = Field(
        default=None, description="designation: the day the decision reached the provider"
    )


class Recorded(BaseModel):
    event: Event
    items: list[Item]
    said: list[str]


class VoidIn(_In):
    reason: str = Field(min_length=1, max_length=MAX_TEXT)


class ResolveIn(_In):
    on: date


class Token(BaseModel):
    """An API token as listed (never the token itself)."""

    id: int
    name: str
    person: str
    scope: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    live: bool


class Tokens(BaseModel):
    tokens: list[Token]


class RotateIn(_In):
    audience: str = Field(
        min_length=1,
        max_length=200,
        description="organisation, model:<id>, person:<id> or api:timeline",
    )


class Rotated(BaseModel):
    audience: str
    rotated_at: datetime


def event_out(fields: dict[str, Any]) -> Event:
    return Event.model_validate(fields)
