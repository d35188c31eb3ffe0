"""What the pages show: the organisation, a model with its reasons and timeline, an item's
history, the audit log with its filters, the person's feeds; the health banner; overrides."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.testclient import TestClient

from notifier.store.audit import entries, head
from notifier.store.feeds import ensure_tokens, feed_records
from tests.support.text import missing
from tests.support.webapp import WebSite, post

OVERDUE = "atlas-13b/art-53-1-a-technical-documentation"


def test_the_overview_shows_the_fine_ceiling_overdue_items_and_models_by_regime(
    ana: TestClient,
) -> None:
    page = ana.get("/").text
    assert missing(page, "EUR 24,600,000", "AI Act Art 101(1)", "Overdue", OVERDUE) == []
    assert "Due in the next 30 days" in page
    for regime in ("Chapter V applies", "Art 111(3) transition", "Planned", "Downstream"):
        assert regime in page
    assert "The service reports a problem" not in page


def test_a_degraded_service_shows_a_banner_with_its_problems(
    site: WebSite, ana: TestClient
) -> None:
    site.health = {
        "status": "degraded",
        "problems": [
            {"kind": "smtp", "since": "2026-11-24T08:00:00+00:00", "detail": "connection refused"}
        ],
    }
    page = ana.get("/").text
    assert "The service reports a problem (degraded)" in page
    assert "connection refused" in page
    assert "smtp" in page
    site.health = {"status": "degraded", "scheduler": "stopped"}
    assert "The health report" in ana.get("/").text


def test_a_model_page_gives_the_regime_with_reasons_citations_and_a_timeline(
    ana: TestClient,
) -> None:
    page = ana.get("/models/atlas-7b").text
    assert "Art 111(3) transition" in page
    assert "before 2025-08-02: its duties are due by 2027-08-02" in page
    assert "(AI Act Art 111(3))" in page
    chart = ('<svg class="timeline-chart"', 'role="img"')
    assert missing(page, *chart, 'href="/static/print.css" media="print"') == []
    assert "Printed " in page  # the print header
    titan = ana.get("/models/titan-1").text
    assert "Systemic risk presumed" in titan
    assert "AI Act Art 51(1)(a), 51(2)" in titan


def test_an_unknown_model_or_item_is_a_calm_404(ana: TestClient) -> None:
    assert ana.get("/models/nope").status_code == 404
    missing = ana.get("/items/nope/nothing")
    assert missing.status_code == 404
    assert "no such item" in missing.text


def test_the_model_page_shows_done_marks_with_notes_and_evidence(ana: TestClient) -> None:
    post(
        ana,
        f"/items/{OVERDUE}",
        {"on": "2026-11-20", "note": "v3 filed", "evidence_url": "https://dms.example.com/9"},
    )
    page = ana.get("/models/atlas-13b").text
    assert "v3 filed" in page
    assert 'href="https://dms.example.com/9"' in page


def test_an_items_page_gives_the_duty_in_full_and_its_history(
    site: WebSite, ana: TestClient
) -> None:
    site.workspace.cli("remind", "--as-of", "2026-11-24T09:00:00+01:00")
    page = ana.get(f"/items/{OVERDUE}").text
    assert "AI Act Art 53(1)(a)" in page
    assert "Legal basis" in page
    assert "Verification" in page
    assert "bruno.keller@example.com" in page  # the reminder sent, with its recipient
    assert "Mark this item met" in page


def test_the_audit_log_filters_by_model_kind_and_dates(site: WebSite, ana: TestClient) -> None:
    post(ana, f"/items/{OVERDUE}", {"on": "2026-11-20", "note": "filed"})
    post(ana, "/models/titan-1/record/incident", {"type": "other-harm", "aware_on": "2026-11-20"})
    everything = ana.get("/audit").text
    assert "filed" in everything
    assert "incident-1" in everything
    assert "sign-in" in everything
    chain = head(site.context.store)
    assert (
        f'Hash chain: {chain.entries} entries, head <code class="hash">{chain.hash}' in everything
    )
    by_model = ana.get("/audit?model=titan-1").text
    assert "incident-1" in by_model
    assert "filed" not in by_model
    by_kind = ana.get("/audit?kind=done").text
    assert "filed" in by_kind
    assert "incident-1" not in by_kind
    assert "No entry matches" in ana.get("/audit?until=2026-11-23").text
    assert "filed" in ana.get("/audit?since=2026-11-24&until=2026-11-24").text
    bad = ana.get("/audit?since=2026-13-01")
    assert bad.status_code == 400
    assert "&#39;2026-13-01&#39; is not a date like 2026-11-24" in bad.text


def test_the_feeds_page_gives_the_persons_links_and_a_new_one_on_request(
    site: WebSite, ana: TestClient
) -> None:
    assert "Not published yet" in ana.get("/feeds").text
    ensure_tokens(site.context.store, ["person:legal", "organisation"], site.clock.now())
    page = ana.get("/feeds").text
    token = feed_records(site.context.store)["person:legal"].token
    assert f"webcal://127.0.0.1:8080/feeds/{token}/person-legal.ics" in page
    assert f"http://127.0.0.1:8080/feeds/{token}/person-legal.ics" in page
    assert "Google Calendar" in page
    assert "Outlook" in page
    answer = post(ana, "/feeds", {"audience": "person:legal"}, page)
    assert answer.status_code == 303
    assert feed_records(site.context.store)["person:legal"].token != token
    last = entries(site.context.store)[-1]
    assert (last.actor, last.action, last.subject) == ("web:legal", "feeds-rotate", "person:legal")


def test_a_person_may_rotate_only_their_own_feeds(site: WebSite, dara: TestClient) -> None:
    ensure_tokens(site.context.store, ["organisation"], site.clock.now())
    page = dara.get("/feeds").text
    assert "All of Example AI SAS" not in page  # the organisation's feed: contacts only
    assert post(dara, "/feeds", {"audience": "organisation"}, page).status_code == 403


def test_a_template_in_templates_dir_web_wins(site: WebSite, ana: TestClient) -> None:
    folder = Path("templates") / "web"  # the setting's default, relative to the working dir
    folder.mkdir(parents=True)
    (folder / "refusal.html").write_text("custom {{ title }}", encoding="utf-8")
    from notifier.cli.serving import http_app, page_routes

    app = http_app(
        site.context.settings.calendars_dir,
        site.context.store,
        routes=page_routes(lambda: site.context, site.clock),
    )
    with TestClient(app) as client:
        answer = client.post("/sign-in", data={"email": "x@example.com"})
    assert answer.status_code == 403
    assert answer.text == "custom This form could not be accepted"
    assert re.search(r"<h1>", ana.get("/").text)


def test_the_advice_page_gives_the_decision_per_chapter_as_notifier_advise_does(
    ana: TestClient,
) -> None:
    page = ana.get("/advice").text
    for title in ("Transparency", "Copyright", "Safety and Security"):
        assert f">{title}</h2>" in page
    assert page.count("Signed: operate per the Code.") == 3
    assert "AI Act Art 53(4)" in page
    assert "harmonised standards" in page
    assert 'href="/models/titan-1"' in page
    assert "Open-2" in page  # an upstream provider that signed only one chapter


def test_a_model_page_warns_when_a_recorded_designation_disagrees_with_the_register(
    site: WebSite, ana: TestClient
) -> None:
    """REFERENCE L1: the register does not mark atlas-13b systemic; a designation recorded on
    the command line makes it so, and the page names the register line that disagrees."""
    added = site.workspace.cli(
        "event",
        "add",
        "designation",
        "--model",
        "atlas-13b",
        "--decided-on",
        "2026-05-20",
        "--as-of",
        "2026-11-24T10:00:00+01:00",
    )
    assert "Recorded designation-1." in added.out
    page = ana.get("/models/atlas-13b").text
    assert "the recorded designation designation-1" in page
    assert "register.toml:" in page
    assert "art-55-1-a-model-evaluation" in page
