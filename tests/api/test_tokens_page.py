"""/tokens: a person makes a token (shown once) and revokes it on the pages; only their own,
unless an admin (organisation.admins), who sees and revokes everyone's."""

from __future__ import annotations

import re
from html import unescape

from starlette.testclient import TestClient

from notifier.store.audit import entries
from tests.support.webapp import WebSite, post

from .conftest import bearer, token

MADE = re.compile(r'id="made-token" class="copy" readonly value="([^"]+)"')


def make(client: TestClient, name: str, scope: str) -> str:
    answer = post(client, "/tokens", {"action": "create", "name": name, "scope": scope})
    assert answer.status_code == 200, answer.text
    found = MADE.search(answer.text)
    assert found, "the new token is not shown"
    return unescape(found.group(1))


def test_a_person_makes_a_token_on_the_page_and_revokes_it(site: WebSite) -> None:
    with site.client() as client:
        site.sign_in(client, "legal@example.com")
        secret = make(client, "grc", "read")
        listing = client.get("/tokens").text
        assert secret not in listing  # shown once
        assert "grc" in listing
        assert client.get("/api/v1/models", headers=bearer(secret)).status_code == 200
        (mine,) = [t for t in _ids(site) if t[1] == "grc"]
        revoked = post(client, "/tokens", {"action": "revoke", "token": str(mine[0])}, listing)
        assert revoked.status_code == 303
        assert client.get("/api/v1/models", headers=bearer(secret)).status_code == 401
    actions = [(e.actor, e.action) for e in entries(site.context.store)][-2:]
    assert actions == [("web:legal", "token-create"), ("web:legal", "token-revoke")]


def test_only_an_admin_sees_and_revokes_anothers_token(site: WebSite) -> None:
    token(site, "legal", "write", "ci")
    (theirs,) = _ids(site)
    with site.client() as client:
        site.sign_in(client, "dara.okafor@example.com")
        page = client.get("/tokens").text
        assert "Your tokens" in page
        assert ">ci<" not in page
        refused = post(client, "/tokens", {"action": "revoke", "token": str(theirs[0])}, page)
        assert refused.status_code == 403
    with site.client() as client:
        site.sign_in(client, "chiara.rossi@example.com")  # an admin
        page = client.get("/tokens").text
        assert "Every token" in page
        assert ">ci<" in page
        done = post(client, "/tokens", {"action": "revoke", "token": str(theirs[0])}, page)
        assert done.status_code == 303


def test_a_bad_name_is_shown_beside_the_field_and_nothing_is_made(site: WebSite) -> None:
    with site.client() as client:
        site.sign_in(client, "legal@example.com")
        answer = post(client, "/tokens", {"action": "create", "name": "", "scope": "read"})
        assert answer.status_code == 400
        assert 'id="name-error"' in answer.text
    assert _ids(site) == []


def _ids(site: WebSite) -> list[tuple[int, str]]:
    from notifier.store.tokens import tokens

    return [(t.id, t.name) for t in tokens(site.context.store)]
