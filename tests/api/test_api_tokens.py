"""The acceptance of the API: a write token records a done mark audited as
`api:<person> (<token name>)`; a read token is refused (403) and a revoked one (401), with
nothing recorded; errors are problem details; the rate limit answers 429."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest

from notifier.store.audit import entries
from tests.support.webapp import WebSite, make_site

from .conftest import NOW, OVERDUE, bearer, token

DONE = f"/api/v1/items/{quote(OVERDUE, safe='')}/done"
BODY = {"on": "2026-11-20", "note": "filed in the DMS"}


def audit_lines(site: WebSite) -> list[str]:
    result = site.workspace.cli("audit")
    assert result.code == 0, result.err
    return result.out.splitlines()


def test_a_write_token_records_a_done_mark_audited_with_its_person_and_name(
    site: WebSite,
) -> None:
    secret = token(site, "legal", "write", "ci")  # the acceptance's command, verbatim
    with site.client() as client:
        answer = client.post(DONE, json=BODY, headers=bearer(secret))
        assert answer.status_code == 201, answer.text
        assert answer.json()["item"]["status"] == "done"
        assert answer.json()["recorded_by"] == "api:legal (ci)"
        item = client.get(f"/api/v1/items/{OVERDUE}", headers=bearer(secret)).json()
        assert [m["note"] for m in item["marks"]] == ["filed in the DMS"]
    done = [line for line in audit_lines(site) if OVERDUE in line]
    assert len(done) == 1
    assert "api:legal (ci)" in done[0]


def test_the_token_is_the_last_line_and_only_its_digest_is_kept(site: WebSite) -> None:
    secret = token(site, "legal", "write", "ci")
    assert secret.startswith("ntf_")
    dump = site.workspace.root.joinpath("n.db").read_bytes()
    assert secret.encode() not in dump


def test_a_read_token_may_not_write_and_nothing_is_recorded(site: WebSite) -> None:
    secret = token(site, "ml-lead", "read", "dashboard")
    before = entries(site.context.store)
    with site.client() as client:
        answer = client.post(DONE, json=BODY, headers=bearer(secret))
        assert answer.status_code == 403
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["status"] == 403
        assert client.get("/api/v1/models", headers=bearer(secret)).status_code == 200
    assert entries(site.context.store) == before


def test_a_revoked_token_is_refused_at_once(site: WebSite) -> None:
    secret = token(site, "ml-lead", "write", "ci")
    listed = json.loads(site.workspace.cli("token", "list", "--format", "json").out)
    assert [(t["name"], t["live"]) for t in listed] == [("ci", True)]
    assert site.workspace.cli("token", "revoke", str(listed[0]["id"])).code == 0
    before = entries(site.context.store)
    with site.client() as client:
        answer = client.post(DONE, json=BODY, headers=bearer(secret))
        assert answer.status_code == 401
        assert answer.headers["www-authenticate"].startswith("Bearer")
        assert client.get("/api/v1/models", headers=bearer(secret)).status_code == 401
        assert client.get("/api/v1/models").status_code == 401
    assert entries(site.context.store) == before


def test_an_owner_may_not_mark_another_models_item(site: WebSite) -> None:
    secret = token(site, "product", "write", "ci")  # product does not own atlas-13b
    with site.client() as client:
        assert client.post(DONE, json=BODY, headers=bearer(secret)).status_code == 403
    assert not any(e.action == "done" for e in entries(site.context.store))


def test_bad_input_is_a_problem_naming_the_field_and_records_nothing(site: WebSite) -> None:
    secret = token(site, "legal", "write", "ci")
    with site.client() as client:
        future = client.post(DONE, json={"on": "2027-01-01"}, headers=bearer(secret))
        assert future.status_code == 422
        assert [e["field"] for e in future.json()["errors"]] == ["on"]
        typo = client.post(DONE, json={"when": "2026-11-20"}, headers=bearer(secret))
        assert typo.status_code == 422
        form = client.post(DONE, data={"on": "2026-11-20"}, headers=bearer(secret))
        assert form.status_code == 415
    assert not any(e.action == "done" for e in entries(site.context.store))


def test_bad_cli_input_exits_2_naming_the_option(site: WebSite) -> None:
    result = site.workspace.cli("token", "create", "--person", "nobody", "--name", "ci")
    assert result.code == 2
    assert "--person" in result.err
    assert "Traceback" not in result.err


def test_beyond_the_rate_limit_a_token_gets_429_with_retry_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [n for n in os.environ if n.startswith("NOTIFIER_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    for site in make_site(tmp_path, NOW, settings={"api": {"requests_per_minute": 3}}):
        secret = token(site, "legal", "read", "poller")
        with site.client() as client:
            codes = [
                client.get("/api/v1/health", headers=bearer(secret)).status_code for _ in range(4)
            ]
            assert codes == [200, 200, 200, 429]
            limited = client.get("/api/v1/models", headers=bearer(secret))
            assert limited.headers["retry-after"] == "60"
            assert limited.headers["content-type"] == "application/problem+json"
            site.clock.advance(minutes=1)  # the window slides on
            assert client.get("/api/v1/health", headers=bearer(secret)).status_code == 200


def test_the_audit_log_reads_a_page_at_a_time_newest_first(site: WebSite) -> None:
    secret = token(site, "legal", "read", "auditor")
    for n in range(3):
        token(site, "legal", "read", f"more-{n}")
    with site.client() as client:
        first = client.get("/api/v1/audit?page=1&per_page=2", headers=bearer(secret)).json()
        second = client.get("/api/v1/audit?page=2&per_page=2", headers=bearer(secret)).json()
        bad = client.get("/api/v1/audit?per_page=0", headers=bearer(secret))
    assert first["total"] == second["total"] == 4
    details = [e["detail"] for e in first["entries"] + second["entries"]]
    assert [d.split(" for ")[0] for d in details] == ["more-2", "more-1", "more-0", "auditor"]
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "per_page"


def test_an_expired_token_is_refused(site: WebSite) -> None:
    result = site.workspace.cli(
        "token", "create", "--person", "legal", "--name", "short", "--days", "1"
    )
    secret = result.out.splitlines()[-1]
    (made,) = json.loads(site.workspace.cli("token", "list", "--format", "json").out)
    with site.client() as client:
        site.clock.at = datetime.fromisoformat(made["expires_at"]) - timedelta(seconds=1)
        assert client.get("/api/v1/models", headers=bearer(secret)).status_code == 200
        site.clock.advance(seconds=1)
        assert client.get("/api/v1/models", headers=bearer(secret)).status_code == 401
