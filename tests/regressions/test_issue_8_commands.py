"""Issue 8: read-only commands created or wrote the store; `feeds rotate api:timeline` was
refused though documented; there was no `--version`."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from notifier import __version__
from notifier.clock import SystemClock
from notifier.store.feeds import ensure_tokens, feed_records
from notifier.web.app import build_app
from notifier.web.timeline_api import TIMELINE_AUDIENCE, timeline_route
from tests.support.cli import RunCli, run_main
from tests.support.registers import EXAMPLE_REGISTER
from tests.support.stores import snapshot
from tests.support.workspace import Workspace


def files_under(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*") if path.is_file()}


def expected_code(command: list[str]) -> int:
    """0, but `status` says "degraded" (exit 1): the example register has reminders due now,
    and in an empty store none has been delivered."""
    return 1 if command == ["status"] else 0


def test_read_only_commands_in_an_empty_folder_create_no_file(
    run_cli: RunCli, tmp_path: Path
) -> None:
    before = files_under(tmp_path)
    register = str(EXAMPLE_REGISTER)
    for command in (
        ["check"],
        ["timeline", "--format", "json"],
        ["status"],
        ["audit"],
        ["event", "list"],
        ["db", "current"],
    ):
        code, _out, err = run_cli(*command, "--register", register)
        assert code == expected_code(command), (command, err)
    assert files_under(tmp_path) == before


def test_read_only_commands_on_a_store_not_created_yet_create_nothing_on_either_engine(
    run_cli: RunCli, tmp_path: Path, empty_store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An SQLite file not there yet, or an empty PostgreSQL database: both read as empty."""
    monkeypatch.setenv("NOTIFIER_DATABASE_URL", empty_store_url)
    before = (files_under(tmp_path), snapshot_if_server(empty_store_url))
    for command in (["timeline", "--format", "json"], ["status"], ["audit"], ["event", "list"]):
        code, _out, err = run_cli(*command, "--register", str(EXAMPLE_REGISTER))
        assert code == expected_code(command), (command, err)
    assert (files_under(tmp_path), snapshot_if_server(empty_store_url)) == before


def snapshot_if_server(url: str) -> object:
    return None if url.startswith("sqlite") else snapshot(url)


def test_the_json_timeline_over_http_reads_the_store_and_writes_nothing(
    workspace: Workspace,
) -> None:
    assert workspace.cli("done", "atlas-7b/art-53-1-c-copyright-policy").code == 0
    with workspace.context() as context:
        token = ensure_tokens(context.store, [TIMELINE_AUDIENCE], SystemClock().now())
        context.store.engine.dispose()  # checkpoint: every byte is in the database file
        before = (file_digest(workspace.database), snapshot(workspace.database_url))
        app = build_app(routes=[timeline_route(lambda: context, SystemClock())])
        with TestClient(app) as client:
            answer = client.get(f"/timeline.json?token={token[TIMELINE_AUDIENCE].token}")
            refused = client.get("/timeline.json?token=wrong")
        context.store.engine.dispose()
    assert answer.status_code == 200
    assert refused.status_code == 401
    assert (file_digest(workspace.database), snapshot(workspace.database_url)) == before


def file_digest(path: Path | None) -> str | None:
    """An SQLite store's bytes, hashed (None for PostgreSQL, where the snapshot decides)."""
    return None if path is None else hashlib.sha256(path.read_bytes()).hexdigest()


def test_feeds_rotate_api_timeline_issues_a_new_token(workspace: Workspace) -> None:
    with workspace.context() as context:
        old = ensure_tokens(context.store, [TIMELINE_AUDIENCE], SystemClock().now())

    result = workspace.cli("feeds", "rotate", TIMELINE_AUDIENCE)

    assert result.code == 0, result.err
    with workspace.context() as context:
        new = feed_records(context.store)[TIMELINE_AUDIENCE]
    assert new.token != old[TIMELINE_AUDIENCE].token
    assert new.token in result.out


def test_version_prints_the_package_version() -> None:
    result = run_main("--version")
    assert (result.code, result.out.strip()) == (0, f"notifier {__version__}")


def test_python_dash_m_notifier_is_the_command_line() -> None:
    import subprocess
    import sys

    shown = subprocess.run(
        [sys.executable, "-m", "notifier", "--version"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert shown.stdout.strip() == f"notifier {__version__}"
