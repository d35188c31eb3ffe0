"""What the pages show, picked from the timeline and the register: the organisation's overview,
a model, an item. No legal reasoning: a model's regime reasons and their citations come with the
timeline (`ModelTimeline.reasons`, from notifier.core.regimes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from notifier.core.items import REGIMES, Item, ModelTimeline, Timeline
from notifier.core.register import Model, Register


@dataclass(frozen=True)
class Overview:
    overdue: list[Item]
    due_soon: list[Item]
    by_regime: list[tuple[str, list[ModelTimeline]]]
    window_days: int


def overview(result: Timeline, window_days: int) -> Overview:
    """What is overdue, what falls due within the window, and the models by regime."""
    items = result.all_items()
    horizon = result.as_of + timedelta(days=window_days)
    overdue = [i for i in items if i.status == "overdue"]
    due_soon = [
        i
        for i in items
        if i.due is not None and i.status != "done" and result.as_of <= i.due <= horizon
    ]
    by_regime = [(r, [m for m in result.models if m.regime == r]) for r in REGIMES]
    return Overview(overdue, due_soon, [(r, ms) for r, ms in by_regime if ms], window_days)


def open_counts(model: ModelTimeline) -> dict[str, int]:
    counts = {"overdue": 0, "due-soon": 0}
    for item in model.items:
        if item.status in counts:
            counts[item.status] += 1
    return counts


def model_of(register: Register, model_id: str) -> Model | None:
    return next((m for m in register.models if m.id == model_id), None)


def find_item(result: Timeline, item_id: str) -> Item | None:
    return next((i for i in result.all_items() if i.id == item_id), None)


def people_names(register: Register, ids: tuple[str, ...]) -> list[str]:
    names = {p.id: p.name for p in register.people}
    return [names.get(i, i) for i in ids]
