"""The web pages as one object: what the serving command hands them, and what every page
shares (who is signed in, the timeline as of now, rendering with a CSRF token).

The serving commands (`notifier run`, `notifier serve`) build a `Web` and add `web.routes()` to
the app. The pages do not import the other channels: the sign-in mail, the daemon's health and
the mail-at-once after an event arrive as callables.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from notifier.app.timelines import shared, timeline_of
from notifier.clock import Clock
from notifier.context import Context
from notifier.core.days import zone
from notifier.core.items import Timeline
from notifier.store.sessions import cookie_key, session_person
from notifier.web.render import environment
from notifier.web.session import CSRF_FIELD, FLASH_COOKIE, Cookies, RateLimiter, Viewer, viewer_of

LINK_LIFETIME = timedelta(minutes=15)
SIGN_IN_WINDOW = timedelta(minutes=15)
ADDRESS_COOLDOWN = timedelta(minutes=1)  # never longer: a refusal must not lock a person out


class LinkSender(Protocol):
    """Mails a sign-in link (notifier.mail.signin.LinkMailer)."""

    async def __call__(
        self,
        *,
        organisation: str,
        name: str,
        email: str,
        link: str,
        expires: datetime,
        minutes: int,
        now: datetime,
    ) -> None: ...


Health = Callable[[], Mapping[str, Any]]


@dataclass(frozen=True)
class Snapshot:
    """One request's view: the context in use, the instant, the day and the timeline."""

    context: Context
    now: datetime
    today: date
    timeline: Timeline
    viewer: Viewer


class Web:
    def __init__(
        self,
        current: Callable[[], Context],
        clock: Clock,
        *,
        send_link: LinkSender | None = None,
        health: Health | None = None,
    ) -> None:
        self.current = current
        self.clock = clock
        self.send_link = send_link
        self.health = health
        self.shared = shared  # the context and timeline, reloaded when the store changed
        # Where a browser goes after signing out (single sign-out), set by web/oidc.py.
        self.after_sign_out: Callable[[Request], Awaitable[str | None]] | None = None
        settings = current().settings
        self.env = environment(settings.templates_dir)
        web = settings.web
        key = (
            web.secret_key.get_secret_value()
            if web.secret_key is not None
            else cookie_key(current().store, clock.now())
        )
        secure = (
            web.secure_cookies
            if web.secure_cookies is not None
            else self.base_url().startswith("https://")
        )
        self.cookies = Cookies(key, secure=secure, session_hours=web.session_hours)
        self.per_address = RateLimiter(web.sign_in_per_address, ADDRESS_COOLDOWN)
        self.per_client = RateLimiter(web.sign_in_per_client, SIGN_IN_WINDOW)

    def base_url(self) -> str:
        """Where people reach the pages, for links in emails: a setting, never the request's
        Host header (which a sender of a forged request chooses)."""
        settings = self.current().settings
        base = settings.web.public_url or settings.feeds.public_url
        if base is None:
            host = settings.http.host
            if host in ("", "0.0.0.0", "::"):
                host = "localhost"
            elif ":" in host:
                host = f"[{host}]"
            base = f"http://{host}:{settings.http.port}"
        return base.rstrip("/")

    # ------------------------------------------------------------------ who and what
    async def viewer(self, request: Request) -> Viewer | None:
        token = self.cookies.session(request)
        if token is None:
            return None
        context = self.current()
        person = await asyncio.to_thread(session_person, context.store, token, self.clock.now())
        return viewer_of(context.register, person)

    async def snapshot(self, request: Request) -> Snapshot | Response:
        """The signed-in view as of now, or the redirect to the sign-in page."""
        viewer = await self.viewer(request)
        if viewer is None:
            return RedirectResponse("/sign-in", status_code=303)
        context = await asyncio.to_thread(self.shared.refreshed, self.current())
        now = self.clock.now()
        today = context.day(now)
        result = await asyncio.to_thread(timeline_of, context, today)
        return Snapshot(context, now, today, result, viewer)

    # ------------------------------------------------------------------ answers
    def page(
        self,
        request: Request,
        template: str,
        values: Mapping[str, Any],
        *,
        viewer: Viewer | None = None,
        status: int = 200,
    ) -> HTMLResponse:
        """A page with this browser's CSRF token in every form, never cached (it may show
        feed tokens and who is signed in)."""
        browser, new = self.cookies.browser(request)
        context = self.current()
        flash = self.cookies.flash_text(request)
        body = self.env.get_template(template).render(
            request_path=request.url.path,
            viewer=viewer,
            organisation=context.register.organisation.name,
            zone=zone(context.timezone),
            csrf_field=CSRF_FIELD,
            csrf_token=self.cookies.csrf_token(browser, self.cookies.session(request)),
            flash=flash,
            **values,
        )
        response = HTMLResponse(body, status_code=status, headers={"cache-control": "no-store"})
        if flash is not None:
            self.cookies.clear(response, FLASH_COOKIE)
        if new:
            self.cookies.keep_browser(response, browser)
        return response

    def refusal(
        self, request: Request, status: int, title: str, message: str, viewer: Viewer | None
    ) -> HTMLResponse:
        return self.page(
            request,
            "refusal.html",
            {"title": title, "message": message},
            viewer=viewer,
            status=status,
        )

    def forbidden_form(self, request: Request) -> HTMLResponse:
        return self.refusal(
            request,
            403,
            "This form could not be accepted",
            "It did not carry this browser's security token (it may have come from another "
            "site, or the page was open from before you signed in or out). Nothing was "
            "recorded. Go back, reload the page and send it again.",
            None,
        )

    def redirect(self, path: str, flash: str | None = None) -> RedirectResponse:
        response = RedirectResponse(path, status_code=303)
        if flash:
            self.cookies.flash(response, flash)
        return response

    async def form(self, request: Request) -> dict[str, str] | None:
        """The posted fields as text, or None if the CSRF token is missing or wrong."""
        try:
            async with request.form(max_files=0, max_fields=50) as posted:
                fields = {k: v for k, v in posted.items() if isinstance(v, str)}
        except ClientDisconnect:  # gone, or cut off by the server's body bounds (web/guard.py)
            return None  # whatever is answered goes nowhere; the guard logged why
        if not self.cookies.csrf_ok(request, fields.get(CSRF_FIELD)):
            return None
        return fields

    async def viewed(self, request: Request) -> tuple[dict[str, str] | None, Snapshot] | Response:
        """A signed-in person's page: the fields a POST carries (None for a GET) and the view
        as of now; else the answer (403 for a missing or wrong security token, checked first;
        the sign-in redirect)."""
        fields = None
        if request.method == "POST":
            fields = await self.form(request)
            if fields is None:
                return self.forbidden_form(request)
        snap = await self.snapshot(request)
        if isinstance(snap, Response):
            return snap
        return fields, snap

    async def posted(self, request: Request) -> tuple[dict[str, str], Snapshot] | Response:
        """`viewed` for a route that takes POST alone: its fields are always there."""
        answered = await self.viewed(request)
        if isinstance(answered, Response):
            return answered
        fields, snap = answered
        return fields or {}, snap
