"""A source may be a local file (a copy the user maintains, or a mounted share): read from disk,
compared by hash, with the same baseline, change and failure rules as a page."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from .conftest import MORNING, Workspace


def watch_file(workspace: Workspace, name: str, kind: str = "signatories") -> Path:
    path = workspace.root / name
    workspace.configure({"name": "list-copy", "kind": kind, "path": str(path)})
    return path


def test_a_local_file_is_a_baseline_then_unchanged_then_one_finding_when_edited(
    workspace: Workspace,
) -> None:
    path = watch_file(workspace, "signatories.txt")
    path.write_text("Signatories:\nExample Upstream\n", encoding="utf-8")

    first = workspace.watch()
    path.write_text("Signatories:   Example Upstream", encoding="utf-8")  # whitespace only
    second = workspace.watch(MORNING + timedelta(days=1))
    path.write_text("Signatories:\nExample Upstream\nAnother One\n", encoding="utf-8")
    third = workspace.watch(MORNING + timedelta(days=2))

    statuses = [r.outcomes[0].status for r in (first, second, third)]
    assert statuses == ["baseline", "unchanged", "changed"]
    assert [f.id for f in workspace.findings()] == ["signatory-list-1"]
    assert [e.subject for e in workspace.audit()] == ["signatory-list-1"]
    assert len(workspace.mails()) == 1  # the upstream re-verification, at once


def test_an_html_file_is_compared_by_its_text(workspace: Workspace) -> None:
    path = watch_file(workspace, "code.html", kind="code")
    path.write_text("<html><body><p>Code, version 1</p></body></html>", encoding="utf-8")
    workspace.watch()
    path.write_text(
        "<html><body>\n  <p class='x'>Code, version 1</p>\n</body></html>", encoding="utf-8"
    )

    report = workspace.watch(MORNING + timedelta(days=1))

    assert [o.status for o in report.outcomes] == ["unchanged"]


def test_a_missing_file_is_a_failure_and_no_change(workspace: Workspace) -> None:
    path = watch_file(workspace, "signatories.txt")
    path.write_text("Example Upstream", encoding="utf-8")
    workspace.watch()
    path.unlink()

    report = workspace.watch(MORNING + timedelta(days=1))
    path.write_text("Example Upstream", encoding="utf-8")
    recovered = workspace.watch(MORNING + timedelta(days=2))

    [outcome] = report.outcomes
    assert outcome.status == "error"
    assert "cannot read the file" in outcome.error
    assert [o.status for o in recovered.outcomes] == ["unchanged"]
    assert workspace.findings() == []
    assert workspace.mails() == []
