"""`notifier event add|resolve|list` and the audit trail, through the real command line."""

from __future__ import annotations

import email
import email.policy
import json
from pathlib import Path

from tests.support.cli import CliResult, RunCli, argv

REGISTER = str(Path(__file__).resolve().parents[2] / "config" / "register.toml")
AS_OF = "2026-11-24T10:00:00+01:00"


def run_event(run_cli: RunCli, command: str) -> CliResult:
    """`notifier event COMMAND --register REGISTER --as-of AS_OF`; COMMAND is split on spaces."""
    return run_cli(*argv(f"event {command}", "--register", REGISTER, "--as-of", AS_OF))


def outbox(root: Path) -> list[email.message.EmailMessage]:
    folder = root / "var" / "outbox"
    return (
        [
            email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
            for p in sorted(folder.glob("*.eml"))
        ]
        if folder.exists()
        else []
    )


def test_an_incident_shows_its_initial_report_in_the_timeline_and_mails_the_owner_at_once(
    run_cli: RunCli, tmp_path: Path
) -> None:
    code, out, err = run_event(
        run_cli, "add incident --model orion-xl --type death --aware-on 2026-11-20"
    )
    assert (code, err) == (0, "")
    assert "Recorded incident-1." in out
    assert "2026-11-30  orion-xl/incident-1/cop-ss-9-3-initial-report" in out

    (message,) = outbox(tmp_path)
    assert message["To"] == "Chiara Rossi <chiara.rossi@example.com>"
    body = message.get_body(("plain",))
    assert body is not None
    assert "Initial serious-incident report" in body.get_content()

    timeline = argv("timeline --format json --as-of 2026-11-24 --model orion-xl")
    code, out, _ = run_cli(*timeline, "--register", REGISTER)
    items = {i["id"]: i for i in json.loads(out)["models"][0]["items"]}
    assert items["orion-xl/incident-1/cop-ss-9-3-initial-report"]["due"] == "2026-11-30"


def test_an_event_whose_first_date_is_a_week_or_more_away_waits_for_the_normal_reminders(
    run_cli: RunCli, tmp_path: Path
) -> None:
    code, out, _ = run_event(
        run_cli, "add incident --model orion-xl --type other-harm --aware-on 2026-11-24"
    )
    assert code == 0
    assert "Emailed" not in out
    assert outbox(tmp_path) == []


def test_recording_the_same_immediate_mail_twice_sends_it_once(
    run_cli: RunCli, tmp_path: Path
) -> None:
    run_event(run_cli, "add incident --model orion-xl --type death --aware-on 2026-11-20")
    code, _, _ = run_event(run_cli, "resolve incident-1 --on 2026-11-23")

    assert code == 0
    subjects = [m["Subject"] for m in outbox(tmp_path)]
    assert len(subjects) == len(set(subjects))


def test_resolve_records_a_new_version_and_list_shows_the_latest(
    run_cli: RunCli,
) -> None:
    run_event(run_cli, "add incident --model orion-xl --type cybersecurity --aware-on 2026-11-20")
    code, out, _ = run_event(run_cli, "resolve incident-1 --on 2026-11-22")
    assert code == 0
    assert "cop-ss-9-3-final-report" in out
    assert "2027-01-21" in out

    code, out, _ = run_cli("event", "list", "--format", "json", "--register", REGISTER)
    (event,) = json.loads(out)
    assert event["resolved_on"] == "2026-11-22"


def test_the_audit_log_shows_done_marks_and_events_in_order_and_never_forgets(
    run_cli: RunCli,
) -> None:
    run_event(
        run_cli, "add downstream-request --model nimbus-2 --received-on 2026-11-20 --requester Acme"
    )
    run_cli(
        *argv("done nimbus-2/art-53-1-a-technical-documentation --on 2026-03-10"),
        "--register",
        REGISTER,
    )
    run_event(run_cli, "add commission-request --received-on 2026-11-21 --period-days 30")

    code, out, _ = run_cli("audit", "--format", "json", "--register", REGISTER)
    # The dates the events moved are audited too, by `system` (issue 23): left out here.
    entries = [e for e in json.loads(out) if e["actor"] != "system"]
    assert code == 0
    assert [e["action"] for e in entries] == ["event-add", "done", "event-add"]
    assert [e["subject"] for e in entries] == [
        "downstream-request-1",
        "nimbus-2/art-53-1-a-technical-documentation",
        "commission-request-1",
    ]
    assert all("@" in e["actor"] for e in entries)


def test_bad_event_input_lists_every_problem_and_exits_2(run_cli: RunCli) -> None:
    code, _, err = run_event(run_cli, "add incident --model orion-xl --aware-on 2099-01-01")

    assert code == 2
    assert "--type: required for 'event add incident'" in err
    assert "--aware-on: 2099-01-01 is later than today (2026-11-24)" in err
    assert "Traceback" not in err


def test_an_event_for_an_unknown_model_names_the_known_ones(run_cli: RunCli) -> None:
    code, _, err = run_event(run_cli, "add notification --model atlas-70b --sent-on 2026-11-20")

    assert code == 2
    assert "no model 'atlas-70b'" in err
    assert "titan-1" in err
