"""Models that differ only in id, name and owners have the same items: worked out once. Pure.

A large register repeats itself: the versions of a family placed on one day, the fine-tunes
built on one upstream model, the planned models of one launch. Every date, status, citation and
note of a model's items follows from its *shape*: the model's other fields and what the run
knows of it (its lineage's first placing, whether it keeps a systemic earlier version's history,
whether the register records its designation, a recorded Art 52(1) notification). No text of an
item names its model: notes are filled from dates only (`NOTE_FIELDS`), upstream notes from the
upstream entry, which is part of the shape. So a model whose shape was seen earlier in the same
run gets the earlier model's timeline with its own id, name and owners put in, at a tenth of the
cost of working it out.

Never reused: the timeline of a model with done marks or recorded events (their items and ids
are its own). The reasons are reused: a later version's name its first version, which follows
from `version_of`, part of the shape. The one text that names the model itself (the finding of
an unrecorded notification) is written again by the caller (build.py).
tests/test_timeline_shapes.py checks reused timelines against those worked out model by model.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import Any

from notifier.core.items import Item, ModelTimeline, item_from
from notifier.core.register import Model

# Every field of a model but those that only name it (pydantic's field order: stable).
_NAMING = ("id", "name", "owners")
_shape_fields = attrgetter(*(name for name in Model.model_fields if name not in _NAMING))


@dataclass(frozen=True)
class Known:
    """What the run knows of a model beyond its own fields (see the module's docstring)."""

    lineage_placing: date | None
    inherits: bool
    designation_in_register: bool
    notification_sent: date | None


def shape(model: Model, known: Known) -> tuple[Any, ...]:
    """The key two models share when their timelines differ only in id, name and owners."""
    return (_shape_fields(model), known)


def renamed(seen: ModelTimeline, model: Model) -> tuple[Item, ...]:
    """The items of `seen`, the timeline of a model of the same shape, as `model`'s: with its
    id (each item id starts `<model id>/`, items.item_id) and its owners. They keep their
    order: it is by date, then by id, and the ids of one model share their start."""
    cut, head, owners = len(seen.id), model.id, model.owners
    items = []
    for item in seen.items:
        values = item.__dict__.copy()
        values["id"] = head + values["id"][cut:]
        values["model"] = head
        values["owners"] = owners
        items.append(item_from(values))
    return tuple(items)
