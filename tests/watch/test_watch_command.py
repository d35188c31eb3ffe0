"""`notifier watch`: one check of every source, a line per source, exit 1 only when every
source failed; and `notifier done` closes the review item a change opened."""

from __future__ import annotations

import json
from io import StringIO

import pytest

from notifier.cli import main

from .conftest import Workspace
from .pageserver import PageServer

AT = "2026-11-20T09:00:00+01:00"
LATER = "2026-11-21T09:00:00+01:00"
ITEM = "organisation/code-revision-1/review-code-revision-change"


def cli(workspace: Workspace, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    out = StringIO()
    code = main([*argv, "--config", str(workspace.config)], out=out)
    return code, out.getvalue() + capsys.readouterr().err


def test_without_sources_the_command_says_how_to_add_one(
    workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = cli(workspace, capsys, "watch")

    assert code == 0
    assert "No sources to watch: add [[watch.sources]]" in out


def test_each_source_gets_a_line_baseline_unchanged_changed(
    workspace: Workspace, code_page: PageServer, capsys: pytest.CaptureFixture[str]
) -> None:
    first = cli(workspace, capsys, "watch", "--as-of", AT)
    second = cli(workspace, capsys, "watch", "--as-of", AT)
    code_page.page.body = "<p>Code of Practice, version 2</p>"
    third = cli(workspace, capsys, "watch", "--as-of", LATER)

    assert first[0] == second[0] == third[0] == 0
    assert "code-text  baseline recorded" in first[1]
    assert "code-text  unchanged" in second[1]
    assert (
        "code-text  CHANGED: code-revision-1, review due 2026-12-21; mailed 1 recipient(s)"
        in third[1]
    )
    assert "Watched 1 source(s) at 2026-11-21T09:00:00+01:00" in third[1]


def test_the_exit_code_is_1_only_when_every_source_failed(
    workspace: Workspace, server: PageServer, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = workspace.root / "signatories.txt"
    listing.write_text("Example Upstream", encoding="utf-8")
    code_source = {"name": "code-text", "kind": "code", "url": server.url}
    server.page.fail_with = 500

    workspace.configure(code_source)
    all_failed = cli(workspace, capsys, "watch", "--as-of", AT)
    workspace.configure(
        code_source, {"name": "signatories", "kind": "signatories", "path": str(listing)}
    )
    one_failed = cli(workspace, capsys, "watch", "--as-of", AT)

    assert all_failed[0] == 1
    assert "code-text  error (1 in a row): the server answered 500" in all_failed[1]
    assert one_failed[0] == 0
    assert "code-text    error (2 in a row)" in one_failed[1]
    assert "signatories  baseline recorded" in one_failed[1]


def test_notifier_done_closes_the_review_item_a_change_opened(
    workspace: Workspace, code_page: PageServer, capsys: pytest.CaptureFixture[str]
) -> None:
    cli(workspace, capsys, "watch", "--as-of", AT)
    code_page.page.body = "<p>Code of Practice, version 2</p>"
    cli(workspace, capsys, "watch", "--as-of", LATER)

    before = cli(workspace, capsys, "timeline", "--as-of", "2026-11-22", "--format", "json")
    done = cli(workspace, capsys, "done", ITEM, "--on", "2026-11-22", "--note", "read it")
    after = cli(workspace, capsys, "timeline", "--as-of", "2026-11-22", "--format", "json")

    assert done[0] == 0, done[1]

    def status(output: str) -> str:
        items = json.loads(output)["organisation"]["items"]
        return str(next(i["status"] for i in items if i["id"] == ITEM))

    assert status(before[1]) == "due-soon"
    assert status(after[1]) == "done"
