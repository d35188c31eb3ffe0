"""Fixtures for HTTP: feeds of the example register built into a store (on each engine) and
written to tmp_path, and the real app."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from notifier.cli.serving import http_app
from notifier.core.law import load_ruleset
from notifier.core.register import Register, parse_register
from notifier.core.timeline import TimelineOptions, timeline
from notifier.feeds.files import Published, publish
from notifier.feeds.publish import build
from notifier.feeds.render import FeedBuilder
from notifier.settings import FeedSettings
from notifier.store.engine import Store

REPO = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 8, 30, tzinfo=UTC)


class Site:
    """The example register's feeds on disk, and a way to publish a changed register."""

    def __init__(self, root: Path, store_url: str) -> None:
        self.calendars = root / "calendars"
        self.store = Store.open(store_url, NOW)
        self.builder = FeedBuilder(FeedSettings())
        self.text = (REPO / "config" / "register.toml").read_text(encoding="utf-8")
        self.published: dict[str, Published] = {}

    def publish(self, text: str | None = None, now: datetime = NOW) -> dict[str, Published]:
        register: Register = parse_register(text or self.text, "register.toml", AS_OF)
        result = timeline(register, load_ruleset(), AS_OF, TimelineOptions())
        feeds = build(self.builder, result, register, self.store, now)
        self.published = {
            p.feed.audience.key: p for p in publish(feeds, self.calendars, self.store, now)
        }
        return self.published


@pytest.fixture
def site(tmp_path: Path, store_url: str) -> Iterator[Site]:
    made = Site(tmp_path, store_url)
    made.publish()
    yield made
    made.store.close()


@pytest.fixture
def app(site: Site) -> Starlette:
    # token_cache_seconds=0: every request sees the store as it is (rotation at once).
    return http_app(site.calendars, site.store, token_cache_seconds=0)


@pytest.fixture
def client(app: Starlette) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client
