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
    store: Store,
    item_id: str,
    done_on: date,
    note: str,
    *,
    actor: str,
    at: datetime,
    evidence_url: str = "",
    corrects: int | None = None,
) -> None:
    """Add a mark; with `corrects`, it replaces that earlier mark of the same item (which stays
    in the store and the audit log)."""
    detail = f"met on {done_on.isoformat()}" + (f": {note}" if note else "")
    detail += f" (evidence: {evidence_url})" if evidence_url else ""
    with store.engine.begin() as connection:
        if corrects is not None:
            earlier = connection.execute(
                select(done_marks.c.done_on).where(
                    done_marks.c.id == corrects, done_marks.c.item_id == item_id
                )
            ).scalar_one_or_none()
            if earlier is None:
                raise ValueError(f"no done mark {corrects} of {item_id} to correct")
            detail = f"corrects the mark of {earlier.isoformat()}: {detail}"
        connection.execute(
            insert(done_marks).values(
                item_id=item_id,
                done_on=done_on,
                note=note,
                recorded_at=at,
                recorded_by=actor,
                evidence_url=evidence_url,
                corrects=corrects,
            )
        )
        append(
            connection,
            at=at,
            actor=actor,
            action="done" if corrects is None else "done-correct",
            subject=item_id,
            detail=detail,
        )


def load_marks(store: Store) -> dict[str, tuple[DoneMark, ...]]:
    """Every item's marks in force (a corrected mark is not), oldest first, as the timeline
    takes them."""
    marks: dict[str, list[DoneMark]] = defaultdict(list)
    t = done_marks
    query = select(t.c.id, t.c.item_id, t.c.done_on, t.c.note, t.c.corrects).order_by(t.c.id)
    with store.engine.connect() as connection:
        rows = connection.execute(query).all()
    replaced = {row.corrects for row in rows if row.corrects is not None}
    for row in rows:
        if row.id not in replaced:
            marks[row.item_id].append(DoneMark(row.done_on, row.note))
    return {item_id: tuple(found) for item_id, found in marks.items()}
