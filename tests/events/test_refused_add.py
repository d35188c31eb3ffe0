"""Issue 16: an option that means nothing for the kind of event is refused, not silently
dropped; and a refused `event add` leaves nothing behind (no store file, no folder)."""

from __future__ import annotations

import pytest

from tests.support.workspace import Workspace


@pytest.mark.parametrize(
    ("kind", "options", "refused"),
    [
        ("designation", ["--decided-on", "2026-11-01", "--type", "death"], "--type"),
        ("notification", ["--sent-on", "2026-11-01", "--requester", "X"], "--requester"),
        (
            "incident",
            ["--type", "death", "--aware-on", "2026-11-01", "--due", "2026-12-01"],
            "--due",
        ),
    ],
)
def test_an_option_meaningless_for_the_kind_is_refused_and_nothing_is_created(
    workspace: Workspace, kind: str, options: list[str], refused: str
) -> None:
    result = workspace.cli("event", "add", kind, "--model", "titan-1", *options)
    assert result.code == 2
    assert f"{refused}: means nothing for" in result.err
    if workspace.database is not None:
        assert not workspace.database.exists()
        assert not (workspace.root / "cache").exists()


def test_the_same_event_without_it_is_recorded(workspace: Workspace) -> None:
    result = workspace.cli(
        "event", "add", "designation", "--model", "titan-1", "--decided-on", "2026-11-01"
    )
    assert result.code == 0, result.err
    assert "Recorded designation-1." in result.out
    assert workspace.cli("event", "list").out.count("designation-1") == 1


@pytest.mark.parametrize(
    "argv",
    [
        ["done", "nosuch/item", "--on", "2026-11-01"],
        ["event", "void", "incident-9", "--reason", "typo"],
        ["event", "resolve", "incident-9", "--on", "2026-11-01"],
        ["event", "add", "incident", "--model", "nosuch"],
    ],
)
def test_a_refused_recording_command_creates_no_store(
    workspace: Workspace, argv: list[str]
) -> None:
    result = workspace.cli(*argv)
    assert result.code == 2, result.err
    if workspace.database is not None:
        assert not workspace.database.exists()
