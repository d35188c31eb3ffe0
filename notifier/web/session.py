"""Who is signed in, and whether a form came from our own page.

Cookies (both HttpOnly, SameSite=Lax, Secure behind TLS), signed with itsdangerous:
- `notifier_session`: a session token; the store keeps its digest, so sign-out ends it at once.
- `notifier_browser`: a random value per browser. A form's CSRF token is an HMAC of it and of
  the session token under the server's key: a page from another site can neither read it nor
  forge it, and it changes when the person signs in or out.
- `notifier_flash`: one short message to show after a redirect ("Recorded ...").
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import OrderedDict, deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from itsdangerous import BadSignature, TimestampSigner
from starlette.requests import Request
from starlette.responses import Response

from notifier.core.items import Item
from notifier.core.register import Person, Register

SESSION_COOKIE = "notifier_session"
BROWSER_COOKIE = "notifier_browser"
FLASH_COOKIE = "notifier_flash"
CSRF_FIELD = "csrf_token"
BROWSER_DAYS = 400  # the longest a browser keeps a cookie (RFC 6265bis)


@dataclass(frozen=True)
class Viewer:
    """The signed-in person: everyone may read; owners act on their models; the
    organisation's contacts act on everything."""

    person: Person
    contact: bool
    admin: bool = False  # the register's organisation.admins: feeds and API tokens
    owner: bool = False  # owns at least one model

    @property
    def role(self) -> str:
        """What the person may do, in one word: contact, owner, or viewer (reads only)."""
        return "contact" if self.contact else "owner" if self.owner else "viewer"

    def may_act(self, item: Item) -> bool:
        return self.contact or self.person.id in item.owners

    def may_act_on(self, register: Register, model_id: str | None) -> bool:
        if self.contact:
            return True
        if model_id is None:
            return False  # organisation-level: the contacts only
        return any(m.id == model_id and self.person.id in m.owners for m in register.models)


def viewer_of(register: Register, person_id: str | None) -> Viewer | None:
    """The viewer for a session's person; None if the register no longer lists them."""
    person = next((p for p in register.people if p.id == person_id), None)
    if person is None:
        return None
    return Viewer(
        person,
        person.id in register.organisation.contacts,
        admin=person.id in register.organisation.admins,
        owner=any(person.id in m.owners for m in register.models),
    )


class Cookies:
    def __init__(self, key: str, *, secure: bool, session_hours: int) -> None:
        self.key = key.encode()
        self.secure = secure
        self.session_age = timedelta(hours=session_hours)
        self._signer = TimestampSigner(key, salt="notifier-web-cookie")

    def read(self, request: Request, name: str, max_age: timedelta) -> str | None:
        raw = request.cookies.get(name)
        if not raw:
            return None
        try:
            value = self._signer.unsign(raw, max_age=int(max_age.total_seconds()))
        except BadSignature:  # tampered, from another key, or too old
            return None
        return value.decode()

    def write(self, response: Response, name: str, value: str, max_age: timedelta) -> None:
        response.set_cookie(
            name,
            self._signer.sign(value).decode(),
            max_age=int(max_age.total_seconds()),
            path="/",
            secure=self.secure,
            httponly=True,
            samesite="lax",
        )

    def clear(self, response: Response, name: str) -> None:
        response.delete_cookie(name, path="/", secure=self.secure, httponly=True, samesite="lax")

    # ------------------------------------------------------------------ sessions
    def session(self, request: Request) -> str | None:
        return self.read(request, SESSION_COOKIE, self.session_age)

    def start_session(self, response: Response, token: str) -> None:
        self.write(response, SESSION_COOKIE, token, self.session_age)

    # ------------------------------------------------------------------ CSRF
    def browser(self, request: Request) -> tuple[str, bool]:
        """This browser's random value, and whether it is new (then set it on the response)."""
        found = self.read(request, BROWSER_COOKIE, timedelta(days=BROWSER_DAYS))
        return (found, False) if found else (secrets.token_urlsafe(24), True)

    def keep_browser(self, response: Response, value: str) -> None:
        self.write(response, BROWSER_COOKIE, value, timedelta(days=BROWSER_DAYS))

    def csrf_token(self, browser: str, session: str | None) -> str:
        message = f"csrf|{browser}|{session or ''}".encode()
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()

    def csrf_ok(self, request: Request, presented: object) -> bool:
        browser = self.read(request, BROWSER_COOKIE, timedelta(days=BROWSER_DAYS))
        if not browser or not isinstance(presented, str) or not presented:
            return False
        expected = self.csrf_token(browser, self.session(request))
        return hmac.compare_digest(presented.encode(), expected.encode())

    # ------------------------------------------------------------------ flash
    def flash(self, response: Response, text: str) -> None:
        self.write(response, FLASH_COOKIE, text, timedelta(minutes=5))

    def flash_text(self, request: Request) -> str | None:
        """The message to show once; the page that shows it clears the cookie."""
        return self.read(request, FLASH_COOKIE, timedelta(minutes=5))


class RateLimiter:
    """At most `limit` events per key within `window` (a sliding window, in memory: one
    process's count). Keys are bounded: the least recently used go first."""

    def __init__(self, limit: int, window: timedelta, max_keys: int = 10_000) -> None:
        self.limit = limit
        self.window = window
        self.max_keys = max_keys
        self._hits: OrderedDict[str, deque[datetime]] = OrderedDict()

    def allow(self, key: str, now: datetime) -> bool:
        hits = self._hits.pop(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        allowed = len(hits) < self.limit
        if allowed:
            hits.append(now)
        self._hits[key] = hits
        while len(self._hits) > self.max_keys:
            self._hits.popitem(last=False)
        return allowed
