"""calendars/ on disk: atomic replacement, untouched when unchanged, stale feeds removed."""

from __future__ import annotations

from pathlib import Path

from notifier.feeds.files import publish, write_if_changed
from notifier.store.engine import Store
from notifier.store.feeds import feed_records

from .examples import LATER, NOW, Build, example_text, parse


def test_an_unchanged_file_is_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "organisation.ics"
    assert write_if_changed(path, b"BEGIN:VCALENDAR\r\n")
    before = path.stat()
    assert not write_if_changed(path, b"BEGIN:VCALENDAR\r\n")
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_changed_file_is_replaced_by_rename_leaving_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "organisation.ics"
    write_if_changed(path, b"one")
    first = path.stat().st_ino
    with path.open("rb") as reader:  # a reader holding the old file keeps reading the old bytes
        assert write_if_changed(path, b"two")
        assert reader.read() == b"one"
    assert path.read_bytes() == b"two"
    assert path.stat().st_ino != first
    assert [p.name for p in tmp_path.iterdir()] == ["organisation.ics"]
    assert path.stat().st_mode & 0o777 == 0o644


def test_publish_writes_every_feed_and_records_tokens_and_versions(
    build: Build, store: Store, tmp_path: Path
) -> None:
    out = tmp_path / "calendars"
    feeds = build(parse(example_text()))
    published = publish(feeds, out, store, NOW)
    assert all(
        p.written and p.path.read_bytes() == f.body for p, f in zip(published, feeds, strict=True)
    )
    assert all(p.path.is_absolute() and p.path.parent == out for p in published)
    records = feed_records(store)
    for p in published:
        record = records[p.feed.audience.key]
        assert p.url_path == f"/feeds/{record.token}/{p.feed.audience.filename}"
        assert len(record.token) >= 22  # at least 128 random bits, URL-safe base64
        assert record.content_hash == p.feed.digest
        assert record.changed_at == NOW
    assert len({r.token for r in records.values()}) == len(records)


def test_a_rebuild_with_no_change_writes_nothing_and_keeps_tokens_and_dates(
    build: Build, store: Store, tmp_path: Path
) -> None:
    out = tmp_path / "calendars"
    first = publish(build(parse(example_text())), out, store, NOW)
    stats = {p.path: p.path.stat().st_mtime_ns for p in first}
    again = publish(build(parse(example_text()), now=LATER), out, store, LATER)
    assert not any(p.written for p in again)
    assert {p.path: p.path.stat().st_mtime_ns for p in again} == stats
    assert [(p.token, p.changed_at) for p in again] == [(p.token, p.changed_at) for p in first]


def test_changed_at_never_moves_backwards(build: Build, store: Store, tmp_path: Path) -> None:
    out = tmp_path / "calendars"
    publish(build(parse(example_text()), now=LATER), out, store, LATER)
    moved = parse(example_text().replace("2026-03-16", "2026-04-20"))
    again = {p.feed.audience.key: p for p in publish(build(moved, now=NOW), out, store, NOW)}
    assert again["model:nimbus-2"].written
    assert again["model:nimbus-2"].changed_at == LATER  # the clock went back; the date did not


def test_the_feed_of_a_model_removed_from_the_register_is_removed(
    build: Build, store: Store, tmp_path: Path
) -> None:
    out = tmp_path / "calendars"
    publish(build(parse(example_text())), out, store, NOW)
    (out / "notes.txt").write_text("not a feed")
    text = example_text()
    start = text.index("# Built on two upstream providers")
    smaller = parse(text[:start])
    publish(build(smaller, now=LATER), out, store, LATER)
    assert not (out / "model-support-bot.ics").exists()
    assert (out / "model-atlas-7b.ics").exists()
    assert (out / "notes.txt").exists()
