"""Single sign-on against a real OpenID provider (npm oidc-provider on loopback): the person the
register lists is signed in; a tampered state, a replayed code, an ID token for another
audience or expired, an unverified address, an unknown person are each refused, with nothing
recorded (no session, no audit entry)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from notifier.store.audit import entries
from notifier.store.schema import web_sessions
from tests.support.oidc import Provider, oidc_provider, walk_to_callback
from tests.support.webapp import WebSite, csrf_of, make_site

from .conftest import NOW

pytestmark = pytest.mark.process  # node runs the provider

BASE = "http://127.0.0.1:8080"
CALLBACK = f"{BASE}/sign-in/oidc/callback"


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with oidc_provider([BASE]) as running:
        yield running


@pytest.fixture
def sso(provider: Provider) -> Iterator[Provider]:
    provider.use_account("ana")
    provider.tamper("")
    yield provider
    provider.use_account("ana")
    provider.tamper("")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sso: Provider) -> Iterator[WebSite]:
    for name in [n for n in os.environ if n.startswith("NOTIFIER_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    yield from make_site(tmp_path, NOW, settings={"oidc": sso.settings()})


def to_provider(client: TestClient) -> str:
    started = client.get("/sign-in/oidc/start")
    assert started.status_code == 302, started.text
    return str(started.headers["location"])


def callback_url(client: TestClient) -> str:
    with httpx.Client() as agent:
        return walk_to_callback(agent, to_provider(client), CALLBACK)


def back(client: TestClient, url: str) -> Any:
    return client.get(url.removeprefix(BASE))


def signed_in(client: TestClient) -> bool:
    return client.get("/").status_code == 200


def test_the_provider_signs_in_the_person_the_register_lists(site: WebSite) -> None:
    with site.client() as client:
        authorize = urlsplit(to_provider(client))
        asked = parse_qs(authorize.query)
        assert asked["code_challenge_method"] == ["S256"]
        assert asked["code_challenge"]
        assert asked["state"]
        assert asked["nonce"]
        assert asked["redirect_uri"] == [CALLBACK]
        with httpx.Client() as agent:
            url = walk_to_callback(agent, authorize.geturl(), CALLBACK)
        answer = back(client, url)
        assert answer.status_code == 303
        assert answer.headers["location"] == "/"
        page = client.get("/")
        assert page.status_code == 200
        assert "Ana Martin" in page.text
    signs = [e for e in entries(site.context.store) if e.action == "sign-in"]
    assert [(e.actor, e.subject) for e in signs] == [("web:legal", "legal")]
    assert signs[0].detail.startswith("oidc http://127.0.0.1:")


def refused(site: WebSite, client: TestClient, answer: Any, status: int) -> None:
    assert answer.status_code == status, answer.text
    assert "Nothing was recorded" in answer.text
    assert not signed_in(client)
    assert entries(site.context.store) == []
    with site.context.store.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(web_sessions)) == 0


def test_a_tampered_state_is_refused(site: WebSite) -> None:
    with site.client() as client:
        url = callback_url(client)
        query = parse_qs(urlsplit(url).query)
        forged = f"{CALLBACK}?code={query['code'][0]}&state=forged{query['state'][0]}"
        refused(site, client, back(client, forged), 400)


def test_a_callback_from_another_browser_is_refused(site: WebSite) -> None:
    with site.client() as victim, site.client() as attacker:
        url = callback_url(attacker)  # the attacker's own code and state
        refused(site, victim, back(victim, url), 400)


def test_a_code_is_used_once(site: WebSite) -> None:
    with site.client() as client:
        url = callback_url(client)
        assert back(client, url).status_code == 303
        # The same URL again: its state is spent.
        again = back(client, url)
        assert again.status_code == 400
        # A fresh state with the old code: the provider refuses the code.
        fresh = parse_qs(urlsplit(to_provider(client)).query)["state"][0]
        code = parse_qs(urlsplit(url).query)["code"][0]
        replay = back(client, f"{CALLBACK}?code={code}&state={fresh}")
        assert replay.status_code == 400
    assert len([e for e in entries(site.context.store) if e.action == "sign-in"]) == 1


@pytest.mark.parametrize("mode", ["audience", "expired", "nonce", "issuer", "signature"])
def test_an_id_token_for_another_audience_expired_or_forged_is_refused(
    site: WebSite, sso: Provider, mode: str
) -> None:
    sso.tamper(mode)
    with site.client() as client:
        refused(site, client, back(client, callback_url(client)), 400)


@pytest.mark.parametrize("account", ["unverified", "stranger"])
def test_an_unverified_address_or_an_unknown_person_is_refused(
    site: WebSite, sso: Provider, account: str
) -> None:
    sso.use_account(account)
    with site.client() as client:
        refused(site, client, back(client, callback_url(client)), 403)


def test_only_the_allowed_domains_sign_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sso: Provider
) -> None:
    for name in [n for n in os.environ if n.startswith("NOTIFIER_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    oidc = sso.settings(allowed_domains=["example.org"])
    for site in make_site(tmp_path, NOW, settings={"oidc": oidc}):
        with site.client() as client:
            refused(site, client, back(client, callback_url(client)), 403)


def test_with_the_magic_link_off_only_the_provider_signs_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sso: Provider
) -> None:
    for name in [n for n in os.environ if n.startswith("NOTIFIER_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    oidc = sso.settings(magic_link=False, label="Example SSO")
    for site in make_site(tmp_path, NOW, settings={"oidc": oidc}):
        with site.client() as client:
            page = client.get("/sign-in")
            assert "Sign in with Example SSO" in page.text
            assert 'name="email"' not in page.text
            assert client.post("/sign-in", data={"email": "legal@example.com"}).status_code in (
                404,
                405,
            )
            assert client.get("/sign-in/link?token=x").status_code == 404
        assert site.mails() == []


def test_sign_out_ends_the_session_and_goes_to_the_provider(site: WebSite) -> None:
    with site.client() as client:
        assert back(client, callback_url(client)).status_code == 303
        page = client.get("/").text
        out = client.post("/sign-out", data={"csrf_token": csrf_of(page)})
        assert out.status_code == 200  # a link onwards: the pages' CSP keeps forms to 'self'
        away = re.search(r'<a class="button" href="([^"]+)"', out.text)
        assert away, out.text
        target = urlsplit(unescape(away.group(1)))
        assert f"{target.scheme}://{target.netloc}" == site.context.settings.oidc.issuer
        asked = parse_qs(target.query)
        assert asked["post_logout_redirect_uri"] == [f"{BASE}/sign-in?signed-out"]
        assert asked["id_token_hint"]
        assert not signed_in(client)
    assert [e.action for e in entries(site.context.store)] == ["sign-in", "sign-out"]


def test_entra_ids_verified_domain_claim_counts_as_a_verified_address(
    site: WebSite, sso: Provider
) -> None:
    sso.use_account("entra")  # no email_verified; xms_edov true, as Entra ID sends it
    with site.client() as client:
        assert back(client, callback_url(client)).status_code == 303
        assert signed_in(client)
