"""The daemon's dispatch round in a short-lived child process (issue 22: the daemon's memory).

A round computes the timeline, the moves and the plan, and renders a message (with its
invitations) for every person due: the first round of a 1,000-model register grows the heap by
some 40 MB that Python's allocator then keeps, partly used, for the daemon's whole life. Run in
a child, the round's peak and the code only it needs (templates, iCalendar, the channels) never
enter the daemon, which keeps only the round's report.

Exactly once is kept by the ledger, as between any two processes (`notifier remind` beside the
daemon): the child claims under its own identity (`store.leases.round_identity`, named after
its daemon's) and holds its own lease while it sends. A child that dies (killed, out of
memory) leaves claims that lapse with its lease and are released by the next round, as a
daemon that died would; and a child dies with its daemon (`PR_SET_PDEATHSIG`), so that no
round outlives the process that leads. A stop asked of the daemon (SIGINT, SIGTERM, also sent
to its process group) is not the child's to act on: the daemon lets the round finish (bounded
by its grace), and kills it only past that.

The child is handed the daemon's own settings and register (what the daemon runs, even while
the file is being edited), opens the store itself, and writes the round (or its error) back on
its standard output; its log lines go to the daemon's standard error.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import logging
import os
import pickle
import signal
import sys
from datetime import datetime
from typing import Any

from notifier.app.delivery import Round, run_round
from notifier.context import Context, assembled
from notifier.errors import RuntimeFailure
from notifier.store.leases import round_identity

__all__ = ["child_round", "round_in_child"]

_CHILD = "from notifier.app.delivery_child import child_round; child_round()"
PR_SET_PDEATHSIG = 1  # prctl(2)


async def round_in_child(context: Context, now: datetime, *, by: str) -> Round:
    """`run_round(context, now)` in a new process; `by` (the daemon's identity) is who the
    health problems the round finds are recorded by. The round's own exception is raised again
    here (RuntimeFailure where it cannot be carried back); cancelled, the child is killed."""
    root = logging.getLogger()
    formats = [getattr(h.formatter, "_fmt", None) for h in root.handlers if h.formatter]
    payload = pickle.dumps(
        (context.settings, context.register, now, by, os.getpid(), root.level, formats[:1])
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        _CHILD,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        out, _ = await process.communicate(payload)
    except BaseException:  # cancelled (a stop past its grace): the child goes with the round
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await asyncio.shield(process.wait())
        raise
    try:
        outcome, value = pickle.loads(out)  # from our own child
    except Exception:
        raise RuntimeFailure(
            f"the dispatch round's process ended without a report (exit {process.returncode}); "
            "its claims are retried once its lease lapses"
        ) from None
    if outcome == "error":
        raise value
    assert isinstance(value, Round)
    return value


def child_round() -> None:
    """The child's side of `round_in_child`: settings, register and instant from stdin, the
    round (or its exception) to stdout."""
    report = os.fdopen(os.dup(1), "wb")  # stdout is the report's alone: anything printed goes
    os.dup2(2, 1)  # to stderr, with the log
    settings, register, now, by, parent, level, formats = pickle.loads(sys.stdin.buffer.read())
    _die_with(parent)
    for stop in (signal.SIGINT, signal.SIGTERM):  # the daemon's to act on, not the round's
        signal.signal(stop, signal.SIG_IGN)
    logging.basicConfig(level=level, format=formats[0] if formats else logging.BASIC_FORMAT)
    result: tuple[str, Any]
    try:
        context = assembled(settings, register, now)
        try:
            result = ("round", asyncio.run(run_round(context, now, me=round_identity(by), by=by)))
        finally:
            context.store.close()
    except Exception as error:
        logging.getLogger(__name__).debug("the round failed", exc_info=True)
        result = ("error", _portable(error))
    report.write(pickle.dumps(result))
    report.close()


def _portable(error: Exception) -> Exception:
    """The exception itself if it survives pickling, else one that says the same."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return RuntimeFailure(f"{type(error).__name__}: {error}")
    return error


def _die_with(parent: int) -> None:
    """Be killed when the daemon dies (Linux); exit at once if it already has."""
    name = ctypes.util.find_library("c")
    if name is not None:
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(name).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)
