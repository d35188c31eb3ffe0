"""GET /timeline.json: the timeline contract over HTTP, behind a secret token.

The token is kept in the store like a feed token (audience `api:timeline`): the daemon issues it
at start, `notifier status` shows it, `notifier feeds rotate api:timeline` replaces it. It is
presented as `Authorization: Bearer <token>` or `?token=<token>`; a wrong or missing one gets
401. Serving the timeline reads the store and writes nothing.
"""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from notifier.app import moves
from notifier.app.feeds import TIMELINE_AUDIENCE as TIMELINE_AUDIENCE  # its home: the tokens
from notifier.app.feeds import tokens
from notifier.app.timelines import shared, timeline_of
from notifier.clock import Clock
from notifier.context import Context
from notifier.core.views.timeline_json import timeline_json


def presented_token(request: Request) -> str:
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials:
        return credentials.strip()
    return request.query_params.get("token", "")


def timeline_route(current: Callable[[], Context], clock: Clock) -> Route:
    """The route, reading the context in use at each request (a reload may replace it)."""

    async def endpoint(request: Request) -> Response:
        context = current()
        records = await asyncio.to_thread(tokens, context)
        record = records.get(TIMELINE_AUDIENCE)
        expected = record.token if record is not None else ""
        presented = presented_token(request)
        if not expected or not hmac.compare_digest(presented.encode(), expected.encode()):
            return Response(
                "token required\n",
                status_code=401,
                headers={"www-authenticate": 'Bearer realm="notifier"'},
            )
        context = await asyncio.to_thread(shared.refreshed, context)  # issue 22: shared
        result = await asyncio.to_thread(timeline_of, context, context.day(clock.now()))
        moved = await asyncio.to_thread(moves.recent_dates, context, clock.now())
        return JSONResponse(
            timeline_json(result, moved), headers={"cache-control": "private, no-store"}
        )

    return Route("/timeline.json", endpoint, methods=["GET"])
