"""The JSON form of a timeline: the contract in docs/contracts.md that other tools rely on."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from notifier.core.items import Item, Timeline

# An item's latest move while it is recent (issue 23): its previous due date, the day it moved.
Moved = Mapping[str, tuple[date | None, date]]


def item_json(item: Item, moved: Moved | None = None) -> dict[str, Any]:
    shape = _item_json(item)
    found = (moved or {}).get(item.id)
    if found is not None:
        previous, on = found
        shape["previous_due"] = previous.isoformat() if previous else None
        shape["moved_on"] = on.isoformat()
    return shape


def _item_json(item: Item) -> dict[str, Any]:
    return {
        "id": item.id,
        "rule": item.rule,
        "title": item.title,
        "due": item.due.isoformat() if item.due else None,
        "status": item.status,
        "basis": item.basis,
        "citation": item.citation,
        "kind": item.kind,
        "verification": item.verification,
        "owners": list(item.owners),
        "description": item.description,
        "url": item.url,
        "done_on": item.done_on.isoformat() if item.done_on else None,
        "done_late_days": item.done_late_days,
    }


def timeline_json(timeline: Timeline, moved: Moved | None = None) -> dict[str, Any]:
    """The timeline; with `moved`, the items that moved lately carry `previous_due` and
    `moved_on` (absent otherwise)."""
    return {
        "as_of": timeline.as_of.isoformat(),
        "law": timeline.law,
        "warnings": list(timeline.findings),
        "unusable": [{"kind": u.kind, "id": u.id, "detail": u.detail} for u in timeline.unusable],
        "models": [
            {
                "id": model.id,
                "name": model.name,
                "regime": model.regime,
                "regime_deadline": (
                    model.regime_deadline.isoformat() if model.regime_deadline else None
                ),
                "regime_reasons": [
                    {"text": reason.text, "citation": reason.citation} for reason in model.reasons
                ],
                "systemic_risk": model.systemic_risk,
                "withdrawn_on": model.withdrawn_on.isoformat() if model.withdrawn_on else None,
                "findings": list(model.findings),
                "items": [item_json(item, moved) for item in model.items],
            }
            for model in timeline.models
        ],
        "organisation": {
            "name": timeline.organisation,
            "fine_ceiling_eur": timeline.fine_ceiling_eur,
            "fine_citation": timeline.fine_citation,
            "items": [item_json(item, moved) for item in timeline.organisation_items],
        },
    }
