"""The web pages over the real HTTP app (Starlette's TestClient), as the serving commands
compose it: a workspace on the example register, a clock the test sets, sign-in links read
from the real outbox the mail channel writes."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from html import unescape
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.testclient import TestClient

from notifier.cli.serving import http_app, page_routes
from notifier.context import Context, load_context
from notifier.web.timeline_api import timeline_route

from .workspace import Workspace

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
LINK = re.compile(r"(https?://\S+/sign-in/link\?token=[A-Za-z0-9_%-]+)")
TOKEN = re.compile(r'name="token" value="([^"]+)"')


@dataclass
class SetClock:
    """A clock the test moves by hand: no test waits on the wall clock."""

    at: datetime

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


@dataclass
class WebSite:
    workspace: Workspace
    context: Context
    clock: SetClock
    app: Starlette
    health: dict[str, Any] = field(default_factory=lambda: {"status": "ok"})

    def client(self, base_url: str = "http://127.0.0.1:8080") -> TestClient:
        return TestClient(self.app, base_url=base_url, follow_redirects=False)

    def mails(self) -> list[EmailMessage]:
        found = []
        for path in sorted(self.workspace.outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns):
            message = message_from_bytes(path.read_bytes(), policy=policy.default)
            assert isinstance(message, EmailMessage)
            found.append(message)
        return found

    def sign_in_mails(self, to: str) -> list[EmailMessage]:
        to = to.lower()
        return [
            m
            for m in self.mails()
            if "sign-in link" in str(m["Subject"]) and to in str(m["To"]).lower()
        ]

    def link_in(self, message: EmailMessage) -> str:
        body = message.get_body(("plain",))
        assert body is not None
        found = LINK.search(body.get_content())
        assert found, "no sign-in link in the mail"
        return found.group(1)

    def sign_in(self, client: TestClient, email: str) -> None:
        """The whole flow a person follows: ask, open the mailed link, press Sign in."""
        before = len(self.sign_in_mails(email))
        assert ask_link(client, email).status_code == 200
        mails = self.sign_in_mails(email)
        assert len(mails) == before + 1, "no sign-in mail arrived"
        link = self.link_in(mails[-1]).replace("http://127.0.0.1:8080", "")
        page = client.get(link)
        token = TOKEN.search(page.text)
        assert token, page.text
        done = post(client, "/sign-in/link", {"token": unescape(token.group(1))}, page.text)
        assert done.status_code == 303, done.text


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF token on the page"
    return unescape(found.group(1))


def post(client: TestClient, path: str, fields: Mapping[str, str], page: str | None = None) -> Any:
    """POST a form as the browser would: with the CSRF token of the page it came from."""
    html = page if page is not None else client.get(path).text
    return client.post(path, data={"csrf_token": csrf_of(html), **fields})


def ask_link(client: TestClient, email: str) -> Any:
    return post(client, "/sign-in", {"email": email}, client.get("/sign-in").text)


def make_site(
    root: Path,
    at: datetime,
    settings: Mapping[str, Mapping[str, Any]] | None = None,
    database_url: str | None = None,
    register: Path | None = None,
) -> Iterator[WebSite]:
    workspace = Workspace.create(
        root, *([register] if register else []), settings=settings, database_url=database_url
    )
    clock = SetClock(at)
    context = load_context(workspace.config, None, at)
    holder: list[WebSite] = []

    def health() -> Mapping[str, Any]:
        return holder[0].health

    app = http_app(
        context.settings.calendars_dir,
        context.store,
        token_cache_seconds=0,
        routes=[
            timeline_route(lambda: context, clock),
            *page_routes(lambda: context, clock, health=health),
        ],
    )
    site = WebSite(workspace, context, clock, app)
    holder.append(site)
    try:
        yield site
    finally:
        context.store.close()


MakeSite = Callable[..., WebSite]
