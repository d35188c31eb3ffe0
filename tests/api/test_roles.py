"""Roles from the register, the same on the pages and in the API: a viewer (a person with no
models who is not a contact, e.g. an auditor) reads every page and every API read, and every
write is refused (403) with nothing recorded, even with a write token; owners act on their
models; contacts on everything; admins (organisation.admins) rotate any feed."""

from __future__ import annotations

from urllib.parse import quote

from notifier.store.audit import entries
from tests.support.webapp import WebSite, csrf_of, post

from .conftest import OVERDUE, bearer, token

READS = [
    "/api/v1/organisation",
    "/api/v1/models",
    "/api/v1/models/atlas-13b",
    f"/api/v1/items/{quote(OVERDUE, safe='')}",
    f"/api/v1/items/{OVERDUE}",
    "/api/v1/events",
    "/api/v1/advice",
    "/api/v1/audit?page=1&per_page=5",
    "/api/v1/health",
    "/api/v1/tokens",
]
PAGES = ["/", "/models/atlas-13b", f"/items/{OVERDUE}", "/audit", "/advice", "/feeds"]
INCIDENT: dict[str, object] = {"kind": "incident", "model": "atlas-13b", "type": "cybersecurity",
            "aware_on": "2026-11-20"}  # fmt: skip


def writes(incident_id: str) -> list[tuple[str, dict[str, object]]]:
    return [
        (f"/api/v1/items/{quote(OVERDUE, safe='')}/done", {"on": "2026-11-20", "note": "x"}),
        ("/api/v1/events", INCIDENT),
        (
            "/api/v1/events",
            {"kind": "commission-request", "received_on": "2026-11-20", "period_days": 30},
        ),
        (f"/api/v1/events/{incident_id}/resolve", {"on": "2026-11-21"}),
        (f"/api/v1/events/{incident_id}/void", {"reason": "recorded by mistake"}),
        ("/api/v1/feeds/rotate", {"audience": "organisation"}),
    ]


def test_a_viewer_reads_everything_and_writes_nothing(site: WebSite) -> None:
    contact = bearer(token(site, "legal", "write", "setup"))
    viewer = bearer(token(site, "auditor", "write", "audit"))
    with site.client() as client:
        made = client.post("/api/v1/events", json=INCIDENT, headers=contact)
        assert made.status_code == 201, made.text
        incident_id = made.json()["event"]["id"]
        before = entries(site.context.store)
        for path in READS:
            assert client.get(path, headers=viewer).status_code == 200, path
        for path, body in writes(incident_id):
            answer = client.post(path, json=body, headers=viewer)
            assert answer.status_code == 403, (path, answer.text)
            assert answer.headers["content-type"] == "application/problem+json"
        assert entries(site.context.store) == before


def test_a_viewer_sees_every_page_and_every_form_is_refused(site: WebSite) -> None:
    with site.client() as client:
        site.sign_in(client, "auditor@example.com")
        before = entries(site.context.store)
        for path in PAGES:
            assert client.get(path).status_code == 200, path
        assert "Eva Auditor (reads only)" in client.get("/").text
        page = client.get(f"/items/{OVERDUE}").text
        done = post(client, f"/items/{OVERDUE}", {"on": "2026-11-20"}, page)
        assert done.status_code == 403
        form = client.post(
            "/models/atlas-13b/record/incident",
            data={"csrf_token": csrf_of(page), "type": "cybersecurity", "aware_on": "2026-11-20"},
        )
        assert form.status_code == 403
        request = client.post(
            "/organisation/record/commission-request",
            data={"csrf_token": csrf_of(page), "received_on": "2026-11-20"},
        )
        assert request.status_code == 403
        assert entries(site.context.store) == before


def test_an_owner_acts_on_its_models_and_a_contact_on_everything(site: WebSite) -> None:
    owner = bearer(token(site, "product", "write", "ci"))
    contact = bearer(token(site, "legal", "write", "ci"))
    mine = {"kind": "downstream-request", "model": "nimbus-3", "received_on": "2026-11-20"}
    theirs = {**mine, "model": "atlas-13b"}
    with site.client() as client:
        assert client.post("/api/v1/events", json=mine, headers=owner).status_code == 201
        assert client.post("/api/v1/events", json=theirs, headers=owner).status_code == 403
        assert client.post("/api/v1/events", json=theirs, headers=contact).status_code == 201
    actors = [e.actor for e in entries(site.context.store) if e.action.startswith("event")]
    assert actors == ["api:product (ci)", "api:legal (ci)"]


def test_an_admin_may_rotate_any_feed(site: WebSite) -> None:
    with site.client() as client:
        site.sign_in(client, "chiara.rossi@example.com")  # safety: an admin, owns two models
        page = client.get("/feeds")
        assert "All of Example AI SAS" in page.text
        rotated = post(client, "/feeds", {"audience": "model:atlas-13b"}, page.text)
        assert rotated.status_code == 303
    with site.client() as client:
        site.sign_in(client, "dara.okafor@example.com")  # product: no admin
        page = client.get("/feeds")
        refused = post(client, "/feeds", {"audience": "model:atlas-13b"}, page.text)
        assert refused.status_code == 403


def test_an_admin_sees_and_revokes_every_token_and_rotates_feeds(site: WebSite) -> None:
    admin = bearer(token(site, "safety", "write", "ops"))
    owner = bearer(token(site, "product", "write", "ci"))
    with site.client() as client:
        everyone = client.get("/api/v1/tokens", headers=admin).json()["tokens"]
        assert {t["person"] for t in everyone} == {"safety", "product"}
        own = client.get("/api/v1/tokens", headers=owner).json()["tokens"]
        assert [t["person"] for t in own] == ["product"]
        ops = next(t["id"] for t in everyone if t["name"] == "ops")
        refused = client.post(f"/api/v1/tokens/{ops}/revoke", headers=owner)
        assert refused.status_code == 404
        rotate = {"audience": "model:atlas-13b"}
        assert client.post("/api/v1/feeds/rotate", json=rotate, headers=owner).status_code == 403
        rotated = client.post("/api/v1/feeds/rotate", json=rotate, headers=admin)
        assert rotated.status_code == 201, rotated.text
        unknown = client.post("/api/v1/feeds/rotate", json={"audience": "x"}, headers=admin)
        assert unknown.status_code == 422
        ci = next(t["id"] for t in everyone if t["name"] == "ci")
        revoked = client.post(f"/api/v1/tokens/{ci}/revoke", headers=admin)
        assert revoked.status_code == 201
        assert revoked.json()["live"] is False
        assert client.get("/api/v1/models", headers=owner).status_code == 401
    actors = [(e.actor, e.action) for e in entries(site.context.store)][-2:]
    assert actors == [("api:safety (ops)", "feeds-rotate"), ("api:safety (ops)", "token-revoke")]
