"""Single sign-on: OpenID Connect beside (or instead of) the emailed link.

Authlib's Starlette client does the protocol: the authorization code flow with PKCE (S256), a
`state` and a `nonce` kept in a short-lived signed cookie of this browser (`notifier_oidc`,
scoped to /sign-in/oidc), the code exchanged at the provider's token endpoint, and the ID token's
signature checked against the provider's JWKS and its claims (`iss` from the discovery
document, `aud` = our client id, `exp`, `iat`, `nonce`, `at_hash`) checked before anything else
is read. Then the address: only an `email` the provider marks `email_verified`, within the
allowed domains if any are set, matching a person of the register (case-insensitively). Any
refusal records nothing: no session, no audit entry.

Sign-out ends the local session; where the provider publishes an `end_session_endpoint`, the
browser goes on to it (RP-initiated logout) with the ID token as `id_token_hint` and comes back
to /sign-in?signed-out.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.starlette_client import OAuth
from joserfc.errors import JoseError
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route

from notifier.core.register import Person, Register
from notifier.settings import OidcSettings
from notifier.store.sessions import open_session
from notifier.web.site import Web

logger = logging.getLogger(__name__)

PREFIX = "/sign-in/oidc"
CALLBACK = f"{PREFIX}/callback"
STATE_COOKIE = "notifier_oidc"  # state, nonce, PKCE verifier: one flow, ten minutes
HINT_COOKIE = "notifier_oidc_hint"  # the ID token, for RP-initiated logout
FLOW_SECONDS = 600
LEEWAY_SECONDS = 60  # clock skew allowed on exp/iat (Authlib's default is 120)
REFUSED = (AuthlibBaseError, JoseError, httpx.HTTPError, ValueError, KeyError, RuntimeError)


def client_of(settings: OidcSettings) -> Any:
    """Authlib's client for the configured provider (its metadata read on first use)."""
    oauth = OAuth()
    secret = settings.client_secret.get_secret_value() if settings.client_secret else None
    return oauth.register(
        name="provider",
        client_id=settings.client_id,
        client_secret=secret,
        server_metadata_url=f"{settings.issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": " ".join(settings.scopes), "code_challenge_method": "S256"},
    )


def person_for(register: Register, settings: OidcSettings, claims: Any) -> Person | str:
    """The register's person for a verified ID token's claims, or why nobody."""
    email = claims.get("email")
    if not isinstance(email, str) or not email:
        return "the provider gave no email address (ask for the 'email' scope)"
    # Entra ID sends no email_verified; its optional claim xms_edov says the same (the
    # address's domain is verified by the tenant's admin).
    if claims.get("email_verified") is not True and claims.get("xms_edov") is not True:
        return "the provider has not verified this email address"
    domain = email.rsplit("@", 1)[-1].lower()
    allowed = [d.lower().lstrip("@") for d in settings.allowed_domains]
    if allowed and domain not in allowed:
        return "this address's domain is not one this service accepts"
    person = next((p for p in register.people if p.email.lower() == email.lower()), None)
    if person is None:
        return "the register lists nobody with this address"
    return person


def routes(web: Web) -> list[BaseRoute]:
    settings = web.current().settings.oidc
    if not settings.enabled:
        return []
    client = client_of(settings)

    async def start(request: Request) -> Response:
        redirect_uri = f"{web.base_url()}{CALLBACK}"
        try:
            answer: Response = await client.authorize_redirect(request, redirect_uri)
        except REFUSED as error:
            logger.warning("single sign-on cannot start: %s", _why(error))
            return _refused(web, request, 502, "the provider could not be reached")
        return answer

    async def callback(request: Request) -> Response:
        try:
            token = await client.authorize_access_token(request, leeway=LEEWAY_SECONDS)
        except REFUSED as error:
            logger.warning("single sign-on refused: %s", _why(error))
            return _refused(web, request, 400, "the answer from the provider did not check out")
        claims = token.get("userinfo")
        if claims is None:  # no ID token: nothing verified says who this is
            return _refused(web, request, 400, "the provider sent no ID token")
        if "email" not in claims:  # a thin ID token: the address from the UserInfo endpoint
            try:
                info = await client.userinfo(token=token)
            except REFUSED as error:
                logger.warning("single sign-on: no UserInfo: %s", _why(error))
                return _refused(web, request, 502, "the provider's UserInfo could not be read")
            if info.get("sub") != claims.get("sub"):  # OpenID Connect Core 5.3.2
                return _refused(web, request, 400, "the provider's UserInfo is someone else's")
            fields = ("email", "email_verified", "xms_edov")
            claims = {**claims, **{k: info.get(k) for k in fields}}
        context = web.current()
        found = person_for(context.register, settings, claims)
        if isinstance(found, str):
            logger.warning("single sign-on refused for a verified token: %s", found)
            return _refused(web, request, 403, found)
        session = await asyncio.to_thread(
            open_session,
            context.store,
            found.id,
            web.clock.now(),
            web.cookies.session_age,
            f"oidc {settings.issuer}",
        )
        response = web.redirect("/", f"Signed in as {found.name}.")
        web.cookies.start_session(response, session)
        if isinstance(token.get("id_token"), str):
            web.cookies.write(response, HINT_COOKIE, token["id_token"], web.cookies.session_age)
        return response

    async def logout(request: Request) -> str | None:
        """Where the browser goes after the local sign-out: the provider's end-session
        endpoint if it has one, else None (the sign-in page)."""
        hint = web.cookies.read(request, HINT_COOKIE, web.cookies.session_age)
        try:
            metadata = await client.load_server_metadata()
            if not metadata.get("end_session_endpoint"):
                return None
            made = await client.create_logout_url(
                post_logout_redirect_uri=f"{web.base_url()}/sign-in?signed-out",
                id_token_hint=hint,
                client_id=settings.client_id,
            )
        except REFUSED as error:
            logger.warning("single sign-out skipped: %s", _why(error))
            return None
        url: str = made["url"]
        return url

    web.after_sign_out = logout
    keep = web.cookies
    return [
        Mount(
            PREFIX,
            routes=[
                Route("/start", start, methods=["GET"]),
                Route("/callback", callback, methods=["GET"]),
            ],
            middleware=[
                Middleware(
                    SessionMiddleware,
                    secret_key=keep.key.decode(),
                    session_cookie=STATE_COOKIE,
                    max_age=FLOW_SECONDS,
                    path=PREFIX,
                    same_site="lax",  # the provider's redirect back is a top-level GET
                    https_only=keep.secure,
                )
            ],
        )
    ]


def _why(error: Exception) -> str:
    """An error's kind and description for the log: never a token, code or secret."""
    description = getattr(error, "description", None) or getattr(error, "error", None) or ""
    return f"{type(error).__name__} {description}".strip()


def _refused(web: Web, request: Request, status: int, why: str) -> Response:
    return web.refusal(
        request,
        status,
        "Single sign-on did not sign you in",
        f"Not signed in: {why}. Nothing was recorded. Try again from the sign-in page, or "
        "ask the people who keep the register which address it lists for you.",
        None,
    )
