"""The HTTP app as `notifier serve` and `notifier run` compose it: the web app, with the feeds in
front of its router and their count in /healthz, the pages, and the security headers around
everything. Composed here, above the channels, since the channels (feeds, mail, web) do not
import each other: the pages get the sign-in mail and the mail-at-once as callables."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from notifier.api.routes import api_routes
from notifier.clock import Clock
from notifier.context import Context
from notifier.errors import RuntimeFailure
from notifier.feeds.http import FeedRoute
from notifier.feeds.index import FeedIndex
from notifier.feeds.names import audience_filename, feed_url_path
from notifier.mail.signin import LinkMailer
from notifier.settings import HttpSettings
from notifier.store.engine import Store
from notifier.web.app import build_app
from notifier.web.guard import Limits, http_protocol
from notifier.web.routes import web_routes
from notifier.web.security import HEADERS, SecurityHeaders
from notifier.web.site import Health, Web

Lifespan = Callable[[Starlette], AbstractAsyncContextManager[None]]


def bind(host: str, port: int) -> socket.socket:
    """The server's listening socket, bound now; RuntimeFailure (exit 1) naming the address if
    it cannot be (in use, not an address of this machine, a port below 1024 without the
    right)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listening = socket.socket(family, socket.SOCK_STREAM)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listening.bind((host, port))
    except OSError as error:
        listening.close()
        raise RuntimeFailure(
            f"cannot listen on http {host}:{port}: {error.strerror or error}; stop what uses it "
            "or set http.port (NOTIFIER_HTTP__PORT) to a free one"
        ) from None
    listening.set_inheritable(True)
    return listening


def server_config(
    app: Starlette, http: HttpSettings, *, host: str | None = None, port: int | None = None
) -> uvicorn.Config:
    """uvicorn with httptools (the fastest pairing measured, benchmarks/run.py) and the edge
    limits of notifier.web.guard: head time-out and size, open connections; the feeds' known
    answers are written by the protocol itself."""
    limits = Limits(
        http.head_timeout_seconds,
        http.max_head_bytes,
        http.max_connections,
        http.body_timeout_seconds,
        http.max_body_bytes,
    )
    feeds: FeedRoute | None = getattr(app.state, "feed_route", None)
    return uvicorn.Config(
        app,
        host=http.host if host is None else host,
        port=http.port if port is None else port,
        http=http_protocol(limits, feeds.known if feeds is not None else None),
        lifespan="on",
        ws="none",  # no WebSocket route: not loading a WebSocket library saves 4 MB (issue 22)
        log_config=None,  # the handler configured by notifier.cli.logs, with repeats held back
        access_log=False,  # one line per request halves throughput; feeds are polled
        server_header=False,
        timeout_keep_alive=5,
        limit_concurrency=http.max_connections,
        # X-Forwarded-For only from the proxies configured: uvicorn would otherwise believe it
        # from loopback, and a local client would choose the address its sign-ins count under.
        proxy_headers=bool(http.trusted_proxies),
        forwarded_allow_ips=list(http.trusted_proxies) or None,
    )


def http_app(
    calendars_dir: Path,
    store: Store,
    *,
    token_cache_seconds: float = 1.0,
    routes: Sequence[BaseRoute] = (),
    health: Callable[[], Mapping[str, Any]] | None = None,
    lifespan: Lifespan | None = None,
    monotonic: Callable[[], float] = time.monotonic,
) -> Starlette:
    # Feeds are answered first, outside the web app, with every header precomputed: the
    # security headers go into each reply once per file version, not once per request.
    index = FeedIndex(store, calendars_dir, token_cache_seconds, monotonic, extra=HEADERS)

    async def fields() -> Mapping[str, Any]:
        found: dict[str, Any] = {"feeds": await index.count()}
        if health is not None:
            found.update(health())
        return found

    # The feeds' route is made here, so that the server can write its known answers directly
    # (server_config); it wraps the app once Starlette builds it.
    route = FeedRoute(_not_built, index, extra=HEADERS)

    def outermost(inner: ASGIApp) -> ASGIApp:
        route.app = SecurityHeaders(inner)
        return route

    app = build_app(routes=routes, health=fields, lifespan=lifespan, outermost=outermost)
    app.state.feed_index = index
    app.state.feed_route = route
    return app


def page_routes(
    current: Callable[[], Context], clock: Clock, *, health: Health | None = None
) -> list[BaseRoute]:
    """The pages people use, reading the context in use at each request (a reload may replace
    it); the sign-in link goes by the mail channel's transport (SMTP, or the outbox)."""
    settings = current().settings
    web = Web(
        current,
        clock,
        send_link=LinkMailer(settings.smtp, settings.outbox_dir, settings.templates_dir),
        health=health,
    )
    return [
        *api_routes(current, clock, health=health),
        *web_routes(
            web, feed_path=lambda audience, token: feed_url_path(token, audience_filename(audience))
        ),
    ]


async def _not_built(scope: Scope, receive: Receive, send: Send) -> None:
    raise RuntimeError("the HTTP app is used before Starlette built it")
