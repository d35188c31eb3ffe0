"""Issue 11: store step 6 (Alembic revision 0006) adds the web's sign-in tables and, to
done_marks, an evidence URL and the mark a correction replaces. A store written before (version
5, done_marks without those columns) upgrades and keeps its marks; a corrected mark stays
stored but no longer counts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import inspect

from notifier.store.engine import Store
from notifier.store.history import mark_records
from notifier.store.marks import load_marks, record_done
from tests.support import legacy_store

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
ITEM = "atlas/art-53-1-c-copyright-policy"


def test_a_version_5_store_gains_the_web_tables_and_keeps_its_marks(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    legacy_store.build(url, 5)  # as the hand-written runner left it at version 5
    store = Store.open(url, NOW)
    try:
        with store.engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            columns = {c["name"] for c in inspect(connection).get_columns("done_marks")}
        assert {"sign_in_links", "web_sessions", "web_keys"} <= tables
        assert {"evidence_url", "corrects"} <= columns
        item = legacy_store.ROWS["done_marks"]["item_id"]
        [mark] = mark_records(store, {item})[item]
        assert (mark.note, mark.evidence_url, mark.corrects) == ("policy v1", "", None)
    finally:
        store.close()


def test_a_correction_replaces_the_mark_it_names_and_both_stay_stored(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'n.db'}", NOW)
    try:
        record_done(store, ITEM, date(2026, 11, 20), "late entry", actor="web:legal", at=NOW)
        [first] = mark_records(store, {ITEM})[ITEM]
        record_done(
            store,
            ITEM,
            date(2026, 11, 2),
            "true date",
            actor="web:legal",
            at=NOW,
            corrects=first.id,
        )
        assert [m.on for m in load_marks(store)[ITEM]] == [date(2026, 11, 2)]
        assert len(mark_records(store, {ITEM})[ITEM]) == 2
    finally:
        store.close()
