"""POST /api/v1/events takes every kind and every field `notifier event add` takes, and its
OpenAPI description says so."""

from __future__ import annotations

from datetime import date

import pytest

from notifier.core import recording
from notifier.core.recording import EventFields
from notifier.store.events import load_events
from tests.pages.test_event_forms import SAMPLES, typed
from tests.support.webapp import WebSite

from .conftest import bearer, token


def body(kind: str) -> dict[str, object]:
    """The sample of the pages' test as JSON: numbers as numbers, dates as ISO text."""
    given = typed(SAMPLES[kind])
    values = {k: v.isoformat() if isinstance(v, date) else v for k, v in given.items()}
    return {"kind": kind, "model": "titan-1", **values}


def test_the_description_lists_every_kind_and_field(site: WebSite) -> None:
    with site.client() as client:
        spec = client.get("/api/openapi.json").json()
    schema = spec["components"]["schemas"]["EventIn"]
    assert set(schema["properties"]) == {"kind", "model", *recording.USED}
    kinds = schema["properties"]["kind"]["enum"]
    assert set(kinds) == set(recording.EVENT_KINDS)


@pytest.mark.parametrize("kind", recording.EVENT_KINDS)
def test_every_kind_is_recorded_as_the_command_line_records_it(site: WebSite, kind: str) -> None:
    headers = bearer(token(site, "legal", "write", "events"))
    with site.client() as client:
        answer = client.post("/api/v1/events", json=body(kind), headers=headers)
    assert answer.status_code == 201, answer.text
    [event] = load_events(site.context.store).events
    fields = EventFields(model="titan-1", **typed(SAMPLES[kind]))  # type: ignore[arg-type]
    assert event == recording.build_event(kind, fields, event.id, date(2026, 11, 24))
    assert answer.json()["event"]["id"] == event.id
