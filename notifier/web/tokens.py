"""/tokens: a person's API tokens (an admin's view: everyone's), made and revoked here as with
`notifier token`. A new token is shown once, on the answer to the form that made it."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from notifier.app import tokens
from notifier.errors import InputError
from notifier.web.site import Snapshot, Web


def routes(web: Web) -> list[BaseRoute]:
    async def show(
        request: Request,
        snap: Snapshot,
        *,
        made: str | None = None,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        status: int = 200,
    ) -> Response:
        person = None if snap.viewer.admin else snap.viewer.person.id
        found = await asyncio.to_thread(tokens.listed, snap.context, person)
        return web.page(
            request,
            "tokens.html",
            {
                "tokens": list(reversed(found)),
                "now": snap.now,
                "made": made,
                "errors": errors or {},
                "values": values or {"name": "", "scope": "read", "days": ""},
                "default_days": snap.context.settings.api.token_days,
                "everyone": snap.viewer.admin,
            },
            viewer=snap.viewer,
            status=status,
        )

    async def page(request: Request) -> Response:
        snap = await web.snapshot(request)
        if isinstance(snap, Response):
            return snap
        return await show(request, snap)

    async def act(request: Request) -> Response:
        posted = await web.posted(request)
        if isinstance(posted, Response):
            return posted
        form, snap = posted
        actor = f"web:{snap.viewer.person.id}"
        if form.get("action") == "revoke":
            token_id = form.get("token", "")
            try:
                await asyncio.to_thread(
                    tokens.revoke,
                    snap.context,
                    int(token_id) if token_id.isdigit() else -1,
                    actor=actor,
                    now=snap.now,
                    person=None if snap.viewer.admin else snap.viewer.person.id,
                )
            except InputError:
                return web.refusal(
                    request,
                    403,
                    "Not yours to revoke",
                    "That is not a live token of yours (an admin may revoke anyone's). "
                    "Nothing was changed.",
                    snap.viewer,
                )
            return web.redirect("/tokens", f"Revoked token {token_id}: it stops working at once.")
        values = {k: form.get(k, "").strip() for k in ("name", "scope", "days")}
        days = values["days"]
        try:
            _, token = await asyncio.to_thread(
                tokens.create,
                snap.context,
                person=snap.viewer.person.id,
                name=values["name"],
                scope=values["scope"],
                days=int(days) if days.isdigit() else (None if not days else 0),
                actor=actor,
                now=snap.now,
            )
        except InputError as error:
            errors = {p.source: p.message for p in error.problems}
            return await show(request, snap, errors=errors, values=values, status=400)
        return await show(request, snap, made=token)

    return [
        Route("/tokens", page, methods=["GET"]),
        Route("/tokens", act, methods=["POST"]),
    ]
