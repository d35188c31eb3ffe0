"""`notifier calendars` and `notifier feeds rotate` through `notifier.cli.main`, on real files."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
import vobject
from icalendar import Calendar

from notifier.cli import main
from notifier.store.audit import entries
from notifier.store.engine import Store

from .examples import EXAMPLE_REGISTER, NOW, example_text

AS_OF = "2026-11-24"


@pytest.fixture
def config(tmp_path: Path, store_url: str) -> Path:
    path = tmp_path / "notifier.toml"
    path.write_text(
        f'database_url = "{store_url}"\n'
        f'calendars_dir = "{tmp_path / "calendars"}"\n'
        f'cache_dir = "{tmp_path / "cache"}"\n'
        "[http]\nport = 8181\n",
        encoding="utf-8",
    )
    return path


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out)
    return code, out.getvalue()


def calendars(config: Path, register: Path = EXAMPLE_REGISTER, *extra: str) -> list[Any]:
    code, text = run(
        "calendars", "--config", str(config), "--register", str(register), "--as-of", AS_OF,
        "--format", "json", *extra,
    )  # fmt: skip
    assert code == 0
    listed: list[Any] = json.loads(text)
    return listed


def test_calendars_json_lists_audience_file_and_url_of_each_written_feed(
    config: Path, tmp_path: Path
) -> None:
    listed = calendars(config)
    assert [e["audience"] for e in listed][:2] == ["organisation", "model:atlas-7b"]
    for entry in listed:
        path = Path(entry["file"])
        assert path.is_absolute()
        assert path.parent == tmp_path / "calendars"
        name = path.name
        assert entry["url"].startswith("/feeds/")
        assert entry["url"].endswith(f"/{name}")
        assert entry["webcal"] == f"webcal://127.0.0.1:8181{entry['url']}"
        body = path.read_bytes()
        assert len(Calendar.from_ical(body).walk("VEVENT")) == entry["events"]
        vobject.readOne(body.decode("utf-8"))


def test_a_second_run_leaves_every_file_byte_identical(config: Path) -> None:
    first = calendars(config)
    before = {
        e["file"]: (Path(e["file"]).read_bytes(), Path(e["file"]).stat().st_mtime_ns) for e in first
    }
    second = calendars(config)
    assert [e["url"] for e in second] == [e["url"] for e in first]
    assert not any(e["written"] for e in second)
    after = {
        e["file"]: (Path(e["file"]).read_bytes(), Path(e["file"]).stat().st_mtime_ns)
        for e in second
    }
    assert after == before


def test_changing_one_placement_date_rewrites_only_the_feeds_that_show_it(
    config: Path, tmp_path: Path
) -> None:
    calendars(config)
    moved = tmp_path / "register.toml"
    moved.write_text(example_text().replace("2026-03-16", "2026-04-20"), encoding="utf-8")
    written = {e["audience"] for e in calendars(config, moved) if e["written"]}
    assert written == {"organisation", "model:nimbus-2", "person:ml-lead"}


def test_out_writes_elsewhere(config: Path, tmp_path: Path) -> None:
    listed = calendars(config, EXAMPLE_REGISTER, "--out", str(tmp_path / "elsewhere"))
    assert all(Path(e["file"]).parent == tmp_path / "elsewhere" for e in listed)


def test_text_output_gives_webcal_links(config: Path) -> None:
    code, text = run(
        "calendars", "--config", str(config), "--register", str(EXAMPLE_REGISTER), "--as-of", AS_OF
    )
    assert code == 0
    assert "15 feeds in " in text
    assert "webcal://127.0.0.1:8181/feeds/" in text


def test_rotate_gives_a_new_url_and_audits_without_the_secret(config: Path, store_url: str) -> None:
    old = {e["audience"]: e["url"] for e in calendars(config)}
    code, text = run(
        "feeds", "rotate", "model:atlas-7b", "--config", str(config),
        "--register", str(EXAMPLE_REGISTER),
    )  # fmt: skip
    assert code == 0
    new = {e["audience"]: e["url"] for e in calendars(config)}
    assert new["model:atlas-7b"] != old["model:atlas-7b"]
    assert new["model:atlas-7b"] in text
    assert {k: v for k, v in new.items() if k != "model:atlas-7b"} == {
        k: v for k, v in old.items() if k != "model:atlas-7b"
    }
    store = Store.open(store_url, NOW)
    logged = [e for e in entries(store) if e.action == "feeds-rotate"]
    store.close()
    assert [e.subject for e in logged] == ["model:atlas-7b"]
    token = new["model:atlas-7b"].split("/")[2]
    assert token not in logged[0].detail


def test_rotating_an_unknown_audience_is_bad_input(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = run(
        "feeds", "rotate", "model:nope", "--config", str(config),
        "--register", str(EXAMPLE_REGISTER),
    )  # fmt: skip
    assert code == 2
    assert "no feed 'model:nope'" in capsys.readouterr().err


def test_a_new_process_renders_nothing_unchanged_and_rewrites_a_file_edited_on_disk(
    config: Path, tmp_path: Path
) -> None:
    first = calendars(config)
    assert all(entry["written"] for entry in first)
    assert (tmp_path / "cache" / "feed-renders.bin").exists()
    path = tmp_path / "calendars" / "model-atlas-7b.ics"
    original = path.read_bytes()
    stat = path.stat()
    # Same size, same mtime: only the inode's change time tells the edit.
    path.write_bytes(original.replace(b"SUMMARY:", b"SUMMARX:", 1))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    again = calendars(config)

    assert [e["file"] for e in again if e["written"]] == [str(path)]
    assert path.read_bytes() == original
