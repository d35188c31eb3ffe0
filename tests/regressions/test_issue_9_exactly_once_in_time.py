"""Issue 9, item 5: exactly once, in time as well. Whatever the clock says, a person never gets,
for one item, a step that is not newer than the newest step already sent to them for it.

Reproduced before the fix: an event mailed at once at 10:00 was mailed again by the 10:01
dispatch (its item's latest regular step was scheduled before the mail at once); a `remind` with
an earlier `--as-of` than one before it re-sent older steps of items already reminded. The real
command line, the example register, a real SMTP server on loopback, both store engines.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from datetime import datetime

from notifier.channels.delivery import dispatch
from notifier.mail.transport import SmtpTransport
from tests.support.mailserver import MailServer, StartServer
from tests.support.registers import EXAMPLE_REGISTER
from tests.support.workspace import SmtpEnv, Workspace

AS_OF = "2027-07-03T09:00:00+02:00"  # the Art 111(3) deadlines' 30-days-before step
EARLIER = ("2027-07-02T09:00:00+02:00", "2027-06-01T09:00:00+02:00", "2027-05-03")
CHIARA = "chiara.rossi@example.com"  # owns orion-xl
INCIDENT = (
    "event", "add", "incident", "--model", "orion-xl", "--type", "death",
    "--aware-on", "2026-11-20", "--as-of", "2026-11-24T10:00:00+01:00",
)  # fmt: skip
INITIAL_REPORT = "orion-xl/incident-1/cop-ss-9-3-initial-report"  # due 2026-11-30


def mailed(server: MailServer, start: int = 0) -> Counter[tuple[str, str]]:
    """(recipient, item id) -> how many messages since the `start`-th carried that item."""
    found: Counter[tuple[str, str]] = Counter()
    for received in server.handler.messages()[start:]:
        body = received.message.get_body(("plain",))
        assert body is not None
        for item in re.findall(r"notifier done (\S+) --on", body.get_content()):
            found[(received.rcpt_tos[0], item)] += 1
    return found


def statuses(workspace: Workspace, since: int = 0) -> Counter[str]:
    return Counter(row["status"] for row in workspace.ledger()[since:])


def test_an_event_mailed_at_once_is_not_mailed_again_by_the_next_dispatches(
    workspace: Workspace, start_mail_server: StartServer, smtp_env: SmtpEnv
) -> None:
    server = start_mail_server()
    smtp_env(server)
    assert workspace.cli("remind", "--as-of", "2026-11-24T09:00:00+01:00").code == 0
    recorded = workspace.cli(*INCIDENT)
    assert f"Emailed {CHIARA} at once" in recorded.out
    at_once = mailed(server)
    assert at_once[(CHIARA, INITIAL_REPORT)] == 1
    rows = len(workspace.ledger())

    next_dispatch = workspace.cli("remind", "--as-of", "2026-11-24T10:01:00+01:00")
    next_morning = workspace.cli("remind", "--as-of", "2026-11-25T09:00:00+01:00")

    assert next_dispatch.code == next_morning.code == 0
    assert "nothing to send" in next_dispatch.out
    incident_items = {item for _, item in at_once if "/incident-1/" in item}
    assert len(incident_items) == 4
    twice = {key: n for key, n in mailed(server).items() if key[1] in incident_items and n > 1}
    assert twice == {}
    # The regular steps of those items (scheduled before 10:00) are on record as superseded.
    incident_rows = [row for row in workspace.ledger()[rows:] if "/incident-1/" in row["item_id"]]
    assert {row["status"] for row in incident_rows} == {"superseded"}
    assert all("a newer step of this item" in row["last_error"] for row in incident_rows)


def test_the_next_step_of_an_item_mailed_at_once_still_goes_out(
    workspace: Workspace, start_mail_server: StartServer, smtp_env: SmtpEnv
) -> None:
    server = start_mail_server()
    smtp_env(server)
    workspace.cli(*INCIDENT)
    workspace.cli("remind", "--as-of", "2026-11-24T10:01:00+01:00")
    before = len(server.handler.messages())

    day_before = workspace.cli("remind", "--as-of", "2026-11-29T09:00:00+01:00")

    assert day_before.code == 0
    assert mailed(server, before)[(CHIARA, INITIAL_REPORT)] == 1  # its d-1 step


def test_remind_at_an_earlier_instant_than_a_run_before_it_sends_nothing_again(
    workspace: Workspace, start_mail_server: StartServer, smtp_env: SmtpEnv
) -> None:
    server = start_mail_server()
    smtp_env(server)
    assert workspace.cli("remind", "--as-of", AS_OF).code == 0
    sent = len(server.handler.messages())
    assert sent == 4
    rows = len(workspace.ledger())

    for earlier in EARLIER:
        dry = workspace.cli("remind", "--as-of", earlier, "--dry-run")
        assert "nothing to send" in dry.out, dry.out
        result = workspace.cli("remind", "--as-of", earlier)
        assert result.code == 0
        assert "nothing to send" in result.out, result.out

    assert len(server.handler.messages()) == sent
    assert set(statuses(workspace, rows)) == {"superseded"}
    status = workspace.cli("status", "--as-of", AS_OF)  # health judged at the rehearsal
    assert status.code == 0, status.out
    assert f"superseded {sum(statuses(workspace, rows).values())}" in status.out


def test_after_a_run_with_the_clock_behind_the_next_new_step_still_goes_out(
    workspace: Workspace, start_mail_server: StartServer, smtp_env: SmtpEnv
) -> None:
    server = start_mail_server()
    smtp_env(server)
    workspace.cli("remind", "--as-of", AS_OF)
    workspace.cli("remind", "--as-of", EARLIER[0])
    before = len(server.handler.messages())

    fortnight = workspace.cli("remind", "--as-of", "2027-07-19T09:00:00+02:00")  # the d-14 step

    assert fortnight.code == 0
    documentation = ("legal@example.com", "atlas-7b/art-53-1-a-technical-documentation")
    assert mailed(server, before)[documentation] == 1


def test_the_dispatch_the_daemon_runs_sends_nothing_again_when_its_clock_goes_back(
    workspace: Workspace, start_mail_server: StartServer, smtp_env: SmtpEnv
) -> None:
    """The daemon's dispatch job, without the daemon: a later instant, then an earlier one (a
    restart with an earlier --clock-start), through the same SMTP transport."""
    server = start_mail_server()
    smtp_env(server)

    async def dispatch_at(*instants: str) -> None:
        with workspace.context() as context:
            transport = SmtpTransport(context.settings.smtp)
            try:
                for instant in instants:
                    await dispatch(context, datetime.fromisoformat(instant), transport)
            finally:
                await transport.close()

    asyncio.run(dispatch_at(AS_OF, "2027-07-03T08:59:00+02:00", EARLIER[0], AS_OF))

    assert len(server.handler.messages()) == 4
    assert set(mailed(server).values()) == {1}


def test_a_person_added_later_still_gets_the_step_others_have_had(
    workspace: Workspace, start_mail_server: StartServer, smtp_env: SmtpEnv
) -> None:
    """Each person has their own newest step: a new owner of orion-xl is reminded by a run at
    an earlier instant, while the owner already reminded is not."""
    server = start_mail_server()
    smtp_env(server)
    workspace.cli("remind", "--as-of", AS_OF)
    text = EXAMPLE_REGISTER.read_text(encoding="utf-8")
    assert text.count('owners = ["safety"]') == 1
    added = text.replace('owners = ["safety"]', 'owners = ["safety", "product"]')
    workspace = workspace.with_register(added)
    before = len(server.handler.messages())

    workspace.cli("remind", "--as-of", EARLIER[0])

    now_mailed = mailed(server, before)
    assert now_mailed
    assert {recipient for recipient, _ in now_mailed} == {"dara.okafor@example.com"}
    assert all(item.startswith("orion-xl/") for _, item in now_mailed)


def test_an_address_whose_case_changed_in_the_register_is_the_same_person(
    workspace: Workspace, start_mail_server: StartServer, smtp_env: SmtpEnv
) -> None:
    server = start_mail_server()
    smtp_env(server)
    text = EXAMPLE_REGISTER.read_text(encoding="utf-8")
    assert text.count(f'email = "{CHIARA}"') == 1
    mixed = text.replace(f'email = "{CHIARA}"', 'email = "Chiara.Rossi@Example.COM"')
    workspace.with_register(mixed).cli("remind", "--as-of", AS_OF)
    assert "Chiara.Rossi@Example.COM" in {r["recipient"] for r in workspace.ledger()}
    before = len(server.handler.messages())

    # A month earlier: her weekly overdue steps then are older ones, under other keys.
    workspace.with_register(text).cli("remind", "--as-of", EARLIER[1])

    assert server.handler.messages()[before:] == []
    assert statuses(workspace)["superseded"] > 0
