"""Sign-in without passwords: a mailed single-use link, 15 minutes, the same answer for any
address, rate-limited; sessions in a signed HttpOnly SameSite=Lax cookie; sign-out ends them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from notifier.store.schema import sign_in_links, web_sessions
from notifier.store.sessions import digest
from tests.support.webapp import TOKEN, WebSite, ask_link, csrf_of, make_site, post

from .conftest import NOW


def test_a_person_in_the_register_signs_in_through_the_mailed_link(site: WebSite) -> None:
    with site.client() as client:
        assert client.get("/").headers["location"] == "/sign-in"
        site.sign_in(client, "Legal@Example.com")  # the address is matched without case
        page = client.get("/")
        assert page.status_code == 200
        assert "Ana Martin" in page.text


def test_the_mail_carries_a_link_that_works_once_and_only_its_digest_is_stored(
    site: WebSite,
) -> None:
    with site.client() as client:
        ask_link(client, "legal@example.com")
        [mail] = site.sign_in_mails("legal@example.com")
        link = site.link_in(mail)
        assert link.startswith("http://127.0.0.1:8080/sign-in/link?token=")
        assert "token" not in str(mail["Subject"])
        assert link not in str(mail["Message-ID"])
        token = link.split("token=")[1]
        with site.context.store.engine.connect() as connection:
            stored = connection.scalars(select(sign_in_links.c.token_hash)).all()
        assert stored == [digest(token)]

        page = client.get(link.replace("http://127.0.0.1:8080", ""))
        assert post(client, "/sign-in/link", {"token": token}, page.text).status_code == 303
    with site.client() as other:
        again = post(other, "/sign-in/link", {"token": token}, other.get("/sign-in").text)
        assert again.status_code == 400
        assert "used already" in again.text
        assert other.get("/").status_code == 303


def test_a_link_expires_after_15_minutes(site: WebSite) -> None:
    with site.client() as client:
        ask_link(client, "legal@example.com")
        link = site.link_in(site.sign_in_mails("legal@example.com")[0])
        site.clock.advance(minutes=15)
        page = client.get(link.replace("http://127.0.0.1:8080", ""))
        assert page.status_code == 400
        assert "expired" in page.text
        token = link.split("token=")[1]
        used = post(client, "/sign-in/link", {"token": token}, client.get("/sign-in").text)
        assert used.status_code == 400
        assert client.get("/").status_code == 303


def test_an_unknown_address_gets_the_same_answer_and_no_mail(site: WebSite) -> None:
    with site.client() as client:
        known = ask_link(client, "legal@example.com")
        unknown = ask_link(client, "stranger@example.com")
    assert known.status_code == unknown.status_code == 200

    def without_address(text: str) -> str:
        return re.sub(r"If \S+ belongs", "If … belongs", text)

    assert without_address(known.text) == without_address(unknown.text)
    assert [str(m["To"]) for m in site.mails()] == ["Ana Martin <legal@example.com>"]


def test_sign_in_requests_are_limited_per_address_for_a_minute_only(site: WebSite) -> None:
    """Issue 16: the per-address limit counts everyone's requests, so it must never lock a
    person out: one link a minute, and whoever asks mails it to the person themselves."""
    with site.client() as client:
        answers = [ask_link(client, "legal@example.com").status_code for _ in range(3)]
        assert answers == [200, 429, 429]
        assert (
            "mailed to this address less than a minute ago"
            in ask_link(client, "legal@example.com").text
        )
        site.clock.advance(minutes=1)
        assert ask_link(client, "legal@example.com").status_code == 200
    assert len(site.sign_in_mails("legal@example.com")) == 2  # each in the person's own inbox


def test_the_session_cookie_is_signed_httponly_and_samesite_lax(site: WebSite) -> None:
    with site.client() as client:
        ask_link(client, "legal@example.com")
        link = site.link_in(site.sign_in_mails("legal@example.com")[0])
        page = client.get(link.replace("http://127.0.0.1:8080", ""))
        token = TOKEN.search(page.text)
        assert token is not None
        answer = post(client, "/sign-in/link", {"token": token.group(1)}, page.text)
        cookie = next(
            c for c in answer.headers.get_list("set-cookie") if c.startswith("notifier_session=")
        )
        assert "HttpOnly" in cookie
        assert "SameSite=lax" in cookie or "SameSite=Lax" in cookie
        assert "Secure" not in cookie  # plain HTTP on loopback: the setting's default
        value = cookie.split(";")[0].split("=", 1)[1]
        kept = dict(client.cookies)
        client.cookies.clear()
        client.cookies.update({**kept, "notifier_session": value[:-2] + "xx"})  # forged
        assert client.get("/").status_code == 303


@pytest.fixture
def tls_site(tmp_path: Path) -> Iterator[WebSite]:
    yield from make_site(tmp_path, NOW, {"web": {"public_url": "https://obligations.example.com"}})


def test_behind_tls_the_cookie_is_secure_and_the_link_uses_the_public_address(
    tls_site: WebSite,
) -> None:
    with tls_site.client("https://obligations.example.com") as client:
        ask_link(client, "legal@example.com")
        link = tls_site.link_in(tls_site.sign_in_mails("legal@example.com")[0])
        assert link.startswith("https://obligations.example.com/sign-in/link?token=")
        page = client.get(link)
        answer = post(client, "/sign-in/link", {"token": link.split("token=")[1]}, page.text)
        assert any(
            c.startswith("notifier_session=") and "Secure" in c
            for c in answer.headers.get_list("set-cookie")
        )


def test_the_link_never_takes_its_address_from_the_request(site: WebSite) -> None:
    with site.client() as client:
        page = client.get("/sign-in", headers={"host": "evil.example"})
        client.post(
            "/sign-in",
            data={"email": "legal@example.com", "csrf_token": csrf_of(page.text)},
            headers={"host": "evil.example"},
        )
    [mail] = site.sign_in_mails("legal@example.com")
    assert "evil.example" not in site.link_in(mail)


def test_sign_out_ends_the_session_everywhere(site: WebSite) -> None:
    with site.client() as client:
        site.sign_in(client, "legal@example.com")
        kept = client.cookies.get("notifier_session")
        answer = post(client, "/sign-out", {}, client.get("/").text)
        assert answer.status_code == 303
        assert client.get("/").status_code == 303
    with site.client() as copy:
        assert kept is not None
        copy.cookies.set("notifier_session", kept)
        assert copy.get("/").status_code == 303  # the old cookie no longer signs in
    with site.context.store.engine.connect() as connection:
        ended = connection.scalars(select(web_sessions.c.ended_at)).all()
    assert ended == [site.clock.now()]
