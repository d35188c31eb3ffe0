"""The HTTP app: /healthz and whatever the serving command adds (feeds, the JSON timeline, pages).

`build_app` gives a Starlette app that a daemon extends with its own routes, middleware (the
feeds), lifespan (to run the scheduler) and health fields.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp

HealthFields = Callable[[], Awaitable[Mapping[str, Any]]]
Wrapper = Callable[[ASGIApp], ASGIApp]


class App(Starlette):
    """Starlette, with one ASGI middleware around everything, error responses included (the
    middleware list sits inside Starlette's own error handling)."""

    outermost: Wrapper | None = None

    def build_middleware_stack(self) -> ASGIApp:
        stack = super().build_middleware_stack()
        return self.outermost(stack) if self.outermost is not None else stack


def build_app(
    *,
    routes: Sequence[BaseRoute] = (),
    middleware: Sequence[Middleware] = (),
    health: HealthFields | None = None,
    lifespan: Callable[[Starlette], AbstractAsyncContextManager[None]] | None = None,
    outermost: Wrapper | None = None,
) -> Starlette:
    """The HTTP app: /healthz, then the routes and middleware the serving command adds;
    `outermost` wraps every response (the security headers)."""

    async def healthz(request: Request) -> JSONResponse:
        fields: dict[str, Any] = {"status": "ok"}
        if health is not None:
            fields.update(await health())
        # A monitor needs no parsing: 503 while anything is wrong (the body says what).
        code = 200 if fields["status"] == "ok" else 503
        return JSONResponse(fields, status_code=code, headers={"cache-control": "no-store"})

    app = App(
        routes=[Route("/healthz", healthz, methods=["GET"]), *routes],
        middleware=list(middleware),
        lifespan=lifespan,
    )
    app.outermost = outermost
    app.router.redirect_slashes = False  # a URL is exact; no redirect reveals a route
    return app
