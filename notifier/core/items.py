"""The values the core hands to every edge: items, model timelines, the timeline. Pure.

An item's id is built in one place (`item_id`) from fields the item also carries (`model`,
`event`, `upstream`, `occurrence`), so no edge ever parses an id back.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Literal

from notifier.core.law.model import WITHDRAWN, Basis, Kind, Verification

Regime = Literal["chapter-v", "art-111-3-transition", "planned", "downstream"]
# "open": a right whose date has come (Art 52(5)); it is exercised, never met by time passing.
Status = Literal["done", "overdue", "due-soon", "upcoming", "standing", "open"]
REGIMES: tuple[Regime, ...] = ("chapter-v", "art-111-3-transition", "planned", "downstream")
ORGANISATION = "organisation"  # the first part of the id of an organisation-level item

# Fixed forever: calendar UIDs derive from it and the item id, so a changed namespace would make
# every subscriber's calendar see all events deleted and new ones created.
UID_NAMESPACE = uuid.UUID("5b0c3c62-8f0a-4d0c-9d6a-3a1f6f2f9e41")
UID_DOMAIN = "gpai-notifier"


def item_id(
    rule: str,
    model: str | None,
    *,
    event: str | None = None,
    upstream: str | None = None,
    occurrence: date | None = None,
) -> str:
    """`<model or organisation>[/<event>]/<rule>[/<upstream>][@<occurrence due date>]`."""
    head, tail = item_id_parts(model, event, upstream)
    text = f"{head}{rule}{tail}"
    return f"{text}@{occurrence.isoformat()}" if occurrence is not None else text


def item_id_parts(model: str | None, event: str | None, upstream: str | None) -> tuple[str, str]:
    """What comes before and after the rule id in the id of every item of one subject."""
    subject = model or ORGANISATION
    head = f"{subject}/{event}/" if event else f"{subject}/"
    return head, f"/{upstream}" if upstream else ""


def calendar_uid(identifier: str) -> str:
    """An item's iCalendar UID, the same in the feeds and in an email's .ics part: stable across
    builds, restarts and edits of any text, since only the item id goes in."""
    return f"{uuid.uuid5(UID_NAMESPACE, identifier)}@{UID_DOMAIN}"


@dataclass(frozen=True)
class Item:
    """One dated (or standing) duty, milestone or review task."""

    id: str
    rule: str
    title: str
    due: date | None
    status: Status
    basis: Basis
    citation: str
    kind: Kind
    verification: Verification
    description: str
    owners: tuple[str, ...]
    model: str | None = None
    trigger: date | None = None  # the event a period runs from, when the period runs forward
    url: str | None = None
    done_on: date | None = None
    event: str | None = None  # the recorded event (or watcher finding) that started it
    upstream: str | None = None  # the slug of the upstream entry it concerns
    occurrence: date | None = None  # a closed occurrence of a recurring item: its due date

    @property
    def sort_key(self) -> tuple[bool, date, str]:
        return item_order(self)

    @property
    def done_late_days(self) -> int | None:
        """Days between the due date and the day it was met, when met late; else None."""
        if self.done_on is None or self.due is None or self.done_on <= self.due:
            return None
        return (self.done_on - self.due).days


_new, _set = object.__new__, object.__setattr__


def item_template(**shared: object) -> dict[str, object]:
    """Every field of an item, in order: `shared` (what the items of one rule have in common)
    and None for the rest. A copy with the other fields set becomes an item by `item_from`:
    copying a dict is a third of the time of building one, key by key."""
    unknown = set(shared) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"not fields of an item: {sorted(unknown)}")
    template = dict.fromkeys(ITEM_FIELDS)
    template.update(shared)
    return template


def item_from(values: dict[str, object]) -> Item:
    """The item of `values`: a copy of an `item_template` with every field set, made without
    the frozen dataclass's __init__ (one object.__setattr__ per field: a fifth of a 10,000-model
    timeline's time). The dict becomes the item's own; do not reuse it."""
    item = _new(Item)
    _set(item, "__dict__", values)
    return item


ITEM_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Item))


def item_order(item: Item) -> tuple[bool, date, str]:
    """The order of items (`Item.sort_key`): dated first, by date, then by id. A function, so a
    sort of 100,000 items calls it without the property around it."""
    return (item.due is None, item.due or date.max, item.id)


@dataclass(frozen=True)
class RegimeReason:
    """One reason a model is in its regime, with the provision it rests on (rule data)."""

    text: str
    citation: str


@dataclass(frozen=True)
class ModelTimeline:
    id: str
    name: str
    regime: Regime
    regime_deadline: date | None
    systemic_risk: bool
    items: tuple[Item, ...]
    findings: tuple[str, ...] = ()
    reasons: tuple[RegimeReason, ...] = ()  # why this regime (notifier.core.regimes)

    @property
    def withdrawn_on(self) -> date | None:
        """The day the model was withdrawn from the market: the date of its withdrawal
        milestone, which the timeline adds from the register's withdrawn_on (K10)."""
        return next((i.due for i in self.items if i.rule == WITHDRAWN), None)


@dataclass(frozen=True)
class Unusable:
    """A model, an event or the organisation whose items could not be computed: reported
    (check, status, /healthz) while everything else goes on."""

    kind: Literal["model", "event", "organisation"]
    id: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind} {self.id}: its items could not be computed ({self.detail})"


@dataclass(frozen=True)
class Timeline:
    as_of: date
    law: str
    organisation: str
    models: tuple[ModelTimeline, ...]
    organisation_items: tuple[Item, ...]
    fine_ceiling_eur: int | None
    fine_citation: str
    findings: tuple[str, ...] = field(default=())
    unusable: tuple[Unusable, ...] = field(default=())

    def all_items(self) -> list[Item]:
        """Every item in order; sorted once (the timeline never changes), copied per call."""
        found: tuple[Item, ...] | None = self.__dict__.get("_all_items")
        if found is None:
            items = list(self.organisation_items)
            for model in self.models:
                items.extend(model.items)
            found = tuple(sorted(items, key=item_order))
            object.__setattr__(self, "_all_items", found)  # a cache, not a field: eq, repr
        return list(found)
