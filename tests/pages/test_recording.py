"""Recording through the pages, with the command line's rules: mark an item met (date, note,
evidence), correct a mark with a new entry, record events; a refusal shows the command line's
message beside the field and records nothing; the audit log names the person."""

from __future__ import annotations

import html
import re
from datetime import date

from starlette.testclient import TestClient

from notifier.core.recording import done_problems, not_a_date
from notifier.store.audit import entries
from notifier.store.events import load_events
from notifier.store.history import mark_records
from tests.support.webapp import WebSite, post

OVERDUE = "atlas-13b/art-53-1-a-technical-documentation"


def overdue_ids(client: TestClient) -> list[str]:
    page = client.get("/").text
    section = page.split('id="overdue-title"')[1].split("</section>")[0]
    return re.findall(r'href="/items/([^"]+)"', section)


def field_error(page: str, field: str) -> str:
    found = re.search(rf'<p class="field-error" id="{field}-error">(.*?)</p>', page, re.S)
    assert found, f"no message beside {field}"
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).removeprefix("Error: ")


def test_marking_an_overdue_item_met_records_it_with_the_persons_id(
    site: WebSite, ana: TestClient
) -> None:
    assert OVERDUE in overdue_ids(ana)
    answer = post(
        ana,
        f"/items/{OVERDUE}",
        {
            "action": "done",
            "on": "2026-11-20",
            "note": "Annex XI file v3 signed off",
            "evidence_url": "https://dms.example.com/doc/42",
        },
        ana.get(f"/items/{OVERDUE}").text,
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/items/{OVERDUE}"
    page = ana.get(f"/items/{OVERDUE}").text
    assert "Recorded: met on 2026-11-20" in page
    assert "https://dms.example.com/doc/42" in page
    assert OVERDUE not in overdue_ids(ana)
    last = entries(site.context.store)[-1]
    assert (last.actor, last.action, last.subject) == ("web:legal", "done", OVERDUE)
    assert "Annex XI file v3 signed off" in last.detail
    [mark] = mark_records(site.context.store, {OVERDUE})[OVERDUE]
    assert (mark.done_on, mark.evidence_url, mark.recorded_by) == (
        date(2026, 11, 20),
        "https://dms.example.com/doc/42",
        "web:legal",
    )


def test_a_date_later_than_today_shows_the_command_lines_message_and_records_nothing(
    site: WebSite, ana: TestClient, run_cli: object
) -> None:
    page = ana.get(f"/items/{OVERDUE}").text
    answer = post(ana, f"/items/{OVERDUE}", {"action": "done", "on": "2099-01-01"}, page)
    assert answer.status_code == 400
    expected = done_problems(date(2099, 1, 1), date(2026, 11, 24))[0].message
    assert field_error(answer.text, "on") == expected
    assert "Nothing was recorded" in answer.text
    assert 'aria-invalid="true"' in answer.text
    assert mark_records(site.context.store, {OVERDUE}) == {}
    assert OVERDUE in overdue_ids(ana)


def test_the_command_line_refuses_the_same_date_with_the_same_words(
    site: WebSite, ana: TestClient
) -> None:
    cli = site.workspace.cli("done", OVERDUE, "--on", "2099-01-01")
    assert cli.code == 2
    cli_message = cli.err.split("--on: ", 1)[1].strip()
    web = post(ana, f"/items/{OVERDUE}", {"action": "done", "on": "2099-01-01"})
    web_message = field_error(web.text, "on")
    # Each says "later than today (<its today>)": the page's clock is set, the CLI's is real.
    assert re.sub(r"\(\d{4}-\d\d-\d\d\)", "(today)", cli_message) == re.sub(
        r"\(\d{4}-\d\d-\d\d\)", "(today)", web_message
    )


def test_a_date_that_does_not_exist_is_refused_as_the_command_line_refuses_it(
    site: WebSite, ana: TestClient
) -> None:
    web = post(ana, f"/items/{OVERDUE}", {"action": "done", "on": "2026-02-30"})
    assert web.status_code == 400
    assert field_error(web.text, "on") == not_a_date("2026-02-30")
    cli = site.workspace.cli("done", OVERDUE, "--on", "2026-02-30")
    assert cli.code == 2
    assert not_a_date("2026-02-30") in cli.err
    assert mark_records(site.context.store, {OVERDUE}) == {}


def test_an_evidence_address_must_be_a_web_address(site: WebSite, ana: TestClient) -> None:
    web = post(
        ana, f"/items/{OVERDUE}", {"action": "done", "on": "", "evidence_url": "javascript:1"}
    )
    assert web.status_code == 400
    assert "is not a web address" in field_error(web.text, "evidence_url")
    assert mark_records(site.context.store, {OVERDUE}) == {}


def test_a_correction_is_a_new_audited_entry_and_the_earlier_mark_stays(
    site: WebSite, ana: TestClient
) -> None:
    post(ana, f"/items/{OVERDUE}", {"action": "done", "on": "2026-11-20", "note": "first"})
    [first] = mark_records(site.context.store, {OVERDUE})[OVERDUE]
    page = ana.get(f"/items/{OVERDUE}").text
    answer = post(
        ana,
        f"/items/{OVERDUE}",
        {"action": "correct", "mark": str(first.id), "on": "2026-11-02", "note": "true date"},
        page,
    )
    assert answer.status_code == 303
    old, new = mark_records(site.context.store, {OVERDUE})[OVERDUE]
    assert (old.id, old.in_force, old.done_on) == (first.id, False, date(2026, 11, 20))
    assert (new.in_force, new.corrects, new.done_on) == (True, first.id, date(2026, 11, 2))
    last = entries(site.context.store)[-1]
    assert (last.actor, last.action) == ("web:legal", "done-correct")
    assert "corrects the mark of 2026-11-20" in last.detail
    page = ana.get(f"/items/{OVERDUE}").text
    assert "met 2026-11-02" in page.lower()
    assert "corrected" in page
    # The item is met on the corrected day, though the corrected mark was later.
    timeline = site.workspace.cli("timeline", "--model", "atlas-13b", "--format", "json").out
    assert '"done_on": "2026-11-02"' in timeline


def test_recording_an_incident_starts_its_deadlines(site: WebSite, ana: TestClient) -> None:
    form = "/models/titan-1/record/incident"
    missing = post(ana, form, {"type": "cybersecurity"})
    assert missing.status_code == 400
    assert field_error(missing.text, "aware_on") == "required for 'event add incident'"
    assert load_events(site.context.store).events == []
    answer = post(ana, form, {"type": "cybersecurity", "aware_on": "2026-11-23"})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/models/titan-1"
    [event] = load_events(site.context.store).events
    assert (event.id, event.kind) == ("incident-1", "incident")
    page = ana.get("/models/titan-1").text
    assert "Recorded incident-1." in page
    assert "titan-1/incident-1/" in page
    last = entries(site.context.store)[-1]
    assert (last.actor, last.action, last.subject) == ("web:legal", "event-add", "incident-1")


def test_an_urgent_event_mails_its_owners_at_once(site: WebSite, ana: TestClient) -> None:
    # Critical infrastructure: the initial report is due 2 days after awareness (Measure 9.3).
    fields = {"type": "critical-infrastructure", "aware_on": "2026-11-23"}
    post(ana, "/models/titan-1/record/incident", fields)
    page = ana.get("/models/titan-1").text
    assert "Emailed" in page
    assert "at once" in page
    digests = [m for m in site.mails() if "sign-in" not in str(m["Subject"])]
    assert digests, "no mail at once"


def test_a_commission_request_needs_one_of_period_and_due(site: WebSite, ana: TestClient) -> None:
    form = "/organisation/record/commission-request"
    both = post(ana, form, {"received_on": "2026-11-20", "due": "2026-12-20", "period_days": "30"})
    assert both.status_code == 400
    assert "one of them" in field_error(both.text, "period_days")
    ok = post(ana, form, {"received_on": "2026-11-20", "period_days": "30", "reference": "AIO/1"})
    assert ok.status_code == 303
    [event] = load_events(site.context.store).events
    assert event.kind == "commission-request"


def test_an_incident_is_resolved_within_its_dates(site: WebSite, ana: TestClient) -> None:
    post(ana, "/models/titan-1/record/incident", {"type": "other-harm", "aware_on": "2026-11-10"})
    early = post(ana, "/events/incident-1/resolve", {"on": "2026-11-01"})
    assert early.status_code == 400
    assert "must lie between the awareness date (2026-11-10)" in field_error(early.text, "on")
    ok = post(ana, "/events/incident-1/resolve", {"on": "2026-11-20"})
    assert ok.status_code == 303
    [event] = load_events(site.context.store).events
    assert getattr(event, "resolved_on", None) == date(2026, 11, 20)
    assert entries(site.context.store)[-1].action == "event-resolve"


def test_an_owner_records_on_their_own_model(site: WebSite, dara: TestClient) -> None:
    answer = post(
        dara,
        "/models/contracts-tune/record/downstream-request",
        {
            "received_on": "2026-11-23",
            "requester": "Example Downstream",
        },
    )
    assert answer.status_code == 303
    assert entries(site.context.store)[-1].actor == "web:product"
