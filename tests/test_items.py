"""Items: `item_from` (the timeline's fast way to make one) makes exactly what `Item(...)` makes."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, fields
from datetime import date

import pytest

from notifier.core.items import Item, item_from, item_template

VALUES = {
    "id": "atlas-7b/art-53-1-a-technical-documentation",
    "rule": "art-53-1-a-technical-documentation",
    "title": "Technical documentation",
    "due": date(2027, 8, 2),
    "status": "upcoming",
    "basis": "law",
    "citation": "AI Act Art 53(1)(a)",
    "kind": "deadline",
    "verification": "primary",
    "description": "Draw up the technical documentation.",
    "owners": ("legal",),
    "model": "atlas-7b",
    "trigger": date(2024, 11, 5),
    "url": "https://example.com",
    "done_on": date(2027, 1, 2),
    "event": "incident-1",
    "upstream": "example-upstream-big-1",
    "occurrence": date(2026, 8, 2),
}


def test_a_template_has_every_field_of_an_item_in_order() -> None:
    assert list(item_template()) == [f.name for f in fields(Item)]


def test_an_item_from_a_template_equals_the_dataclass_one_in_every_way() -> None:
    shared = {k: VALUES[k] for k in ("rule", "title", "basis", "citation", "kind", "url")}
    values = item_template(**shared)
    values.update({k: v for k, v in VALUES.items() if k not in shared})
    made, fast = Item(**VALUES), item_from(values)  # type: ignore[arg-type]

    assert fast == made
    assert hash(fast) == hash(made)
    assert repr(fast) == repr(made)
    assert vars(fast) == vars(made)
    assert list(vars(fast)) == list(vars(made))
    with pytest.raises(FrozenInstanceError):
        fast.status = "done"  # type: ignore[misc]


def test_a_template_refuses_a_name_that_is_no_field_of_an_item() -> None:
    with pytest.raises(TypeError, match="colour"):
        item_template(colour="red")
