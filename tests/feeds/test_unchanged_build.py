"""A `notifier calendars` whose inputs did not change lists the last build's feeds without
building (notifier.feeds.unchanged, issue 22), and any change of an input still builds: a done
mark or an event recorded by another process, a register edit, a new day, other rules or code,
other settings, a feed file deleted, edited or added, another instance's build on the same
store. Real settings files, registers, stores (SQLite and PostgreSQL) and files; the command
line runs in this process (a spy counts the builds) or as a separate process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from hashlib import sha256
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from notifier.app import feeds as app_feeds
from notifier.context import Context
from notifier.feeds import unchanged
from notifier.feeds.publish import CalendarPublisher
from notifier.store.feeds import feed_records
from tests.support.workspace import Workspace

from .examples import AS_OF, example_text

DAY = AS_OF.isoformat()
NEXT_DAY = "2026-11-25"
ITEM = "atlas-7b/art-53-1-c-copyright-policy"  # not recurring: a done mark closes it


@pytest.fixture
def workspace(tmp_path: Path, store_url: str) -> Workspace:
    register = tmp_path / "register.toml"
    register.write_text(example_text(), encoding="utf-8")
    # A small size limit puts the organisation's feed over it: its warning is part of the output.
    limit = {"feeds": {"max_bytes": 100_000}}
    return Workspace.create(tmp_path, register, settings=limit, database_url=store_url)


Builds = list[int]


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> Builds:
    """How many builds the command line (in this process) ran: one entry per build."""
    seen: Builds = []
    real = app_feeds.publisher

    def counting(*, lean: bool = False) -> CalendarPublisher:
        seen.append(1)
        return real(lean=lean)

    monkeypatch.setattr(app_feeds, "publisher", counting)
    return seen


def calendars(workspace: Workspace, *extra: str, day: str = DAY) -> tuple[str, str]:
    result = workspace.cli("calendars", "--as-of", day, *extra)
    assert result.code == 0, result.err
    return result.out, result.err


def listing(workspace: Workspace, day: str = DAY) -> list[dict[str, Any]]:
    out, _ = calendars(workspace, "--format", "json", day=day)
    found: list[dict[str, Any]] = json.loads(out)
    return found


def files(workspace: Workspace) -> dict[str, tuple[bytes, int]]:
    folder = workspace.root / "calendars"
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.glob("*.ics"))}


def summaries(path: Path) -> dict[str, str]:
    """Each event's SUMMARY by the item id its description ends with."""
    found = {}
    for event in Calendar.from_ical(path.read_bytes()).walk("VEVENT"):
        found[str(event["DESCRIPTION"]).rsplit("Item: ", 1)[1]] = str(event["SUMMARY"])
    return found


def in_new_process(workspace: Workspace, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        workspace.command(*argv),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=workspace.root,
        check=True,
    )


def without_stamps(err: str) -> list[str]:
    """Log lines without their time stamp (the warnings a build and a listing both give)."""
    return [line.split(" ", 2)[2] for line in err.splitlines() if line.strip()]


# ---------------------------------------------------------------- nothing changed


def test_nothing_changed_lists_the_same_feeds_without_building(
    workspace: Workspace, builds: Builds
) -> None:
    calendars(workspace)
    record = workspace.root / "cache" / unchanged.RECORD_NAME
    record.unlink()  # the next call builds, finding nothing changed: what it prints is the bar
    text, warned = calendars(workspace)
    record.unlink()
    as_json = listing(workspace)
    before = files(workspace)
    assert len(builds) == 3

    again, warned_again = calendars(workspace)
    assert len(builds) == 3
    assert again == text
    assert without_stamps(warned_again) == without_stamps(warned)
    assert "organisation.ics is " in warned  # the size warning, given again
    assert listing(workspace) == as_json
    assert len(builds) == 3
    assert not any(entry["written"] for entry in as_json)
    assert files(workspace) == before


@pytest.mark.process
def test_a_new_process_with_nothing_changed_loads_no_icalendar_and_lists_the_same(
    workspace: Workspace,
) -> None:
    in_new_process(workspace, "calendars", "--as-of", DAY)
    (workspace.root / "cache" / unchanged.RECORD_NAME).unlink()
    first = in_new_process(workspace, "calendars", "--as-of", DAY)  # builds, writes nothing
    probe = (
        "import sys\nfrom notifier.cli import main\n"
        f"code = main(['calendars', '--as-of', {DAY!r}, '--config', {str(workspace.config)!r}])\n"
        "print('icalendar' in sys.modules, 'notifier.feeds.publish' in sys.modules)\n"
        "sys.exit(code)"
    )
    second = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=workspace.root,
        check=True,
    )
    *listed, loaded = second.stdout.splitlines()
    assert loaded == "False False"
    assert "\n".join(listed) + "\n" == first.stdout
    assert without_stamps(second.stderr) == without_stamps(first.stderr)


# ---------------------------------------------------------------- inputs that change


def test_a_done_mark_recorded_by_another_process_rebuilds(
    workspace: Workspace, builds: Builds
) -> None:
    calendars(workspace)
    calendars(workspace)
    assert len(builds) == 1
    feed = workspace.root / "calendars" / "model-atlas-7b.ics"
    assert not summaries(feed)[ITEM].startswith("✓ Done")

    in_new_process(workspace, "done", ITEM, "--on", DAY, "--note", "policy adopted")
    calendars(workspace)

    assert len(builds) == 2
    assert summaries(feed)[ITEM].startswith("✓ Done")
    calendars(workspace)
    assert len(builds) == 2  # and then nothing changed again


def test_an_event_recorded_by_another_process_rebuilds(
    workspace: Workspace, builds: Builds
) -> None:
    calendars(workspace)
    before = set(summaries(workspace.root / "calendars" / "model-orion-xl.ics"))

    in_new_process(
        workspace, "event", "add", "incident", "--model", "orion-xl", "--type", "death",
        "--aware-on", "2026-11-20", "--as-of", "2026-11-20T10:00:00+00:00",
    )  # fmt: skip
    calendars(workspace)

    assert len(builds) == 2
    after = set(summaries(workspace.root / "calendars" / "model-orion-xl.ics"))
    assert after > before  # the incident's report duties
    calendars(workspace)
    assert len(builds) == 2  # recorded events are hashed like the rest: then nothing changed


def test_a_register_edit_rebuilds(workspace: Workspace, builds: Builds) -> None:
    calendars(workspace)
    register = workspace.root / "register.toml"
    register.write_text(example_text().replace("2026-03-16", "2026-04-20"), encoding="utf-8")

    written = {e["audience"] for e in listing(workspace) if e["written"]}

    assert len(builds) == 2
    assert written == {"organisation", "model:nimbus-2", "person:ml-lead"}


def test_a_new_day_rebuilds(workspace: Workspace, builds: Builds) -> None:
    calendars(workspace)
    calendars(workspace, day=NEXT_DAY)
    assert len(builds) == 2
    calendars(workspace, day=NEXT_DAY)
    assert len(builds) == 2


def test_other_settings_rebuild(workspace: Workspace, builds: Builds) -> None:
    calendars(workspace)
    text = workspace.config.read_text(encoding="utf-8")
    workspace.config.write_text(
        text.replace("max_bytes = 100000", 'max_bytes = 100000\ncolor = "tomato"'), encoding="utf-8"
    )
    calendars(workspace)
    assert len(builds) == 2
    assert b"COLOR:tomato" in (workspace.root / "calendars" / "organisation.ics").read_bytes()


def test_another_folder_rebuilds(workspace: Workspace, builds: Builds) -> None:
    calendars(workspace)
    out, _ = calendars(workspace, "--out", str(workspace.root / "elsewhere"))
    assert len(builds) == 2
    assert len(list((workspace.root / "elsewhere").glob("*.ics"))) == 15
    assert str(workspace.root / "elsewhere") in out


def test_other_rules_or_code_rebuild(
    workspace: Workspace, builds: Builds, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = datetime(2026, 11, 24, 9, tzinfo=UTC)
    with workspace.context() as context:
        app_feeds.publish(context, now, as_of=AS_OF)
        app_feeds.publish(context, now, as_of=AS_OF)
        assert len(builds) == 1
        newer = context.rules.model_copy(update={"version": context.rules.version + "-next"})
        app_feeds.publish(replace(context, rules=newer), now, as_of=AS_OF)
        assert len(builds) == 2
        monkeypatch.setattr(unchanged, "code_version", lambda: "other code")
        app_feeds.publish(replace(context, rules=newer), now, as_of=AS_OF)
        assert len(builds) == 3


def test_recording_what_moved_needs_a_build_that_recorded_it(
    workspace: Workspace, builds: Builds, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build that did not record what moved (the daemon's child) does not spare one that
    must (`notifier calendars` without --as-of); one that did, does."""
    detected: list[datetime] = []
    from notifier.app import moves

    real = moves.detect

    def detect(context: Context, now: datetime) -> list[moves.Recorded]:
        detected.append(now)
        return real(context, now)

    monkeypatch.setattr(moves, "detect", detect)
    now = datetime(2026, 11, 24, 9, tzinfo=UTC)
    with workspace.context() as context:
        app_feeds.publish(context, now, moves=False)
        app_feeds.publish(context, now, moves=False)
        assert (len(builds), len(detected)) == (1, 0)
        app_feeds.publish(context, now)
        assert (len(builds), len(detected)) == (2, 1)
        app_feeds.publish(context, now)
        app_feeds.publish(context, now, moves=False)
        assert (len(builds), len(detected)) == (2, 1)


# ---------------------------------------------------------------- the files and the store


@pytest.mark.parametrize("change", ["delete", "edit", "add"])
def test_a_feed_file_deleted_edited_or_added_rebuilds(
    workspace: Workspace, builds: Builds, change: str
) -> None:
    calendars(workspace)
    folder = workspace.root / "calendars"
    before = files(workspace)
    target = folder / "model-atlas-7b.ics"
    if change == "delete":
        target.unlink()
    elif change == "edit":  # the same size, the stamps put back: only the ctime tells
        stat = target.stat()
        body = target.read_bytes()
        target.write_bytes(body.replace(b"BEGIN:VEVENT", b"BEGIN:VEVENX", 1))
        os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    else:
        (folder / "model-removed-long-ago.ics").write_bytes(b"BEGIN:VCALENDAR\r\n")

    calendars(workspace)

    assert len(builds) == 2
    assert {name: body for name, (body, _) in files(workspace).items()} == {
        name: body for name, (body, _) in before.items()
    }


def test_a_file_with_whole_second_stamps_is_read(workspace: Workspace, builds: Builds) -> None:
    """Coarse file-system stamps could hide an edit made in the same second: such a file is
    hashed. Here the record is made to hold the edited file's own stat, as such a file
    system would leave it."""
    calendars(workspace)
    target = workspace.root / "calendars" / "model-atlas-7b.ics"
    target.write_bytes(target.read_bytes().replace(b"BEGIN:VEVENT", b"BEGIN:VEVENX", 1))
    os.utime(target, ns=(1_800_000_000 * 10**9, 1_800_000_000 * 10**9))
    record_path = workspace.root / "cache" / unchanged.RECORD_NAME
    record = json.loads(record_path.read_text(encoding="utf-8"))
    stat = target.stat()
    for entry in record["feeds"]:
        if entry[0] == "model:atlas-7b":
            entry[6] = [stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]
    record_path.write_text(json.dumps(record), encoding="utf-8")

    calendars(workspace)

    assert len(builds) == 2
    assert b"BEGIN:VEVENX" not in target.read_bytes()


def test_a_rotated_token_is_listed_without_a_build(workspace: Workspace, builds: Builds) -> None:
    old = {e["audience"]: e["url"] for e in listing(workspace)}
    assert workspace.cli("feeds", "rotate", "model:atlas-7b").code == 0
    new = {e["audience"]: e["url"] for e in listing(workspace)}
    assert len(builds) == 1  # the files hold no token: only the listing changes
    assert new["model:atlas-7b"] != old["model:atlas-7b"]
    assert {k: v for k, v in new.items() if k != "model:atlas-7b"} == {
        k: v for k, v in old.items() if k != "model:atlas-7b"
    }


def test_another_instance_building_another_register_on_the_store_rebuilds(
    workspace: Workspace, builds: Builds, tmp_path: Path
) -> None:
    calendars(workspace)
    other_root = tmp_path / "other"
    other_root.mkdir()
    other = Workspace.create(other_root, database_url=workspace.database_url)
    other = other.with_register(example_text().replace("2026-03-16", "2026-04-20"))
    calendars(other)
    assert len(builds) == 2

    listed = listing(workspace)

    assert len(builds) == 3  # the store's current versions were the other instance's
    # The other build moved those events' stored state: ours show them changed back.
    written = {e["audience"] for e in listed if e["written"]}
    assert written == {"organisation", "model:nimbus-2", "person:ml-lead"}
    with workspace.context() as context:
        hashes = {a: r.content_hash for a, r in feed_records(context.store).items()}
    for entry in listed:  # what every instance serves is ours again
        assert hashes[entry["audience"]] == sha256(Path(entry["file"]).read_bytes()).hexdigest()
    calendars(workspace)
    assert len(builds) == 3


def test_another_instance_with_other_settings_on_the_store_rebuilds(
    workspace: Workspace, builds: Builds, tmp_path: Path
) -> None:
    """Another instance's build of the same register in another colour leaves the events'
    stored state as it was but makes other feeds current in the store: build, so that every
    instance serves this one's bytes again."""
    calendars(workspace)
    other_root = tmp_path / "other"
    other_root.mkdir()
    register = workspace.root / "register.toml"
    colour = {"feeds": {"max_bytes": 100_000, "color": "tomato"}}
    other = Workspace.create(
        other_root, register, settings=colour, database_url=workspace.database_url
    )
    calendars(other)
    assert len(builds) == 2

    listed = listing(workspace)

    assert len(builds) == 3
    assert not any(e["written"] for e in listed)
    with workspace.context() as context:
        hashes = {a: r.content_hash for a, r in feed_records(context.store).items()}
    for entry in listed:
        assert hashes[entry["audience"]] == sha256(Path(entry["file"]).read_bytes()).hexdigest()


def test_what_people_were_shown_changed_elsewhere_rebuilds_and_records_moves(
    workspace: Workspace, builds: Builds
) -> None:
    """Another process recorded what it showed of another register (issue 23's snapshot):
    a call that records what moved must compare again, so it builds."""
    from notifier.app import moves
    from notifier.context import read_register

    now = datetime(2026, 11, 24, 9, tzinfo=UTC)
    edited = workspace.root / "edited.toml"
    edited.write_text(example_text().replace("2026-03-16", "2026-04-20"), encoding="utf-8")
    with workspace.context() as context:
        app_feeds.publish(context, now)
        app_feeds.publish(context, now)
        assert len(builds) == 1
        other = replace(context, register=read_register(edited, now))
        assert moves.detect(other, now)  # the placement date moved, as that process saw it

        app_feeds.publish(context, now)

        assert len(builds) == 2
        back = [r for r in moves.listed(context) if r.move.new_due is not None]
        assert any(str(r.move.new_due) == "2026-03-16" for r in back)  # and moved back


def test_events_advanced_by_another_build_rebuild(workspace: Workspace, builds: Builds) -> None:
    """A build elsewhere that advanced the events' stored state and stopped before recording
    its feeds (it failed) leaves the store unlike what this record saw: build."""
    calendars(workspace)
    from sqlalchemy import update

    from notifier.store.schema import feed_events

    with workspace.context() as context, context.store.engine.begin() as connection:
        connection.execute(
            update(feed_events)
            .where(feed_events.c.item_id == ITEM)
            .values(sequence=feed_events.c.sequence + 1, content_key="x" * 64)
        )
    calendars(workspace)
    assert len(builds) == 2


Damage = Callable[[Path], None]


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b"{not json"),
        lambda p: p.write_bytes(p.read_bytes()[:-40]),
        lambda p: p.write_text(json.dumps({"format": "another"}), encoding="utf-8"),
        lambda p: p.unlink(),
    ],
    ids=["garbage", "truncated", "other-format", "deleted"],
)
def test_a_damaged_or_missing_record_means_a_build(
    workspace: Workspace, builds: Builds, damage: Damage
) -> None:
    calendars(workspace)
    text, _ = calendars(workspace)
    damage(workspace.root / "cache" / unchanged.RECORD_NAME)
    again, _ = calendars(workspace)
    assert len(builds) == 2
    assert again == text
    calendars(workspace)
    assert len(builds) == 2


# ---------------------------------------------------------------- the daemon's child


@pytest.mark.process
def test_the_daemons_child_build_skips_when_nothing_changed_and_builds_after_a_mark(
    workspace: Workspace,
) -> None:
    """A build writes its record anew (a new file: a new ctime); a listing leaves it."""
    now = datetime(2026, 11, 24, 9, tzinfo=UTC)
    record = workspace.root / "cache" / unchanged.RECORD_NAME
    feed = workspace.root / "calendars" / "model-atlas-7b.ics"

    def made() -> tuple[int, int]:
        stat = record.stat()
        return stat.st_ino, stat.st_ctime_ns

    with workspace.context() as context:
        app_feeds.build_in_child(context, now)
        first = made()
        app_feeds.build_in_child(context, now)
        assert made() == first
        assert not summaries(feed)[ITEM].startswith("✓ Done")

    in_new_process(workspace, "done", ITEM, "--on", DAY)
    with workspace.context() as context:
        app_feeds.build_in_child(context, now)
    assert made() != first
    assert summaries(feed)[ITEM].startswith("✓ Done")
