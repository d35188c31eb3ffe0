"""The timeline computed once per (register, store change signature, day), shared by whoever
asks in this process: the pages, the timeline JSON and the use cases they call (issue 22).

Two small memories, both keyed by identity, so that nothing stale can be returned:
- `Shared.refreshed(context)`: the context with what the store holds now (done marks, events,
  findings), reloaded only when `store.changes.signature` moved (the tables are append-only:
  a write always moves it) or the context itself was replaced (a register reload). The
  signature is read before the reload, so a write racing with it leaves a newer state under
  an older signature: the next call reloads again, never the reverse.
- `timeline_of(context, day)`: the pure timeline of (register, rules, options, day), kept for
  the few most recent of those objects (held, so their ids cannot be reused).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date

from notifier.context import Context, refreshed
from notifier.core.items import Timeline
from notifier.core.timeline import timeline
from notifier.store import changes

__all__ = ["Shared", "shared", "timeline_of"]

KEPT = 4  # timelines kept: a few days or contexts at once (pages, a JSON reader, a round)

_lock = threading.Lock()
_kept: OrderedDict[tuple[int, int, int, date], tuple[Context, Timeline]] = OrderedDict()


def timeline_of(context: Context, day: date) -> Timeline:
    """`core.timeline.timeline(context.register, context.rules, day, context.options)`,
    computed once for the same objects and day. One computation at a time: a second asker
    of the same timeline waits for the first instead of computing it again."""
    key = (id(context.register), id(context.rules), id(context.options), day)
    with _lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
            return found[1]
        result = timeline(context.register, context.rules, day, context.options)
        _kept[key] = (context, result)  # the context holds the keyed objects alive
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
        return result


class Shared:
    """The context as of the store's latest change, reloaded only when it changed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._base: Context | None = None
        self._signature: changes.Signature | None = None
        self._fresh: Context | None = None

    def refreshed(self, context: Context) -> Context:
        """`notifier.context.refreshed(context)`, shared while the store has not changed."""
        with self._lock:
            signature = changes.signature(context.store)
            if self._fresh is not None and self._base is context and self._signature == signature:
                return self._fresh
            fresh = refreshed(context)
            self._base, self._signature, self._fresh = context, signature, fresh
            return fresh


# The process's: the pages and the timeline JSON share it, so that both answer from one
# reload and one timeline (keyed by the context they are handed, never mixed up).
shared = Shared()
