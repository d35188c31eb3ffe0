"""Issue 11: store step 6 adds the web's sign-in tables and, to done_marks, an evidence URL and
the mark a correction replaces. A store written before (version 5, done_marks without those
columns) upgrades and keeps its marks; a corrected mark stays stored but no longer counts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import create_engine, inspect, text

from notifier.store.engine import Store
from notifier.store.history import mark_records
from notifier.store.marks import load_marks, record_done
from notifier.store.migrations import LATEST

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
ITEM = "atlas/art-53-1-c-copyright-policy"


def version_5_store(path: Path) -> None:
    """done_marks as versions 1-5 created it, with one mark, and the schema at version 5."""
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT "
                "NOT NULL, applied_at VARCHAR(32) NOT NULL)"
            )
        )
        for version in range(1, 6):
            connection.execute(
                text("INSERT INTO schema_version VALUES (:v, 'old', '2026-01-01T00:00:00+00:00')"),
                {"v": version},
            )
        connection.execute(
            text(
                "CREATE TABLE done_marks (id INTEGER PRIMARY KEY AUTOINCREMENT, item_id "
                "VARCHAR(300) NOT NULL, done_on DATE NOT NULL, note TEXT NOT NULL, recorded_at "
                "VARCHAR(32) NOT NULL, recorded_by VARCHAR(200) NOT NULL)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO done_marks (item_id, done_on, note, recorded_at, recorded_by) "
                "VALUES (:item, '2026-01-05', 'policy v1', '2026-01-05T09:00:00+00:00', 'ana@h')"
            ),
            {"item": ITEM},
        )
        connection.execute(
            text(
                "CREATE TABLE audit_log (id INTEGER PRIMARY KEY AUTOINCREMENT, at VARCHAR(32) "
                "NOT NULL, actor VARCHAR(200) NOT NULL, action VARCHAR(100) NOT NULL, subject "
                "VARCHAR(300) NOT NULL, detail TEXT NOT NULL)"
            )
        )
    engine.dispose()


def test_a_version_5_store_gains_the_web_tables_and_keeps_its_marks(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    version_5_store(path)
    store = Store.open(f"sqlite:///{path}", NOW)
    try:
        with store.engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            columns = {c["name"] for c in inspect(connection).get_columns("done_marks")}
        assert {"sign_in_links", "web_sessions", "web_keys"} <= tables
        assert {"evidence_url", "corrects"} <= columns
        [mark] = mark_records(store, {ITEM})[ITEM]
        assert (mark.note, mark.evidence_url, mark.corrects) == ("policy v1", "", None)
    finally:
        store.close()
    assert LATEST == 6


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
