"""Every response carries the security headers; a form without its CSRF token is refused; a
person acts only where the register lets them; nothing is recorded by a refused request."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from notifier.store.audit import entries
from notifier.store.feeds import feed_records
from notifier.web.security import CONTENT_SECURITY_POLICY
from tests.support.webapp import WebSite, csrf_of, post

OVERDUE = "atlas-13b/art-53-1-a-technical-documentation"


def assert_secured(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    csp = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src" not in csp
    assert "default-src 'none'" in csp
    assert "unsafe-inline" not in csp


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/"),
        ("GET", "/sign-in"),
        ("GET", "/healthz"),
        ("GET", "/timeline.json"),
        ("GET", "/static/site.css"),
        ("GET", "/no-such-page"),
        ("GET", "/feeds/not-a-token/organisation.ics"),
        ("POST", "/feeds/x/y.ics"),
        ("POST", "/sign-in"),
    ],
)
def test_every_response_carries_the_security_headers(site: WebSite, method: str, path: str) -> None:
    with site.client() as client:
        assert_secured(client.request(method, path))


def test_a_served_feed_carries_the_security_headers_too(site: WebSite) -> None:
    assert site.workspace.cli("calendars").code == 0  # the feeds, built and kept in the store
    token = feed_records(site.context.store)["organisation"].token
    with site.client() as client:
        feed = client.get(f"/feeds/{token}/organisation.ics")
    assert feed.status_code == 200
    assert_secured(feed)


def test_the_policy_is_the_one_documented() -> None:
    assert CONTENT_SECURITY_POLICY.startswith("default-src 'none'")


def test_pages_use_no_inline_script_or_style(site: WebSite, ana: TestClient) -> None:
    for path in ("/", "/models/titan-1", f"/items/{OVERDUE}", "/audit", "/feeds"):
        html = ana.get(path).text
        assert "<script" not in html
        assert " style=" not in html
        assert "<style" not in html


def test_a_post_without_the_csrf_token_is_refused_and_records_nothing(
    site: WebSite, ana: TestClient
) -> None:
    before = entries(site.context.store)
    answer = ana.post(f"/items/{OVERDUE}", data={"action": "done", "on": "2026-11-20"})
    assert answer.status_code == 403
    wrong = ana.post(
        f"/items/{OVERDUE}", data={"action": "done", "on": "2026-11-20", "csrf_token": "0" * 64}
    )
    assert wrong.status_code == 403
    assert entries(site.context.store) == before


def test_a_token_from_another_browser_is_refused(site: WebSite, ana: TestClient) -> None:
    with site.client() as other:
        foreign = csrf_of(other.get("/sign-in").text)
    answer = ana.post(f"/items/{OVERDUE}", data={"action": "done", "csrf_token": foreign})
    assert answer.status_code == 403


def test_a_person_acting_on_another_owners_model_is_refused(
    site: WebSite, dara: TestClient
) -> None:
    before = entries(site.context.store)
    page = dara.get(f"/items/{OVERDUE}")
    assert page.status_code == 200  # everyone signed in may read
    assert "Only the owners" in page.text
    answer = post(dara, f"/items/{OVERDUE}", {"action": "done", "on": "2026-11-20"}, page.text)
    assert answer.status_code == 403
    event = post(dara, "/models/atlas-13b/record/notification", {"sent_on": "2026-11-20"})
    assert event.status_code == 403
    org = post(dara, "/organisation/record/commission-request", {"received_on": "2026-11-20"})
    assert org.status_code == 403
    assert entries(site.context.store) == before


def test_a_signed_out_visitor_is_sent_to_sign_in_and_cannot_post(site: WebSite) -> None:
    with site.client() as client:
        for path in ("/", "/models/titan-1", f"/items/{OVERDUE}", "/audit", "/feeds"):
            assert client.get(path).headers["location"] == "/sign-in"
        page = client.get("/sign-in").text
        answer = post(client, f"/items/{OVERDUE}", {"action": "done"}, page)
        assert answer.status_code == 303
        assert answer.headers["location"] == "/sign-in"
    assert [e.action for e in entries(site.context.store)] == []


def test_pages_are_never_cached(ana: TestClient) -> None:
    assert ana.get("/feeds").headers["cache-control"] == "no-store"
