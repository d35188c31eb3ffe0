"""`notifier db upgrade | current | backup` through the real command line, on both engines: a
store of the hand-written runner is adopted and keeps everything it recorded; `current` and
`backup` change nothing; a store of a newer notifier is refused with exit 2 and left as it is."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from notifier.store import migrate
from tests.support import legacy_store
from tests.support.cli import RunCli
from tests.support.registers import EXAMPLE_REGISTER
from tests.support.stores import kept, snapshot

REGISTER = str(EXAMPLE_REGISTER)


@pytest.fixture
def cli(run_cli: RunCli, empty_store_url: str, monkeypatch: pytest.MonkeyPatch) -> RunCli:
    monkeypatch.setenv("NOTIFIER_DATABASE_URL", empty_store_url)
    return run_cli


def test_db_upgrade_adopts_a_store_of_the_hand_written_runner_and_keeps_all_it_recorded(
    cli: RunCli, empty_store_url: str
) -> None:
    legacy_store.build(empty_store_url)
    before = snapshot(empty_store_url)
    assert "version 6 of the hand-written runner" in cli("db", "current").out
    read_only = cli("timeline", "--register", REGISTER)
    assert read_only.code == 2
    assert "notifier db upgrade" in read_only.err

    upgraded = cli("db", "upgrade")

    assert upgraded.code == 0, upgraded.err
    assert "from schema version 6 of the hand-written runner" in upgraded.out
    assert f"to   schema revision {migrate.HEAD} (current)" in upgraded.out
    assert kept(before, snapshot(empty_store_url)) == {}
    assert cli("db", "current").out.endswith(f"schema revision {migrate.HEAD} (current)\n")
    assert "up to date" in cli("db", "upgrade").out
    # What was recorded is what the commands show: done mark, event, audit, ledger.
    timeline = json.loads(cli("timeline", "--format", "json", "--register", REGISTER).out)
    atlas = next(m for m in timeline["models"] if m["id"] == "atlas-7b")
    copyright_item = next(i for i in atlas["items"] if i["id"].endswith("copyright-policy"))
    assert copyright_item["done_on"] == "2026-01-05"
    assert "incident-1" in cli("event", "list", "--register", REGISTER).out
    audit = json.loads(cli("audit", "--format", "json", "--register", REGISTER).out)
    assert [entry["detail"] for entry in audit] == [
        "met on 2026-01-05: policy v1",
        "hash chain begun: the 1 earlier entries hashed once, in order",
    ]
    assert "sent 1" in cli("status", "--register", REGISTER).out


def test_db_current_reports_without_creating_anything(
    cli: RunCli, empty_store_url: str, tmp_path: Path
) -> None:
    before = snapshot(empty_store_url) if empty_store_url.startswith("postgresql") else None
    result = cli("db", "current")
    assert result.code == 0
    if before is None:
        assert "No store yet" in result.out
        assert not (tmp_path / "empty.db").exists()
    else:
        assert "an empty database" in result.out
        assert snapshot(empty_store_url) == before


def test_a_store_of_a_newer_notifier_is_refused_by_every_command_and_left_unchanged(
    cli: RunCli, empty_store_url: str
) -> None:
    assert cli("db", "upgrade").code == 0
    engine = create_engine(empty_store_url, poolclass=NullPool)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0107_newer'"))
    engine.dispose()
    before = snapshot(empty_store_url)

    for command in (
        ["db", "upgrade"],
        ["timeline", "--register", REGISTER],
        ["done", "atlas-7b/art-53-1-c-copyright-policy", "--register", REGISTER],
    ):
        refused = cli(*command)
        assert refused.code == 2, command
        assert "revision 0107_newer, unknown to this notifier" in refused.err
        assert "Traceback" not in refused.err
    assert "unknown to this notifier" in cli("db", "current").out
    assert snapshot(empty_store_url) == before


def test_db_backup_copies_an_sqlite_store_in_use_into_one_file_and_never_overwrites(
    run_cli: RunCli, tmp_path: Path
) -> None:
    store = tmp_path / "var" / "notifier.db"
    assert run_cli("done", "atlas-7b/art-53-1-c-copyright-policy", "--register", REGISTER).code == 0
    reader = sqlite3.connect(store)  # another process has the store open meanwhile
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM done_marks").fetchone()
        copied = run_cli("db", "backup", str(tmp_path / "copy.db"))
    finally:
        reader.close()

    assert copied.code == 0, copied.err
    assert f"schema revision {migrate.HEAD} (current)" in copied.out
    copy = sqlite3.connect(tmp_path / "copy.db")
    try:
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert copy.execute("SELECT item_id FROM done_marks").fetchall() == [
            ("atlas-7b/art-53-1-c-copyright-policy",)
        ]
    finally:
        copy.close()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("copy", ".copy"))) == [
        "copy.db"
    ]
    again = run_cli("db", "backup", str(tmp_path / "copy.db"))
    assert again.code == 2
    assert "never overwrites" in again.err


def test_db_backup_of_a_store_not_yet_upgraded_leaves_it_as_it_was(
    run_cli: RunCli, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'var' / 'notifier.db'}"
    (tmp_path / "var").mkdir()
    legacy_store.build(url)
    before = snapshot(url)
    copied = run_cli("db", "backup", str(tmp_path / "before-upgrade.db"))
    assert copied.code == 0, copied.err
    assert "version 6 of the hand-written runner" in copied.out
    assert snapshot(url) == before == snapshot(f"sqlite:///{tmp_path / 'before-upgrade.db'}")


@pytest.mark.parametrize(
    ("where", "says"),
    [
        ("postgresql+psycopg://u@127.0.0.1:1/db", "use pg_dump"),
        ("sqlite:///nowhere/notifier.db", "no store here to back up"),
    ],
)
def test_db_backup_where_it_cannot_copy_says_what_to_do_instead(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, where: str, says: str
) -> None:
    monkeypatch.setenv("NOTIFIER_DATABASE_URL", where)
    refused = run_cli("db", "backup", str(tmp_path / "copy.db"))
    assert refused.code == 2
    assert says in refused.err
    assert not (tmp_path / "copy.db").exists()
