"""Issue 16: `notifier status` in a fresh folder says what to run, not only "degraded"; and it
creates nothing there (it is a read-only command, apart from a write probe it takes back)."""

from __future__ import annotations

from tests.support.workspace import Workspace


def test_status_in_a_fresh_folder_says_what_to_run(workspace: Workspace) -> None:
    status = workspace.cli("status", "--as-of", "2026-11-24T10:00:00+01:00")
    assert status.code == 1  # reminders are due and none was sent: that stays true
    assert "Nothing has run here yet: `notifier run` starts the daemon" in status.out
    if workspace.database is not None:
        assert not workspace.database.exists()


def test_once_something_ran_the_hint_is_gone(workspace: Workspace) -> None:
    assert workspace.cli("remind", "--as-of", "2026-11-24T10:00:00+01:00").code in (0, 1)
    status = workspace.cli("status", "--as-of", "2026-11-24T10:00:00+01:00")
    assert "Nothing has run here yet" not in status.out
