"""Done marks: the user's record that an item was met. Append-only, audited."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import insert, select

from notifier.core.events import DoneMark
from notifier.store.audit import append
from notifier.store.engine import Store
from notifier.store.schema import done_marks


def record_done(
    store: Store, item_id: str, done_on: date, note: str, *, actor: str, at: datetime
) -> None:
    with store.engine.begin() as connection:
        connection.execute(
            insert(done_marks).values(
                item_id=item_id, done_on=done_on, note=note, recorded_at=at, recorded_by=actor
            )
        )
        append(
            connection,
            at=at,
            actor=actor,
            action="done",
            subject=item_id,
            detail=f"met on {done_on.isoformat()}" + (f": {note}" if note else ""),
        )


def load_marks(store: Store) -> dict[str, tuple[DoneMark, ...]]:
    """Every item's marks, oldest first, as the timeline takes them."""
    marks: dict[str, list[DoneMark]] = defaultdict(list)
    query = select(done_marks.c.item_id, done_marks.c.done_on, done_marks.c.note).order_by(
        done_marks.c.id
    )
    with store.engine.connect() as connection:
        for item_id, done_on, note in connection.execute(query):
            marks[item_id].append(DoneMark(done_on, note))
    return {item_id: tuple(found) for item_id, found in marks.items()}
