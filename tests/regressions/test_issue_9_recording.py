"""Issue 9: what `done` and `event add` accepted though it was wrong."""

from __future__ import annotations

import pytest

from tests.support.workspace import Workspace

REVIEW = "organisation/review-code-revision"


def test_done_twice_on_a_recurring_item_refuses_the_future_occurrence_unless_asked(
    workspace: Workspace,
) -> None:
    first = workspace.cli("done", REVIEW)
    assert first.code == 0, first.err
    assert "closing the occurrence due" in first.out

    second = workspace.cli("done", REVIEW)
    assert second.code == 2
    assert "not yet due" in second.err
    assert "--next" in second.err

    third = workspace.cli("done", REVIEW, "--next")
    assert third.code == 0, third.err
    marks = [
        e for e in workspace.cli("audit", "--format", "json").out.split('"action"') if "done" in e
    ]
    assert len(marks) == 2


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["done", REVIEW, "--note", "fine\r\n2026-12-01  admin  done  x\x1b[31m"], "one line"),
        (["event", "add", "downstream-request", "--model", "atlas-7b", "--received-on",
          "2026-11-20", "--requester", "acme\nBcc: x"], "one line"),
        (["event", "add", "commission-request", "--received-on", "2026-11-02",
          "--period-days", "99999999"], "no period a request sets"),
        (["event", "add", "commission-request", "--received-on", "2026-11-02",
          "--due", "9999-12-31"], "outside 1990-01-01 to 2200-12-31"),
        (["event", "add", "incident", "--model", "titan-1", "--type", "death",
          "--aware-on", "0001-01-01"], "outside 1990-01-01 to 2200-12-31"),
        (["event", "add", "incident", "--model", "titan-1", "--type", "death",
          "--aware-on", "0026-11-20"], "outside 1990-01-01 to 2200-12-31"),
    ],
)  # fmt: skip
def test_implausible_input_is_refused_and_nothing_is_recorded(
    workspace: Workspace, argv: list[str], says: str
) -> None:
    result = workspace.cli(*argv)
    assert result.code == 2, result
    assert says in result.err
    assert "internal error" not in result.err
    assert workspace.cli("audit").out.strip() == "The audit log is empty."


def test_the_same_event_recorded_twice_is_refused(workspace: Workspace) -> None:
    argv = ["event", "add", "designation", "--model", "orion-xl", "--decided-on", "2026-08-31"]
    assert workspace.cli(*argv).code == 0
    again = workspace.cli(*argv)
    assert again.code == 2
    assert "already recorded as designation-1" in again.err
