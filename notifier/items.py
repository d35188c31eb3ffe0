"""The values the core hands to every edge: items, model timelines, the timeline. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from notifier.law.model import Basis, Kind, Verification

Regime = Literal["chapter-v", "art-111-3-transition", "planned", "downstream"]
Status = Literal["done", "overdue", "due-soon", "upcoming", "standing"]
REGIMES: tuple[Regime, ...] = ("chapter-v", "art-111-3-transition", "planned", "downstream")


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

    @property
    def sort_key(self) -> tuple[bool, date, str]:
        return (self.due is None, self.due or date.max, self.id)


@dataclass(frozen=True)
class ModelTimeline:
    id: str
    name: str
    regime: Regime
    regime_deadline: date | None
    systemic_risk: bool
    items: tuple[Item, ...]
    findings: tuple[str, ...] = ()


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

    def all_items(self) -> list[Item]:
        items = list(self.organisation_items)
        for model in self.models:
            items.extend(model.items)
        return sorted(items, key=lambda item: item.sort_key)
