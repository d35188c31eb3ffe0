"""Golden files: feeds byte for byte, from a frozen snapshot of the example register's timeline.

The snapshot (golden/register.toml and golden/timeline.json: the example register and its
timeline as of 2026-11-24) keeps these files about the feed format alone, so that edits to the
rule data or the example register do not change them. To regenerate after a deliberate change
to the format: `UPDATE_GOLDEN=1 .venv/bin/pytest tests/feeds/test_feed_golden.py`;
to re-snapshot from the live example register too: `UPDATE_GOLDEN=all ...`. Review the
diff like code: every changed line is a change that every subscriber will see.
"""

from __future__ import annotations

import dataclasses
import json
import os
from datetime import date
from typing import Any

import pytest

from notifier.core.items import Item, ModelTimeline, Timeline
from notifier.core.law import RuleSet
from notifier.core.register import parse_register
from notifier.core.timeline import timeline
from notifier.feeds.publish import build
from notifier.feeds.render import FeedBuilder
from notifier.settings import FeedSettings
from notifier.store.engine import Store

from .examples import AS_OF, GOLDEN, NOW, by_audience, example_text

GOLDEN_FEEDS = ("organisation", "model:titan-1", "model:support-bot", "person:product")
UPDATE = os.environ.get("UPDATE_GOLDEN", "")


def _item(data: dict[str, Any]) -> Item:
    for key in ("due", "trigger", "done_on", "occurrence"):
        data[key] = date.fromisoformat(data[key]) if data.get(key) else None
    return Item(**{**data, "owners": tuple(data["owners"])})


def load_snapshot() -> Timeline:
    data = json.loads((GOLDEN / "timeline.json").read_text(encoding="utf-8"))
    models = tuple(
        ModelTimeline(
            id=m["id"],
            name=m["name"],
            regime=m["regime"],
            regime_deadline=date.fromisoformat(m["regime_deadline"])
            if m["regime_deadline"]
            else None,
            systemic_risk=m["systemic_risk"],
            items=tuple(_item(i) for i in m["items"]),
        )
        for m in data["models"]
    )
    return Timeline(
        as_of=date.fromisoformat(data["as_of"]),
        law=data["law"],
        organisation=data["organisation"],
        models=models,
        organisation_items=tuple(_item(i) for i in data["organisation_items"]),
        fine_ceiling_eur=data["fine_ceiling_eur"],
        fine_citation=data["fine_citation"],
    )


def snapshot_text(result: Timeline) -> str:
    def plain(value: object) -> object:
        return value.isoformat() if isinstance(value, date) else value

    data = dataclasses.asdict(result)
    for model in data["models"]:  # why each regime (issue 18): no feed shows it; not kept here
        model.pop("reasons", None)
    return json.dumps(data, default=plain, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def save_snapshot(result: Timeline) -> None:
    (GOLDEN / "timeline.json").write_text(snapshot_text(result), encoding="utf-8")


@pytest.fixture
def snapshot(ruleset: RuleSet) -> Timeline:
    if UPDATE == "all":
        (GOLDEN / "register.toml").write_text(example_text(), encoding="utf-8")
        register = parse_register(example_text(), "register.toml", AS_OF)
        save_snapshot(timeline(register, ruleset, AS_OF))
    return load_snapshot()


@pytest.mark.parametrize("audience", GOLDEN_FEEDS)
def test_feed_matches_its_golden_file(snapshot: Timeline, store: Store, audience: str) -> None:
    register_text = (GOLDEN / "register.toml").read_text(encoding="utf-8")
    register = parse_register(register_text, "register.toml", AS_OF)
    feeds = build(FeedBuilder(FeedSettings()), snapshot, register, store, NOW)
    feed = by_audience(feeds)[audience]
    path = GOLDEN / feed.audience.filename
    if UPDATE in ("1", "all"):
        path.write_bytes(feed.body)
    assert feed.body == path.read_bytes(), f"{path.name} differs; see this module's docstring"


def test_the_snapshot_round_trips(snapshot: Timeline) -> None:
    # Loading and saving again gives the file byte for byte: no field is lost or altered.
    assert snapshot_text(snapshot) == (GOLDEN / "timeline.json").read_text(encoding="utf-8")
    assert snapshot.as_of == AS_OF
    assert all(i.due is None or isinstance(i.due, date) for i in snapshot.all_items())
