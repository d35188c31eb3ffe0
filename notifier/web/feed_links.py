"""/feeds: the signed-in person's calendar subscriptions, and a new secret link on request.

A person sees their own feed, the feeds of the models they may act on, and (the organisation's
contacts) the organisation's feed. The feeds channel serves the files; the serving command hands
this page `feed_path`, which names a feed's URL path, so the pages do not import the feeds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from notifier.app import feeds
from notifier.web.site import Snapshot, Web

FeedPath = Callable[[str, str], str]  # (audience, token) -> "/feeds/<token>/<name>.ics"


@dataclass(frozen=True)
class FeedLink:
    audience: str
    label: str
    https: str | None  # None: not published yet
    webcal: str | None


def audiences_for(snap: Snapshot) -> list[tuple[str, str]]:
    viewer = snap.viewer
    register = snap.context.register
    found = [(f"person:{viewer.person.id}", f"Your items ({viewer.person.name})")]
    found += [
        (f"model:{m.id}", f"Model {m.name}")
        for m in register.models
        if viewer.admin or viewer.may_act_on(register, m.id)
    ]
    if viewer.contact or viewer.admin:  # admins (organisation.admins) rotate every feed
        found.append(("organisation", f"All of {register.organisation.name}"))
    return found


def routes(web: Web, feed_path: FeedPath | None) -> list[BaseRoute]:
    def base() -> str:
        settings = web.current().settings
        return (settings.feeds.public_url or web.base_url()).rstrip("/")

    async def links(snap: Snapshot) -> list[FeedLink]:
        records = await asyncio.to_thread(feeds.tokens, snap.context)
        result = []
        for audience, label in audiences_for(snap):
            record = records.get(audience)
            if record is None or feed_path is None:
                result.append(FeedLink(audience, label, None, None))
                continue
            url = base() + feed_path(audience, record.token)
            webcal = "webcal://" + url.split("://", 1)[-1]
            result.append(FeedLink(audience, label, url, webcal))
        return result

    async def page(request: Request) -> Response:
        snap = await web.snapshot(request)
        if isinstance(snap, Response):
            return snap
        return web.page(
            request,
            "feeds.html",
            {
                "links": await links(snap),
                "cache_seconds": snap.context.settings.feeds.token_cache_seconds,
            },
            viewer=snap.viewer,
        )

    async def rotate(request: Request) -> Response:
        posted = await web.posted(request)
        if isinstance(posted, Response):
            return posted
        form, snap = posted
        audience = form.get("audience", "")
        labels = dict(audiences_for(snap))
        if audience not in labels:
            return web.refusal(
                request,
                403,
                "Not yours to change",
                "You may give a new link only to your own feed, your models' feeds and (the "
                "organisation's contacts) the organisation's feed. Nothing was changed.",
                snap.viewer,
            )
        await asyncio.to_thread(
            partial(
                feeds.rotate,
                snap.context,
                audience,
                now=snap.now,
                actor=f"web:{snap.viewer.person.id}",
                allowed=list(labels),
            )
        )
        return web.redirect(
            "/feeds",
            f"New link for {labels[audience]}. The old link stops working: subscribe again "
            "with the new one.",
        )

    return [
        Route("/feeds", page, methods=["GET"]),
        Route("/feeds", rotate, methods=["POST"]),
    ]
