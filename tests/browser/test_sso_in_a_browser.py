"""Single sign-on in a real browser (chromium) against a real `notifier run` and a real OpenID
provider (npm oidc-provider on loopback): the emailed link is switched off, the browser signs
in through the provider and lands signed in as the register's person; a tampered `state` or an
ID token for another audience does not sign in."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.support.oidc import Provider, oidc_provider, walk_to_callback
from tests.support.processes import DaemonHarness, free_port, write_config

from .conftest import CLOCK_START, run_axe, serious

pytestmark = [pytest.mark.process, pytest.mark.browser]


@pytest.fixture(scope="module")
def sso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[DaemonHarness, Provider]]:
    workdir = tmp_path_factory.mktemp("sso")
    port = free_port()
    with oidc_provider([f"http://127.0.0.1:{port}"]) as provider:
        config = write_config(workdir, port, None)
        with config.open("a", encoding="utf-8") as settings:
            settings.write(
                f'\n[oidc]\nissuer = "{provider.issuer}"\nclient_id = "notifier"\n'
                f'client_secret = "{provider.settings()["client_secret"]}"\n'
                'label = "Example SSO"\nmagic_link = false\n'
            )
        harness = DaemonHarness(workdir, config, port)
        try:
            harness.start(CLOCK_START)
            yield harness, provider
        finally:
            harness.stop_all()


@pytest.fixture
def daemon(sso: tuple[DaemonHarness, Provider]) -> Iterator[DaemonHarness]:
    sso[1].use_account("ana")
    sso[1].tamper("")
    yield sso[0]
    sso[1].tamper("")


def test_a_person_signs_in_through_the_organisations_provider(
    page: Page, daemon: DaemonHarness
) -> None:
    page.goto(daemon.url("/"))
    expect(page).to_have_url(daemon.url("/sign-in"))
    expect(page.get_by_label("Email address")).to_have_count(0)  # the link is switched off
    page.get_by_role("link", name="Sign in with Example SSO").click()
    expect(page.get_by_role("status")).to_contain_text("Signed in as Ana Martin")
    expect(page).to_have_url(daemon.url("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Example AI SAS")


def test_a_tampered_state_does_not_sign_in(page: Page, daemon: DaemonHarness) -> None:
    # A code and state the provider issued for another browser's flow (an attacker's), sent
    # to this browser as is and with the state altered: neither signs this browser in.
    with httpx.Client() as attacker:
        start = attacker.get(daemon.url("/sign-in/oidc/start"))
        assert start.status_code == 302
        callback = walk_to_callback(
            attacker, start.headers["location"], daemon.url("/sign-in/oidc/callback")
        )
    for url in (callback, callback.replace("state=", "state=x")):
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Single sign-on did not sign you in"
        )
    page.goto(daemon.url("/"))
    expect(page).to_have_url(daemon.url("/sign-in"))


def test_an_id_token_for_another_audience_does_not_sign_in(
    page: Page, sso: tuple[DaemonHarness, Provider], daemon: DaemonHarness
) -> None:
    sso[1].tamper("audience")
    page.goto(daemon.url("/sign-in"))
    page.get_by_role("link", name="Sign in with Example SSO").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Single sign-on did not sign you in")
    page.goto(daemon.url("/"))
    expect(page).to_have_url(daemon.url("/sign-in"))


def test_the_tokens_page_makes_a_token_shown_once_and_is_accessible(
    page: Page, daemon: DaemonHarness
) -> None:
    page.goto(daemon.url("/sign-in"))
    page.get_by_role("link", name="Sign in with Example SSO").click()
    page.get_by_role("link", name="API tokens").click()
    assert not serious(run_axe(page)), serious(run_axe(page))
    page.get_by_label("Name (what it is for, e.g. ci)").fill("browser")
    page.get_by_role("button", name="Make a token").click()
    made = page.get_by_role("textbox", name="Token", exact=True).input_value()
    assert made.startswith("ntf_")
    assert not serious(run_axe(page)), serious(run_axe(page))
    answer = httpx.get(daemon.url("/api/v1/models"), headers={"Authorization": f"Bearer {made}"})
    assert answer.status_code == 200
    page.get_by_role("button", name="Revoke browser").click()
    expect(page.get_by_role("status")).to_contain_text("Revoked token")
    answer = httpx.get(daemon.url("/api/v1/models"), headers={"Authorization": f"Bearer {made}"})
    assert answer.status_code == 401


def test_sign_out_ends_the_session_here_and_at_the_provider(
    page: Page, daemon: DaemonHarness
) -> None:
    page.goto(daemon.url("/sign-in"))
    page.get_by_role("link", name="Sign in with Example SSO").click()
    expect(page.get_by_role("status")).to_contain_text("Signed in as Ana Martin")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status")).to_contain_text("You are signed out of this service")
    assert not serious(run_axe(page)), serious(run_axe(page))
    # The local session has ended already (this browser's cookies, without leaving the page).
    assert page.request.get(daemon.url("/"), max_redirects=0).status == 303
    # The provider's own end-session page (RP-initiated logout) asks; then back to us.
    page.get_by_role("link", name="Sign out with Example SSO too").click()
    page.get_by_role("button", name="Yes, sign me out").click()
    expect(page).to_have_url(re.compile(re.escape(daemon.url("/sign-in?signed-out"))))
    expect(page.get_by_role("status")).to_contain_text("You are signed out")
    page.goto(daemon.url("/"))
    expect(page).to_have_url(daemon.url("/sign-in"))
