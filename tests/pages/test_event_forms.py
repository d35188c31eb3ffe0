"""Every kind of event the command line records has a form on the pages, with the same fields
(`notifier event add KIND --FIELD`), recorded through the same use case: the event stored is the
one the core builds from the same fields, and the model page links to every form."""

from __future__ import annotations

from datetime import date

import pytest
from starlette.testclient import TestClient

from notifier.core import recording
from notifier.core.recording import EventFields
from notifier.store.events import load_events
from notifier.web.event_forms import EVENT_FORMS
from tests.support.webapp import WebSite, post

from .test_recording import field_error

TODAY = date(2026, 11, 24)
# One event of each kind, every field its kind takes, as typed in the form.
SAMPLES: dict[str, dict[str, str]] = {
    "incident": {"type": "cybersecurity", "aware_on": "2026-11-20"},
    "downstream-request": {"received_on": "2026-11-20", "requester": "Example Downstream"},
    "commission-request": {"received_on": "2026-11-20", "period_days": "30", "reference": "AIO/1"},
    "notification": {"sent_on": "2026-11-02"},
    "designation": {"decided_on": "2026-11-10", "informed_on": "2026-11-12"},
    "arguments-decision": {"decision": "rejected", "decided_on": "2026-11-10"},
    "further-training": {"trained_on": "2026-11-01", "compute_flop": "2.1e25"},
    "evaluator-findings": {"aware_on": "2026-11-20"},
    "model-report-delayed": {"decided_on": "2026-11-15"},
    "reference-model-lost": {"aware_on": "2026-11-20"},
    "copyright-complaint": {"received_on": "2026-11-20", "requester": "Example Rights Holder"},
}


def typed(fields: dict[str, str]) -> dict[str, object]:
    """The fields as the command line's options give them."""
    values: dict[str, object] = {}
    for name, text in fields.items():
        if name in recording.EVENT_DATES:
            values[name] = date.fromisoformat(text)
        elif name == "period_days":
            values[name] = int(text)
        elif name == "compute_flop":
            values[name] = float(text)
        else:
            values[name] = text
    return values


def test_the_forms_ask_exactly_what_the_command_line_takes() -> None:
    assert set(EVENT_FORMS) == set(recording.EVENT_KINDS)
    for kind, (_, fields) in EVENT_FORMS.items():
        asked = {name for name, *_ in fields}
        assert asked == set(recording.USED_BY[kind]), kind
    assert set(SAMPLES) == set(recording.EVENT_KINDS)
    # Every field of its kind (a Commission request takes its period or its due date).
    assert all(set(SAMPLES[k]) == set(recording.USED_BY[k]) - {"due"} for k in SAMPLES)


def test_the_model_page_links_to_a_form_for_every_kind(ana: TestClient) -> None:
    page = ana.get("/models/titan-1").text
    for kind in recording.EVENT_KINDS:
        assert f'href="/models/titan-1/record/{kind}"' in page, kind


@pytest.mark.parametrize("kind", recording.EVENT_KINDS)
def test_each_kind_is_recorded_as_the_command_line_records_it(
    site: WebSite, ana: TestClient, kind: str
) -> None:
    form = f"/models/titan-1/record/{kind}"
    page = ana.get(form)
    assert page.status_code == 200
    for name in SAMPLES[kind]:
        assert f'name="{name}"' in page.text, name
    answer = post(ana, form, SAMPLES[kind], page.text)
    assert answer.status_code == 303, answer.text
    [event] = load_events(site.context.store).events
    fields = EventFields(model="titan-1", **typed(SAMPLES[kind]))  # type: ignore[arg-type]
    assert event == recording.build_event(kind, fields, event.id, TODAY)


def test_a_designation_informed_before_its_decision_is_refused_beside_the_field(
    site: WebSite, ana: TestClient
) -> None:
    form = "/models/titan-1/record/designation"
    answer = post(ana, form, {"decided_on": "2026-11-10", "informed_on": "2026-11-09"})
    assert answer.status_code == 400
    assert "is before the decision (2026-11-10)" in field_error(answer.text, "informed_on")
    assert load_events(site.context.store).events == []


def test_a_compute_that_is_no_number_is_refused_beside_the_field(
    site: WebSite, ana: TestClient
) -> None:
    form = "/models/titan-1/record/further-training"
    answer = post(ana, form, {"trained_on": "2026-11-01", "compute_flop": "lots"})
    assert answer.status_code == 400
    assert "'lots' is not a number" in field_error(answer.text, "compute_flop")
    assert load_events(site.context.store).events == []
