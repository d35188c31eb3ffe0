"""GET /timeline.json: the timeline contract over HTTP, behind a secret token.

The token is kept in the store like a feed token (audience `api:timeline`), shown by
`notifier status`, rotated with `notifier feeds rotate api:timeline`, and presented as
`Authorization: Bearer <token>` or `?token=<token>`. A wrong or missing token gets 401.
"""

from __future__ import annotations

import asyncio
import hmac
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from notifier.context import refreshed
from notifier.store.feed_records import ensure_tokens
from notifier.timeline import timeline
from notifier.timeline_json import timeline_json

if TYPE_CHECKING:
    from notifier.daemon import Daemon

TIMELINE_AUDIENCE = "api:timeline"


def presented_token(request: Request) -> str:
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials:
        return credentials.strip()
    return request.query_params.get("token", "")


def timeline_route(daemon: Daemon) -> Route:
    async def endpoint(request: Request) -> Response:
        now = daemon.clock.now()
        records = await asyncio.to_thread(
            ensure_tokens, daemon.context.store, [TIMELINE_AUDIENCE], now
        )
        expected = records[TIMELINE_AUDIENCE].token
        if not hmac.compare_digest(presented_token(request).encode(), expected.encode()):
            return Response(
                "token required\n",
                status_code=401,
                headers={"www-authenticate": 'Bearer realm="notifier"'},
            )
        context = await asyncio.to_thread(refreshed, daemon.context)
        local = now.astimezone(ZoneInfo(context.timezone))
        result = timeline(context.register, context.rules, local, context.options)
        return JSONResponse(timeline_json(result), headers={"cache-control": "private, no-store"})

    return Route("/timeline.json", endpoint, methods=["GET"])
