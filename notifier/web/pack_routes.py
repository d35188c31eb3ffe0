"""The evidence pack from the pages: GET /pack (every model) and GET /models/{id}/pack, a zip
made as of today, for a signed-in person only (the same pack as `notifier export pack`)."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from notifier.web.printed import evidence_pack
from notifier.web.site import Web


def routes(web: Web) -> list[BaseRoute]:
    async def pack(request: Request) -> Response:
        snap = await web.snapshot(request)
        if isinstance(snap, Response):
            return snap
        model_id = request.path_params.get("model_id")
        if model_id is not None and model_id not in {m.id for m in snap.context.register.models}:
            message = f"There is no model '{model_id}' in the register."
            return web.refusal(request, 404, "Not found", message, snap.viewer)
        made = await asyncio.to_thread(evidence_pack, snap.context, snap.now, snap.today, model_id)
        body = await asyncio.to_thread(made.zip_bytes)
        return Response(
            body,
            media_type="application/zip",
            headers={
                "content-disposition": f'attachment; filename="{made.name}.zip"',
                "cache-control": "no-store",
            },
        )

    return [
        Route("/pack", pack, methods=["GET"]),
        Route("/models/{model_id}/pack", pack, methods=["GET"]),
    ]
