"""What moved, kept (issue 23): the snapshot of what people were last shown, and the moves.

`advance` compares the snapshot with what a computation shows now, records the moves it finds
(each once: their key is unique, and one transaction at a time takes the snapshot forward) with
an audit entry each (actor `system`; a duty an event starts by itself is in the event's own
entry), and keeps the new snapshot. Nothing is written when nothing changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, delete, insert, select

from notifier.core.moves import Cause, Inputs, Move, Shown, Snapshot
from notifier.store.audit import append
from notifier.store.engine import Store, dialect_insert, serialise
from notifier.store.schema import moves, shown_digest, shown_inputs, shown_items

SYSTEM = "system"


def _read(connection: Connection) -> Snapshot:
    items = {
        row.item_id: Shown(
            row.item_id,
            row.rule,
            row.model,
            row.title,
            row.due,
            row.status,
            row.rules_version,
            tuple(json.loads(row.owners)),
        )
        for row in connection.execute(select(shown_items))
    }
    inputs = {
        row.scope: Inputs(
            row.scope,
            row.fields,
            tuple(json.loads(row.events)),
            row.rules_version,
            row.shown_at.isoformat(),
        )
        for row in connection.execute(select(shown_inputs))
    }
    return Snapshot(items, inputs)


def snapshot(store: Store) -> Snapshot:
    with store.engine.connect() as connection:
        return _read(connection)


def digest(shown: Snapshot) -> str:
    """What a snapshot holds, hashed (the stamps left out): equal digests, nothing changed."""
    found = hashlib.sha256()
    for key in sorted(shown.items):
        found.update(repr(shown.items[key].kept).encode())
    for scope in sorted(shown.inputs):
        i = shown.inputs[scope]
        found.update(repr((i.scope, i.fields, i.events, i.rules_version)).encode())
    return found.hexdigest()


def _stored_digest(connection: Connection) -> str | None:
    return connection.scalar(select(shown_digest.c.digest).where(shown_digest.c.id == 1))


def _same(before: Snapshot, after: Snapshot) -> bool:
    if set(before.inputs) != set(after.inputs):
        return False
    if any(not before.inputs[s].same(after.inputs[s]) for s in after.inputs):
        return False
    return before.items.keys() == after.items.keys() and all(
        before.items[k].kept == after.items[k].kept for k in after.items
    )


Diff = Callable[[Snapshot], list[Move]]


def advance(store: Store, after: Snapshot, diff: Diff, now: datetime) -> list[Move]:
    """Record the moves `diff` finds from the stored snapshot to `after`, and keep `after`.
    Returns the moves this call recorded (another process may have recorded them first)."""
    wanted = digest(after)
    with store.engine.connect() as connection:
        if _stored_digest(connection) == wanted:
            return []
    with store.engine.begin() as connection:
        serialise(connection, "moves")
        before = _read(connection)
        if _same(before, after):
            _keep_digest(connection, wanted)
            return []
        found = diff(before)
        recorded = [move for move in found if _record(connection, move, now)]
        _replace(connection, before, after, now)
        _keep_digest(connection, wanted)
    return recorded


def _keep_digest(connection: Connection, value: str) -> None:
    connection.execute(delete(shown_digest))
    connection.execute(insert(shown_digest).values(id=1, digest=value))


def _record(connection: Connection, move: Move, now: datetime) -> bool:
    insert_ = dialect_insert(connection)
    result = connection.execute(
        insert_(moves)
        .values(
            key=move.key,
            item_id=move.item,
            rule=move.rule,
            model=move.model,
            title=move.title,
            old_due=move.old_due,
            new_due=move.new_due,
            change=move.change,
            cause_kind=move.cause.kind,
            cause_ref=move.cause.ref,
            cause=json.dumps(move.cause.as_json(), sort_keys=True),
            owners=json.dumps(list(move.owners)),
            found_at=now,
        )
        .on_conflict_do_nothing(index_elements=["key"])
    )
    if not result.rowcount:
        return False
    if not move.told:  # a duty an event starts by itself: the event's own entry records it
        return True
    append(
        connection,
        at=now,
        actor=SYSTEM,
        action="date-moved",
        subject=move.item,
        detail=move.describe(),
    )
    return True


def _replace(connection: Connection, before: Snapshot, after: Snapshot, now: datetime) -> None:
    connection.execute(delete(shown_items))
    if after.items:
        connection.execute(
            insert(shown_items),
            [
                {
                    "item_id": s.item,
                    "rule": s.rule,
                    "model": s.model,
                    "title": s.title,
                    "due": s.due,
                    "status": s.status,
                    "rules_version": s.rules_version,
                    "owners": json.dumps(list(s.owners)),
                }
                for s in after.items.values()
            ],
        )
    for scope in set(before.inputs) - set(after.inputs):
        connection.execute(delete(shown_inputs).where(shown_inputs.c.scope == scope))
    for scope, inputs in after.inputs.items():
        old = before.inputs.get(scope)
        if old is not None and old.same(inputs):
            continue  # its stamp stays: the moves found against it keep their keys
        connection.execute(delete(shown_inputs).where(shown_inputs.c.scope == scope))
        connection.execute(
            insert(shown_inputs).values(
                scope=scope,
                fields=inputs.fields,
                events=json.dumps(list(inputs.events)),
                rules_version=inputs.rules_version,
                shown_at=now,
            )
        )


@dataclass(frozen=True)
class Recorded:
    """A move as the store keeps it."""

    id: int
    move: Move
    found_at: datetime


def _cause(text: str) -> Cause:
    raw = json.loads(text)
    rules = tuple((r["id"], r["citation"]) for r in raw.get("rules", []))
    return Cause(raw["kind"], raw["ref"], raw["text"], rules)


def recorded(
    store: Store,
    *,
    since: datetime | None = None,
    model: str | None = None,
    item: str | None = None,
    ids: list[int] | None = None,
    limit: int = 1000,
) -> list[Recorded]:
    """Moves found since `since` (of `model`, of `item`), newest first, at most `limit`."""
    t = moves
    query = select(t).order_by(t.c.id.desc()).limit(limit)
    if since is not None:
        query = query.where(t.c.found_at >= since)
    if model is not None:
        query = query.where(t.c.model == model)
    if item is not None:
        query = query.where(t.c.item_id == item)
    if ids is not None:
        query = query.where(t.c.id.in_(ids))
    with store.engine.connect() as connection:
        return [
            Recorded(
                row.id,
                Move(
                    row.item_id,
                    row.rule,
                    row.model,
                    row.title,
                    _date(row.old_due),
                    _date(row.new_due),
                    row.change,
                    _cause(row.cause),
                    tuple(json.loads(row.owners)),
                    row.key,
                ),
                row.found_at,
            )
            for row in connection.execute(query)
        ]


def _date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)
