"""`notifier run`: the daemon. Settings and register are checked before any port is bound."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

from sqlalchemy.engine import make_url

from notifier import __version__
from notifier.cli.arguments import as_of_value, context_of
from notifier.clock import Clock, StartedClock, SystemClock
from notifier.errors import InputError, Problem, RuntimeFailure

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from notifier.app.delivery import Round
    from notifier.context import Context

logger = logging.getLogger(__name__)


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    run = commands.add_parser(
        "run", parents=[common], help="the daemon: scheduler, reminders, feeds and HTTP"
    )
    run.add_argument(
        "--clock-start",
        type=as_of_value,
        metavar="DATETIME",
        help="run as if the clock read this instant at start (rehearsals, tests)",
    )
    run.set_defaults(handler=run_daemon)


def run_daemon(args: argparse.Namespace, out: TextIO) -> int:
    # The daemon's parts (scheduler, HTTP server, every channel) load for `notifier run` only.
    import uvicorn

    from notifier.app.delivery_child import round_in_child
    from notifier.app.feeds import build_in_child
    from notifier.cli.serving import bind, http_app, page_routes, server_config
    from notifier.daemon import Daemon
    from notifier.daemon.rest import fewer_arenas
    from notifier.web.timeline_api import timeline_route

    fewer_arenas()  # before any thread starts (issue 22: the daemon's memory at rest)
    context = context_of(args)  # bad input exits 2 before binding
    logging.getLogger().setLevel(logging.DEBUG if args.debug else logging.INFO)
    # APScheduler logs every run of every job at INFO: keep its warnings, not its chatter.
    logging.getLogger("apscheduler").setLevel(logging.DEBUG if args.debug else logging.WARNING)
    clock: Clock = SystemClock()
    if args.clock_start is not None:
        if not isinstance(args.clock_start, datetime):
            raise InputError(
                [
                    Problem(
                        "--clock-start",
                        "give a datetime with a UTC offset, e.g. 2027-07-03T09:00:00+02:00",
                    )
                ]
            )
        clock = StartedClock(args.clock_start)

    def publish_feeds(built: Context, now: datetime) -> None:
        """Feeds built in a child process (issue 22); then this process's server rereads the
        feed records, so that it serves what the child published at once."""
        build_in_child(built, now)
        index = getattr(app.state, "feed_index", None)
        if index is not None:
            index.expire()

    async def run_round(current: Context, now: datetime, me: str) -> Round:
        """Each dispatch round in a child process (issue 22): its peak, and the code only it
        needs, never enter the daemon. The child claims under its own identity."""
        return await round_in_child(current, now, by=me)

    daemon = Daemon(context, clock, publish_feeds, run_round)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await daemon.start()
        try:
            yield
        finally:
            await daemon.stop()

    settings = context.settings
    app = http_app(
        settings.calendars_dir,
        context.store,
        token_cache_seconds=settings.feeds.token_cache_seconds,
        routes=[
            timeline_route(lambda: daemon.context, clock),
            *page_routes(lambda: daemon.context, clock, health=daemon.health),
        ],
        health=daemon.health,
        lifespan=lifespan,
    )
    logger.info(
        "notifier %s starting: register %s, store %s, http %s:%d (pages at /, sign in at /sign-in)",
        __version__,
        settings.register_file,
        _safe_url(settings.database_url),
        settings.http.host,
        settings.http.port,
    )
    # Bind first: a busy port is an error (exit 1, saying so) before the scheduler starts and
    # before anything is sent or recorded; uvicorn alone would start the app, then fail to bind.
    listening = bind(settings.http.host, settings.http.port)
    server = uvicorn.Server(server_config(app, settings.http))
    # uvicorn handles SIGINT/SIGTERM, then re-raises the signal to the handler it found: make
    # that one note the stop, so a requested stop after a graceful shutdown exits 0.
    stops: list[int] = []
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, lambda number, _frame: stops.append(number))
    try:
        asyncio.run(server.serve(sockets=[listening]))
    except SystemExit as failed:  # uvicorn's exit when the start-up (the daemon's) failed
        raise RuntimeFailure(
            f"the daemon could not start (uvicorn exit {failed.code}); the log above says why"
        ) from None
    finally:
        listening.close()
    if stops:
        logger.info("stopped by %s", signal.Signals(stops[0]).name)
    return 0 if server.started else 1


def _safe_url(url: str) -> str:
    """The database URL without its password, for the log."""
    return make_url(url).render_as_string(hide_password=True)
