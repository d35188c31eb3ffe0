"""`notifier calendars`, `notifier feeds rotate` and `notifier serve`: the calendar feeds' edge."""

from __future__ import annotations

import argparse
import json
import logging
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from notifier.app import feeds
from notifier.app.audit import local_actor
from notifier.app.feeds import TIMELINE_AUDIENCE
from notifier.cli.arguments import as_of_value, context_of
from notifier.feeds.names import audience_filename, feed_url_path

if TYPE_CHECKING:
    import uvicorn

    from notifier.context import Context
    from notifier.feeds.files import Published
    from notifier.settings import Settings

logger = logging.getLogger(__name__)


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    calendars = commands.add_parser(
        "calendars",
        parents=[common],
        help="write the calendar feeds; list audience, file and URL",
    )
    calendars.add_argument("--as-of", type=as_of_value, help="date to evaluate (default: today)")
    calendars.add_argument("--out", type=Path, help="folder for the .ics files (calendars_dir)")
    calendars.add_argument("--format", choices=("text", "json"), default="text")
    calendars.set_defaults(handler=run_calendars)

    feeds = commands.add_parser("feeds", help="manage the feeds' secret URLs")
    actions = feeds.add_subparsers(dest="feeds_action", required=True, metavar="ACTION")
    rotate = actions.add_parser(
        "rotate",
        parents=[common],
        help="new secret token for a feed; the old URL stops working",
    )
    rotate.add_argument(
        "audience",
        metavar="AUDIENCE",
        help=f"organisation, model:<id>, person:<id>, or {TIMELINE_AUDIENCE} (the JSON timeline)",
    )
    rotate.set_defaults(handler=run_rotate)

    serve = commands.add_parser(
        "serve", parents=[common], help="HTTP only: the pages, feeds and /healthz"
    )
    serve.add_argument("--host", help="address to listen on (default: setting http.host)")
    serve.add_argument("--port", type=int, help="port (default: setting http.port; 0: any free)")
    serve.set_defaults(handler=run_serve)


def run_calendars(args: argparse.Namespace, out: TextIO) -> int:
    context = context_of(args)
    published = feeds.publish(context, args.now, as_of=args.as_of, out=args.out)
    if args.format == "json":
        json.dump([feed_json(p, context.settings) for p in published], out, indent=2)
        out.write("\n")
        return 0
    written = sum(p.written for p in published)
    folder = published[0].path.parent
    out.write(f"{len(published)} feeds in {folder} ({written} written, the rest unchanged)\n")
    width = max(len(p.feed.audience.key) for p in published)
    for p in published:
        note = "  (over the size limit: see the warning)" if p.feed.over_limit else ""
        out.write(
            f"  {p.feed.audience.key:<{width}}  {p.feed.events:>4} events  "
            f"{webcal_url(context.settings, p.url_path)}{note}\n"
        )
    out.write("Each URL is secret; `notifier feeds rotate AUDIENCE` replaces one.\n")
    return 0


def feed_json(published: Published, settings: Settings) -> dict[str, Any]:
    return {
        "audience": published.feed.audience.key,
        "file": str(published.path),
        "url": published.url_path,
        "webcal": webcal_url(settings, published.url_path),
        "events": published.feed.events,
        "written": published.written,
    }


def webcal_url(settings: Settings, path: str) -> str:
    """The subscription link: feeds.public_url if set, else the address `notifier serve` uses."""
    base = settings.feeds.public_url
    if base is None:
        host = settings.http.host
        if host in ("", "0.0.0.0", "::"):
            host = "localhost"  # listening everywhere: set feeds.public_url for a real name
        elif ":" in host:
            host = f"[{host}]"
        base = f"http://{host}:{settings.http.port}"
    return "webcal://" + base.rstrip("/").split("://", 1)[-1] + path


def run_rotate(args: argparse.Namespace, out: TextIO) -> int:
    context = context_of(args)
    record = feeds.rotate(context, args.audience, now=args.now, actor=local_actor())
    if args.audience == TIMELINE_AUDIENCE:
        http = context.settings.http
        out.write(
            f"New token for {TIMELINE_AUDIENCE}: http://{http.host}:{http.port}"
            f"/timeline.json?token={record.token}\nThe old token now answers 401.\n"
        )
        return 0
    path = feed_url_path(record.token, audience_filename(args.audience))
    out.write(
        f"New URL for {args.audience}: {webcal_url(context.settings, path)}\n"
        f"The old URL now answers 404 (a running server notices within "
        f"{context.settings.feeds.token_cache_seconds:g} s). Give subscribers the new one.\n"
    )
    return 0


def run_serve(args: argparse.Namespace, out: TextIO) -> int:
    import uvicorn  # the HTTP server: only the serving commands load it

    context = context_of(args)
    host = args.host or context.settings.http.host
    port = context.settings.http.port if args.port is None else args.port
    logging.getLogger().setLevel(logging.DEBUG if args.debug else logging.INFO)
    if not feeds.tokens(context):
        logger.warning("no feeds yet: run `notifier calendars` to write them and issue URLs")
    uvicorn.Server(serve_config(context, host, port)).run()  # uvicorn owns SIGINT/SIGTERM
    return 0


def serve_config(context: Context, host: str, port: int) -> uvicorn.Config:
    from notifier.cli.serving import http_app, page_routes, server_config
    from notifier.clock import SystemClock

    settings = context.settings
    # Links in sign-in mails name the address served (unless web.public_url says otherwise).
    http = settings.http.model_copy(update={"host": host, "port": port})
    pages = replace(context, settings=settings.model_copy(update={"http": http}))
    app = http_app(
        settings.calendars_dir,
        context.store,
        token_cache_seconds=settings.feeds.token_cache_seconds,
        routes=page_routes(lambda: pages, SystemClock()),
    )
    return server_config(app, settings.http, host=host, port=port)
