"""Documents from the pages, for a signed-in person only: the evidence pack, GET /pack (every
model) and GET /models/{id}/pack, a zip as of today (the same as `notifier export pack`); and
the drafts, GET /models/{id}/drafts/{kind}.{md|docx} (the same as `notifier draft`)."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from notifier.core.drafts import KINDS
from notifier.documents.drafts import FORMATS, make_draft
from notifier.web.printed import evidence_pack
from notifier.web.site import Web


def routes(web: Web) -> list[BaseRoute]:
    # One pack at a time per process: a register's pack keeps every core busy for a while, and
    # a second request waits its turn rather than doubling the load.
    one_at_a_time = asyncio.Semaphore(1)

    async def pack(request: Request) -> Response:
        snap = await web.snapshot(request)
        if isinstance(snap, Response):
            return snap
        model_id = request.path_params.get("model_id")
        if model_id is not None and model_id not in {m.id for m in snap.context.register.models}:
            message = f"There is no model '{model_id}' in the register."
            return web.refusal(request, 404, "Not found", message, snap.viewer)
        async with one_at_a_time:
            made = await asyncio.to_thread(
                evidence_pack, snap.context, snap.now, snap.today, model_id
            )
            body = await asyncio.to_thread(made.zip_bytes)
        return Response(
            body,
            media_type="application/zip",
            headers={
                "content-disposition": f'attachment; filename="{made.name}.zip"',
                "cache-control": "no-store",
            },
        )

    async def drafted(request: Request) -> Response:
        snap = await web.snapshot(request)
        if isinstance(snap, Response):
            return snap
        model_id = request.path_params["model_id"]
        kind, fmt = request.path_params["kind"], request.path_params["fmt"]
        known = {m.id for m in snap.context.register.models}
        if model_id not in known or kind not in KINDS or fmt not in FORMATS:
            message = "There is no such draft: see the model page for the drafts it has."
            return web.refusal(request, 404, "Not found", message, snap.viewer)
        made = await asyncio.to_thread(
            make_draft, snap.context, snap.now, kind, model_id, snap.today, fmt
        )
        media = "text/markdown; charset=utf-8" if fmt == "md" else DOCX
        return Response(
            made.data,
            media_type=media,
            headers={
                "content-disposition": f'attachment; filename="{made.file_name}"',
                "cache-control": "no-store",
            },
        )

    return [
        Route("/pack", pack, methods=["GET"]),
        Route("/models/{model_id}/pack", pack, methods=["GET"]),
        Route("/models/{model_id}/drafts/{kind}.{fmt}", drafted, methods=["GET"]),
    ]


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
