"""Fixtures for the law tests: one register's timeline, or a model's items by rule, as of a day."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import pytest

from notifier.core.items import Item, Timeline
from notifier.core.register import Register
from notifier.core.timeline import TimelineOptions
from tests.support.timelines import AS_OF, ItemsOf, TimelineOf, items_by_rule

_OPTIONS = {f.name for f in dataclasses.fields(TimelineOptions)}


@pytest.fixture(scope="session")
def timeline_of(
    make_register: Callable[..., Register], make_timeline: Callable[..., Timeline]
) -> TimelineOf:
    """timeline_of(model, ..., as_of=AS_OF, **settings) -> the timeline of those models.

    Each keyword that names a TimelineOptions field (done, events, business_calendar, ...) goes
    to the timeline, every other to the register (established_in, copyright, today, ...).
    """

    def make(*models: Mapping[str, Any], as_of: date = AS_OF, **settings: Any) -> Timeline:
        options = {k: v for k, v in settings.items() if k in _OPTIONS}
        organisation = {k: v for k, v in settings.items() if k not in _OPTIONS}
        return make_timeline(make_register(*models, **organisation), as_of, **options)

    return make


@pytest.fixture(scope="session")
def items_of(timeline_of: TimelineOf) -> ItemsOf:
    """items_of(model, ..., model_id=None, **as timeline_of) -> a model's items by rule.

    The items are the first model's unless `model_id` names another.
    """

    def items(
        *models: Mapping[str, Any], model_id: str | None = None, **settings: Any
    ) -> dict[str, Item]:
        return items_by_rule(timeline_of(*models, **settings), model_id)

    return items
