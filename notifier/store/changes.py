"""Whether anyone recorded something that changes the plan: done marks, events and watcher
findings, written by the CLI, the web or another instance. Their tables are append-only, so
the highest id of each (and the findings' count) changes exactly when one is added; the daemon
compares this cheap signature every few seconds instead of reloading everything.
"""

from __future__ import annotations

from sqlalchemy import func, select

from notifier.store.engine import Store
from notifier.store.schema import done_marks, event_log, moves, watch_findings

Signature = tuple[int | None, int | None, int, int | None]


def signature(store: Store) -> Signature:
    """One round trip: the last done mark, the last event, the number of findings, and the
    last move of a due date found by another process (issue 23: told by the next round)."""
    query = select(
        select(func.max(done_marks.c.id)).scalar_subquery(),
        select(func.max(event_log.c.id)).scalar_subquery(),
        select(func.count()).select_from(watch_findings).scalar_subquery(),
        select(func.max(moves.c.id)).scalar_subquery(),
    )
    with store.engine.connect() as connection:
        marks, events, findings, moved = connection.execute(query).one()
    return (marks, events, int(findings), moved)
