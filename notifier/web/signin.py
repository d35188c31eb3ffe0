"""Sign-in without passwords, and sign-out.

POST /sign-in with an `email`: a person in the register gets a single-use link by mail, valid
for 15 minutes; any other address gets the same page, as fast (the link is made and mailed after
the answer is sent). Requests are limited per address and per client. The link opens a page
with one button: a mail scanner that follows links does not use it up, and the token leaves the
address bar only in a POST.
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import quote

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from notifier.core.days import zone
from notifier.store.sessions import end_session, issue_link, link_person, redeem_link
from notifier.web.site import LINK_LIFETIME, Web

logger = logging.getLogger(__name__)


def routes(web: Web) -> list[BaseRoute]:
    async def sign_in_form(request: Request) -> Response:
        viewer = await web.viewer(request)
        signed_out = request.query_params.get("signed-out") is not None
        return web.page(
            request,
            "sign_in.html",
            {"email": "", "error": None, "signed_out": signed_out},
            viewer=viewer,
        )

    async def request_link(request: Request) -> Response:
        fields = await web.form(request)
        if fields is None:
            return web.forbidden_form(request)
        email = fields.get("email", "").strip()
        if "@" not in email or len(email) > 320 or any(c.isspace() for c in email):
            return web.page(
                request,
                "sign_in.html",
                {
                    "email": email,
                    "error": "give your email address, e.g. name@example.com",
                    "signed_out": False,
                },
                status=400,
            )
        now = web.clock.now()
        client = request.client.host if request.client else "unknown"
        if not web.per_client.allow(client, now):
            return web.refusal(
                request,
                429,
                "Too many sign-in requests",
                "Too many sign-in requests came from your network: please wait 15 minutes "
                "before asking for another link. A link already sent stays valid for 15 minutes "
                "after it was asked for.",
                None,
            )
        if not web.per_address.allow(email.lower(), now):
            return web.refusal(
                request,
                429,
                "A link was just sent",
                "A sign-in link was mailed to this address less than a minute ago: use it, or "
                "ask again in a minute.",
                None,
            )
        context = web.current()
        person = next(
            (p for p in context.register.people if p.email.lower() == email.lower()), None
        )
        response = web.page(request, "sign_in_sent.html", {"email": email})
        if person is not None and web.send_link is not None:
            response.background = BackgroundTask(_mail_link, web, person.id)
        elif person is not None:
            logger.error("sign-in asked for, but no mail sender is configured")
        return response

    async def link_page(request: Request) -> Response:
        token = request.query_params.get("token", "")
        now = web.clock.now()
        person = await asyncio.to_thread(link_person, web.current().store, token, now)
        if person is None:
            return _expired(web, request)
        return web.page(request, "sign_in_confirm.html", {"token": token})

    async def use_link(request: Request) -> Response:
        fields = await web.form(request)
        if fields is None:
            return web.forbidden_form(request)
        context = web.current()
        used = await asyncio.to_thread(
            redeem_link,
            context.store,
            fields.get("token", ""),
            web.clock.now(),
            web.cookies.session_age,
        )
        if used is None:
            return _expired(web, request)
        person, session = used
        name = next((p.name for p in context.register.people if p.id == person), person)
        response = web.redirect("/", f"Signed in as {name}.")
        web.cookies.start_session(response, session)
        return response

    async def sign_out(request: Request) -> Response:
        fields = await web.form(request)
        if fields is None:
            return web.forbidden_form(request)
        session = web.cookies.session(request)
        if session is not None:
            await asyncio.to_thread(end_session, web.current().store, session, web.clock.now())
        response = web.redirect("/sign-in?signed-out")
        web.cookies.clear(response, "notifier_session")
        return response

    return [
        Route("/sign-in", sign_in_form, methods=["GET"]),
        Route("/sign-in", request_link, methods=["POST"]),
        Route("/sign-in/link", link_page, methods=["GET"]),
        Route("/sign-in/link", use_link, methods=["POST"]),
        Route("/sign-out", sign_out, methods=["POST"]),
    ]


def _expired(web: Web, request: Request) -> Response:
    return web.refusal(
        request,
        400,
        "This sign-in link cannot be used",
        "It has expired (a link works for 15 minutes), or it was used already: each link "
        "signs in once. Ask for a new one on the sign-in page.",
        None,
    )


async def _mail_link(web: Web, person_id: str) -> None:
    """After the answer is sent: make the link and mail it (errors are logged, never shown)."""
    context = web.current()
    person = next((p for p in context.register.people if p.id == person_id), None)
    if person is None or web.send_link is None:
        return
    now = web.clock.now()
    try:
        token = await asyncio.to_thread(issue_link, context.store, person.id, now, LINK_LIFETIME)
        expires = (now + LINK_LIFETIME).astimezone(zone(context.timezone))
        await web.send_link(
            organisation=context.register.organisation.name,
            name=person.name,
            email=person.email,
            link=f"{web.base_url()}/sign-in/link?token={quote(token)}",
            expires=expires,
            minutes=int(LINK_LIFETIME.total_seconds() // 60),
            now=now,
        )
    except Exception:  # a background task has nobody to answer: log, never the link
        logger.exception("could not make or mail a sign-in link for %s", person.id)
