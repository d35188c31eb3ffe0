"""Reading timelines in tests: a model's items by rule, and one item's facts checked at once."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from notifier.core.items import Item, Timeline

# The day most law tests look at the timeline from.
AS_OF = date(2026, 11, 24)
# The types of the timeline_of and items_of fixtures (tests/law/conftest.py).
TimelineOf = Callable[..., Timeline]
ItemsOf = Callable[..., dict[str, Item]]


def items_by_rule(timeline: Timeline, model_id: str | None = None) -> dict[str, Item]:
    """The items of one model (the first, unless `model_id` names another), keyed by rule."""
    model = next(m for m in timeline.models if model_id is None or m.id == model_id)
    return {item.rule: item for item in model.items}


def regime(timeline: Timeline) -> tuple[str, date | None]:
    """The first model's regime and the deadline that goes with it."""
    model = timeline.models[0]
    return model.regime, model.regime_deadline


def assert_item(item: Item, **expected: object) -> None:
    """Each named field of `item` (due, citation, status, basis, ...) has the value given."""
    actual = {name: getattr(item, name) for name in expected}
    assert actual == expected, f"{item.rule}: {actual} != {expected}"


def assert_items(items: dict[str, Item], rules: Iterable[str], **expected: object) -> None:
    """assert_item for each of `rules` in `items`."""
    for rule in rules:
        assert_item(items[rule], **expected)
