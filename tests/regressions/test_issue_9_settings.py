"""Issue 9: settings that were accepted and then stopped every reminder, or ended in an internal
error, are refused at load with exit 2, a message naming the setting, and nothing recorded."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import RunCli
from tests.support.registers import EXAMPLE_REGISTER
from tests.support.workspace import Workspace


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("NOTIFIER_SMTP__SENDER", "nope", "smtp.sender"),
        ("NOTIFIER_SMTP__SENDER", "a@example.com\r\nBcc: b@example.com", "smtp.sender"),
        (
            "NOTIFIER_REMINDERS__COMPLIANCE_LIST",
            '["ok@example.com", "x\\ny@example.com"]',
            "compliance_list[1]",
        ),
        ("NOTIFIER_DUE_SOON_DAYS", "1e9", "due_soon_days"),
        ("NOTIFIER_DUE_SOON_DAYS", "99999", "due_soon_days"),
        ("NOTIFIER_REMINDERS__DEADLINE_DAYS_BEFORE", "[90,", "reminders"),
        ("NOTIFIER_REMINDERS__DEADLINE_DAYS_BEFORE", "[10000000]", "deadline_days_before[0]"),
        ("NOTIFIER_SMTP_HOST", "mail.example.com", "NOTIFIER_SMTP__HOST"),
        ("NOTIFIER_DATABASE_URL", "bogus://x", "database_url"),
    ],
)
def test_a_bad_setting_is_refused_with_its_name_and_nothing_is_recorded(
    run_cli: RunCli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    value: str,
    named: str,
) -> None:
    monkeypatch.setenv(variable, value)
    for command in (["check"], ["remind"], ["done", "atlas-7b/art-53-1-c-copyright-policy"]):
        code, _out, err = run_cli(*command, "--register", str(EXAMPLE_REGISTER))
        assert code == 2, (command, err)
        assert named in err
        assert "Traceback" not in err
        assert "internal error" not in err
    assert not (tmp_path / "var").exists()


def test_an_sqlite_path_under_a_file_is_refused_with_the_folder_named(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "plain-file").write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("NOTIFIER_DATABASE_URL", f"sqlite:///{tmp_path / 'plain-file' / 'n.db'}")
    code, _out, err = run_cli("remind", "--register", str(EXAMPLE_REGISTER))
    assert code == 2
    assert "plain-file" in err
    assert "database_url" in err


def test_an_outbox_that_cannot_be_written_is_a_delivery_failure_naming_the_folder(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Under a plain file no folder can be made, whoever runs the test (root ignores modes).
    blocker = workspace.root / "blocker"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    monkeypatch.setenv("NOTIFIER_OUTBOX_DIR", str(blocker / "outbox"))

    result = workspace.cli("remind", "--as-of", "2027-07-03T09:00:00+02:00")

    assert result.code == 1
    assert "cannot write to the outbox" in result.out
    assert str(blocker / "outbox") in result.out
    assert "internal error" not in result.err
    assert {row["status"] for row in workspace.ledger()} == {"failed"}  # kept for the next run
