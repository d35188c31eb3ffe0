"""`notifier remind` and `notifier status` end to end: the example register, the real command
line, a real SMTP server on loopback (STARTTLS, AUTH, a private CA), a real SQLite ledger.

At 2027-07-03 09:00 in Paris the example register's Art 111(3) deadlines (2027-08-02) reach their
30-days-before step; the overdue and other open items of the same owners join the same digests.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime

from icalendar import Calendar

from notifier.core.items import calendar_uid
from tests.support.mailserver import MailServer, Received, StartServer
from tests.support.registers import EXAMPLE_OWNERS as OWNERS
from tests.support.registers import EXAMPLE_REGISTER
from tests.support.workspace import SmtpEnv, Workspace

AS_OF = "2027-07-03T09:00:00+02:00"
ATLAS_DOCUMENTATION = "atlas-7b/art-53-1-a-technical-documentation"


def later(minutes: int) -> str:
    return datetime.fromisoformat(AS_OF).replace(minute=minutes).isoformat()


def body(message: EmailMessage, content_type: str) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == content_type)
    assert isinstance(part, EmailMessage)
    content = part.get_content()
    return content.decode() if isinstance(content, bytes) else str(content)


def by_recipient(server: MailServer) -> dict[str, Received]:
    received = server.handler.messages()
    counts = Counter(r for each in received for r in each.rcpt_tos)
    assert all(count == 1 for count in counts.values()), counts
    return {each.rcpt_tos[0]: each for each in received}


def statuses(workspace: Workspace) -> Counter[str]:
    return Counter(row["status"] for row in workspace.ledger())


def test_remind_delivers_the_reminders_due_then_to_the_owners_as_text_html_and_ics(
    workspace: Workspace, start_mail_server: StartServer, smtp_env: SmtpEnv
) -> None:
    server = start_mail_server("starttls", auth=True)
    smtp_env(server)

    result = workspace.cli("remind", "--as-of", AS_OF)

    assert result.code == 0, result.err
    received = by_recipient(server)
    assert set(received) == OWNERS
    for each in received.values():
        assert each.encrypted
        assert each.authenticated
        assert each.mail_from == "gpai-notifier@example.com"
        message = each.message
        assert message.get_content_type() == "multipart/mixed"
        assert [p.get_content_type() for p in message.walk()] == [
            "multipart/mixed",
            "multipart/alternative",
            "text/plain",
            "text/html",
            "text/calendar",
        ]
        assert parsedate_to_datetime(message["Date"]) == datetime.fromisoformat(AS_OF)
        calendar = Calendar.from_ical(body(message, "text/calendar"))
        assert str(calendar["METHOD"]) == "PUBLISH"
        assert f"sent to {each.rcpt_tos[0]}" in result.out

    rows = {row["key"]: row for row in workspace.ledger()}
    for owner in ("legal@example.com", "bruno.keller@example.com"):
        row = rows[f"{ATLAS_DOCUMENTATION}|2027-08-02|d-30|{owner}"]
        message = received[owner].message
        assert row["status"] == "sent"
        assert row["message_id"] == message["Message-ID"]
        for content_type in ("text/plain", "text/html"):
            assert f"notifier done {ATLAS_DOCUMENTATION}" in body(message, content_type)
            assert "30 days left" in body(message, content_type)
        events = Calendar.from_ical(body(message, "text/calendar")).walk("VEVENT")
        (event,) = [e for e in events if str(e["UID"]) == calendar_uid(ATLAS_DOCUMENTATION)]
        assert event.decoded("DTSTART").isoformat() == "2027-08-02"
    assert set(statuses(workspace)) == {"sent"}


def test_running_remind_again_for_the_same_instant_sends_nothing(
    workspace: Workspace, start_mail_server: StartServer, smtp_env: SmtpEnv
) -> None:
    server = start_mail_server("starttls", auth=True)
    smtp_env(server)
    assert workspace.cli("remind", "--as-of", AS_OF).code == 0
    delivered = len(server.handler.messages())
    ledger_before = workspace.ledger()

    again = workspace.cli("remind", "--as-of", AS_OF)

    assert again.code == 0
    assert "nothing to send" in again.out
    assert len(server.handler.messages()) == delivered == len(OWNERS)
    assert workspace.ledger() == ledger_before


def test_a_plain_date_means_nine_oclock_local_time_that_day(
    workspace: Workspace, start_mail_server: StartServer, smtp_env: SmtpEnv
) -> None:
    server = start_mail_server("starttls", auth=True)
    smtp_env(server)
    assert workspace.cli("remind", "--as-of", "2027-07-03").code == 0
    assert workspace.cli("remind", "--as-of", AS_OF).code == 0  # the same instant: no resend
    assert len(server.handler.messages()) == len(OWNERS)
    (message,) = [r.message for r in server.handler.messages() if "legal@" in r.rcpt_tos[0]]
    assert parsedate_to_datetime(message["Date"]) == datetime.fromisoformat(AS_OF)


def test_status_reports_what_was_sent_and_exits_zero_without_permanent_failures(
    workspace: Workspace, start_mail_server: StartServer, smtp_env: SmtpEnv
) -> None:
    server = start_mail_server("starttls", auth=True)
    smtp_env(server)
    workspace.cli("remind", "--as-of", AS_OF)
    sent = statuses(workspace)["sent"]

    status = workspace.cli("status", "--as-of", AS_OF)  # health judged at the rehearsal's instant

    assert status.code == 0, status.out
    assert "Health: ok" in status.out
    assert f"sent {sent}" in status.out
    assert f"SMTP 127.0.0.1:{server.port} (starttls)" in status.out
    assert "Permanent failures" not in status.out


def test_a_refused_mailbox_is_bounced_shown_by_status_and_never_retried(
    workspace: Workspace, start_mail_server: StartServer, smtp_env: SmtpEnv
) -> None:
    server = start_mail_server("starttls", auth=True)
    server.handler.refuse_recipients["dara.okafor@example.com"] = (
        "550 5.1.1 <dara.okafor@example.com>: mailbox unavailable"
    )
    smtp_env(server)

    first = workspace.cli("remind", "--as-of", AS_OF)

    assert first.code == 1
    assert "permanently failed to dara.okafor@example.com" in first.out
    assert set(by_recipient(server)) == OWNERS - {"dara.okafor@example.com"}
    bounced = [row for row in workspace.ledger() if row["status"] == "bounced"]
    assert bounced
    assert {row["recipient"] for row in bounced} == {"dara.okafor@example.com"}
    assert all("550" in row["last_error"] for row in bounced)

    status = workspace.cli("status")
    assert status.code == 1
    assert f"Permanent failures ({len(bounced)}), not retried:" in status.out
    # Issue 16: counted per address and reason, the server's answer without a Python repr.
    summary = (
        f"Permanent failures ({len(bounced)}), not retried:\n"
        f"  dara.okafor@example.com: {len(bounced)} reminder(s): 550 5.1.1 "
        "<dara.okafor@example.com>: mailbox unavailable\nDaemon:"
    )
    assert summary in status.out, status.out

    second = workspace.cli("remind", "--as-of", later(30))
    assert second.code == 0
    assert "nothing to send" in second.out
    assert f"{len(bounced)} reminder(s) bounced" in second.out  # says what waits, and why
    assert server.handler.recipients_tried.count("dara.okafor@example.com") == 1
    assert len(server.handler.messages()) == len(OWNERS) - 1


def test_a_deferred_message_is_retried_by_a_later_run_and_delivered_exactly_once(
    workspace: Workspace, start_mail_server: StartServer, smtp_env: SmtpEnv
) -> None:
    server = start_mail_server("starttls", auth=True)
    server.handler.data_reply = "451 4.3.0 Mailbox busy, try again later"
    smtp_env(server)

    first = workspace.cli("remind", "--as-of", AS_OF)

    assert first.code == 1
    assert first.out.count("failed (will retry)") == len(OWNERS)
    assert server.handler.messages() == []
    assert len(server.handler.recipients_tried) == 3 * len(OWNERS)  # retry_delays [0, 0]
    planned = statuses(workspace)
    assert set(planned) == {"failed"}

    server.handler.data_reply = None
    too_soon = workspace.cli("remind", "--as-of", later(5))  # retry_later_minutes is 15
    assert too_soon.code == 0
    assert server.handler.messages() == []
    # Issue 16: "nothing to send" says what waits, and when.
    assert "nothing to send" in too_soon.out
    assert f"{planned['failed']} reminder(s) wait for a retry, the next at " in too_soon.out

    retried = workspace.cli("remind", "--as-of", later(20))
    assert retried.code == 0, retried.out
    assert set(by_recipient(server)) == OWNERS
    assert workspace.cli("remind", "--as-of", later(40)).code == 0
    assert len(server.handler.messages()) == len(OWNERS)
    assert statuses(workspace) == Counter({"sent": planned["failed"]})


def test_while_the_server_is_down_nothing_is_lost_and_it_all_goes_out_once_it_is_back(
    workspace: Workspace, start_mail_server: StartServer, smtp_env: SmtpEnv
) -> None:
    server = start_mail_server("starttls", auth=True)
    smtp_env(server)
    server.stop()

    down = workspace.cli("remind", "--as-of", AS_OF)

    assert down.code == 1
    assert "failed (will retry)" in down.out
    # The round ended at the first failed connection: one digest tried, none skipped for good.
    assert "stopped: the mail server cannot be reached" in down.out
    due = int(down.out.splitlines()[0].rsplit(": ", 1)[1])
    assert set(statuses(workspace)) == {"failed"}
    assert len({row["recipient"] for row in workspace.ledger()}) == 1

    back = start_mail_server("starttls", auth=True, handler=server.handler, port=server.port)
    assert workspace.cli("remind", "--as-of", later(1)).code == 0  # the very next round
    assert set(by_recipient(back)) == OWNERS
    assert statuses(workspace) == Counter({"sent": due})


def test_without_the_private_ca_nothing_is_marked_sent_and_a_fixed_setting_delivers_later(
    workspace: Workspace, start_mail_server: StartServer, smtp_env: SmtpEnv
) -> None:
    server = start_mail_server("starttls", auth=True)
    smtp_env(server, ca_file=False)

    refused = workspace.cli("remind", "--as-of", AS_OF)

    assert refused.code == 1
    assert "CERTIFICATE_VERIFY_FAILED" in refused.out
    assert "NOTIFIER_SMTP__CA_FILE" in refused.out
    assert "sent" not in statuses(workspace)
    assert server.handler.messages() == []

    smtp_env(server)
    assert workspace.cli("remind", "--as-of", later(20)).code == 0
    assert set(by_recipient(server)) == OWNERS
    assert set(statuses(workspace)) == {"sent"}


def test_without_an_smtp_host_each_digest_is_written_to_the_outbox_once(
    workspace: Workspace,
) -> None:
    first = workspace.cli("remind", "--as-of", AS_OF)
    assert first.code == 0, first.err
    files = sorted(workspace.outbox.glob("*.eml"))
    assert len(files) == len(OWNERS)
    assert not list(workspace.outbox.glob(".*"))  # no temporary file left behind

    recipients = set()
    for path in files:
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert path.stem == str(message["Message-ID"]).strip("<>").split("@")[0]
        assert message.get_content_type() == "multipart/mixed"
        recipients.add(message["To"].addresses[0].addr_spec)
    assert recipients == OWNERS

    assert workspace.cli("remind", "--as-of", AS_OF).code == 0
    assert sorted(workspace.outbox.glob("*.eml")) == files
    assert "outbox" in workspace.cli("status").out


def test_a_dry_run_lists_what_would_be_sent_and_sends_and_records_nothing(
    workspace: Workspace, start_mail_server: StartServer, smtp_env: SmtpEnv
) -> None:
    server = start_mail_server("starttls", auth=True)
    smtp_env(server)

    planned = workspace.cli("remind", "--as-of", AS_OF, "--dry-run")

    assert planned.code == 0
    for owner in OWNERS:
        assert f"would send to {owner}" in planned.out
    assert f"d-30        {ATLAS_DOCUMENTATION}" in planned.out
    assert server.handler.messages() == []
    assert workspace.ledger() == []

    workspace.cli("remind", "--as-of", AS_OF)
    after = workspace.cli("remind", "--as-of", AS_OF, "--dry-run")
    assert "nothing to send" in after.out


INCIDENT = (
    "event",
    "add",
    "incident",
    "--model",
    "orion-xl",
    "--type",
    "death",
    "--aware-on",
    "2026-11-20",
    "--as-of",
    "2026-11-24T10:00:00+01:00",
)


def test_a_deferred_mail_at_once_for_an_event_is_retried_by_the_next_dispatch(
    workspace: Workspace, start_mail_server: StartServer, smtp_env: SmtpEnv
) -> None:
    server = start_mail_server("starttls", auth=True)
    server.handler.data_reply = "451 4.3.0 Mailbox busy, try again later"
    smtp_env(server)

    recorded = workspace.cli(*INCIDENT)
    assert recorded.code == 1
    assert "Could not email chiara.rossi@example.com at once" in recorded.out
    assert "Recorded incident-1." in recorded.out  # the fact is kept whatever the mail did

    server.handler.data_reply = None
    workspace.cli("remind", "--as-of", "2026-11-24T10:30:00+01:00")

    to_chiara = [m for m in server.handler.messages() if "chiara.rossi@example.com" in m.rcpt_tos]
    assert len(to_chiara) == 1
    body = to_chiara[0].message.get_body(("plain",))
    assert body is not None
    assert "orion-xl/incident-1/cop-ss-9-3-initial-report" in body.get_content()
    immediate = {row["status"] for row in workspace.ledger() if row["step"] == "now:incident-1"}
    assert immediate <= {"sent", "superseded"}
    assert immediate  # nothing was left as failed


def test_a_failed_mail_at_once_for_a_duty_without_a_date_is_resent_under_its_own_key(
    workspace: Workspace, start_mail_server: StartServer, smtp_env: SmtpEnv
) -> None:
    # Without the Safety and Security chapter an incident starts only Art 55(1)(c) "without
    # undue delay": no date, so no regular reminder step would ever carry it.
    text = EXAMPLE_REGISTER.read_text(encoding="utf-8").replace(
        'safety_and_security = "signed"', 'safety_and_security = "not_signed"'
    )
    workspace = workspace.with_register(text)
    server = start_mail_server("starttls", auth=True)
    server.handler.data_reply = "451 4.3.0 Mailbox busy, try again later"
    smtp_env(server)
    assert workspace.cli(*INCIDENT).code == 1

    server.handler.data_reply = None
    workspace.cli("remind", "--as-of", "2026-11-24T10:30:00+01:00")

    rows = [row for row in workspace.ledger() if row["step"] == "now:incident-1"]
    assert rows
    assert {row["status"] for row in rows} == {"sent"}
    to_chiara = [m for m in server.handler.messages() if "chiara.rossi@example.com" in m.rcpt_tos]
    (message,) = to_chiara
    body = message.message.get_body(("plain",))
    assert body is not None
    assert "orion-xl/incident-1/art-55-1-c-incident-report" in body.get_content()
