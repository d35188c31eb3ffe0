"""Fixtures for the feed tests: the example register, a real store (on each engine), a build
function."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest

from notifier.core.law import RuleSet, load_ruleset
from notifier.core.register import Register
from notifier.core.timeline import DoneMark, TimelineOptions, timeline
from notifier.feeds import publish
from notifier.feeds.render import Feed, FeedBuilder
from notifier.settings import FeedSettings
from notifier.store.engine import Store

from .examples import AS_OF, NOW, Build, example_text, parse


@pytest.fixture(scope="session")
def ruleset() -> RuleSet:
    return load_ruleset()


@pytest.fixture
def example() -> Register:
    return parse(example_text())


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = Store.open(store_url, NOW)
    yield opened
    opened.close()


@pytest.fixture
def build(ruleset: RuleSet, store: Store) -> Build:
    """build(register, now=NOW, as_of=AS_OF, done=None, builder=None, **FeedSettings)."""

    def run(
        register: Register,
        now: datetime = NOW,
        as_of: date = AS_OF,
        done: dict[str, tuple[DoneMark, ...]] | None = None,
        builder: FeedBuilder | None = None,
        **settings: object,
    ) -> list[Feed]:
        result = timeline(register, ruleset, as_of, TimelineOptions(done=done or {}))
        builder = builder or FeedBuilder(FeedSettings.model_validate(settings))
        return publish.build(builder, result, register, store, now)

    return run
