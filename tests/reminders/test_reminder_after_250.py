"""The one window exactly-once leaves open (README, "Reminders"): a process that dies after the mail
server's 250 and before its ledger write. The next run sends that digest again, with the same
Message-ID (derived from the reminder keys), and only that digest.

A real `notifier remind` process, a loopback SMTP server that holds the first message until the
test has locked the ledger against writes, then accepts it (250); the process, stuck before its
ledger write, is killed with -9. Nothing waits on the wall clock: each step waits for an event.
"""

from __future__ import annotations

import subprocess
from collections import Counter

import pytest

from tests.support.mailserver import Received, StartServer
from tests.support.processes import wait_for
from tests.support.stores import lapse_leases, ledger_locked
from tests.support.workspace import SmtpEnv, Workspace

pytestmark = pytest.mark.process  # real processes: `pytest -m "not process"` skips them

NOW = "2027-07-03T09:00:00+02:00"
FIRST = "bruno.keller@example.com"  # digests go out in address order
OWNERS = {FIRST, "chiara.rossi@example.com", "dara.okafor@example.com", "legal@example.com"}


def text_of(received: Received) -> str:
    body = received.message.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def test_a_digest_accepted_before_the_ledger_write_goes_out_again_with_its_message_id(
    workspace: Workspace, start_mail_server: StartServer, smtp_env: SmtpEnv
) -> None:
    server = start_mail_server()
    server.handler.hold_message_number = 1
    smtp_env(server)
    crashing = subprocess.Popen(
        workspace.command("remind", "--as-of", NOW),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert server.handler.holding.wait(60), "the process never reached the server"
        with ledger_locked(workspace.database_url):
            server.handler.release.set()  # the server accepts the message: 250
            wait_for(lambda: len(server.handler.messages()) == 1, "the server to accept it")
            crashing.kill()  # before it could record the send
            crashing.wait(timeout=30)
    finally:
        if crashing.poll() is None:
            crashing.kill()
            crashing.wait(timeout=30)

    (accepted,) = server.handler.messages()
    assert accepted.rcpt_tos == (FIRST,)
    left = workspace.ledger()
    assert {row["status"] for row in left} == {"claimed"}  # its claims, the send unrecorded
    assert {row["recipient"] for row in left} == {FIRST}
    (holder,) = {row["claimed_by"] for row in left}
    with workspace.context() as context:
        assert lapse_leases(context.store, holder) == 1  # as if its lease had run out

    rerun = workspace.cli("remind", "--as-of", NOW)

    assert rerun.code == 0, rerun.err
    assert f"Retrying {len(left)} reminder(s) left unfinished" in rerun.out
    received = server.handler.messages()
    per_person = Counter(r.rcpt_tos[0] for r in received)
    assert per_person == Counter({**dict.fromkeys(OWNERS, 1), FIRST: 2})
    again = [r for r in received if r.rcpt_tos == (FIRST,)]
    assert [r.message_id for r in again] == [accepted.message_id] * 2
    assert text_of(again[1]) == text_of(accepted)
    assert {row["status"] for row in workspace.ledger()} == {"sent"}
