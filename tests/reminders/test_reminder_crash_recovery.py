"""A claim whose process died is retried at start-up and sent once; a claim that a live process
still holds is left alone until its lease runs out. Claims are made by the real ledger functions,
under the identity a real process would use (host:pid)."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from notifier.context import Context
from notifier.core.reminders import Reminder
from notifier.mail.dispatch import dispatch, plan
from notifier.mail.transport import SmtpTransport
from notifier.store import ledger
from tests.support.mailserver import MailServer, StartServer
from tests.support.workspace import SmtpEnv, Workspace

pytestmark = pytest.mark.process  # real processes: `pytest -m "not process"` skips them

NOW = datetime.fromisoformat("2027-07-03T09:00:00+02:00")
LEGAL = "legal@example.com"


def finished_process_id() -> int:
    """The pid of a process that has run and exited (and been reaped): a dead claimer."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.fixture
def live_process() -> Iterator[subprocess.Popen[bytes]]:
    """A process that stays alive (reading its stdin) until the test ends."""
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )
    yield process
    assert process.stdin is not None
    process.stdin.close()
    process.wait(timeout=30)


def send_due(context: Context, now: datetime) -> None:
    """One dispatch over SMTP, as `notifier remind` does it (without the start-up release)."""

    async def run() -> None:
        transport = SmtpTransport(context.settings.smtp)
        try:
            await dispatch(context, now, transport)
        finally:
            await transport.close()

    asyncio.run(run())


def legal_reminders(context: Context) -> list[Reminder]:
    return [r for r in plan(context, NOW) if r.recipient.email == LEGAL]


def deliveries(server: MailServer) -> Counter[str]:
    return Counter(address for r in server.handler.messages() for address in r.rcpt_tos)


def test_a_claim_left_by_a_dead_process_is_released_and_then_sent_exactly_once(
    workspace: Workspace, start_mail_server: StartServer, smtp_env: SmtpEnv
) -> None:
    server = start_mail_server("starttls", auth=True)
    smtp_env(server)
    with workspace.context() as context:
        mine = legal_reminders(context)
        dead = f"{socket.gethostname()}:{finished_process_id()}"
        assert ledger.claim(context.store, mine, NOW, dead) == mine

        send_due(context, NOW)  # the others go out; the claimed digest is someone else's
        assert LEGAL not in deliveries(server)
        assert len(deliveries(server)) == 3

        me = ledger.process_identity()
        assert ledger.release_abandoned(context.store, NOW, me) == len(mine)
        send_due(context, NOW)
        send_due(context, NOW)
    assert deliveries(server) == Counter(
        {
            LEGAL: 1,
            "bruno.keller@example.com": 1,
            "chiara.rossi@example.com": 1,
            "dara.okafor@example.com": 1,
        }
    )
    legal_rows = [row for row in workspace.ledger() if row["recipient"] == LEGAL]
    assert {row["status"] for row in legal_rows} == {"sent"}
    assert {row["claimed_by"] for row in legal_rows} == {me}


def test_a_claim_held_by_a_live_process_is_left_alone_until_its_lease_runs_out(
    workspace: Workspace,
    start_mail_server: StartServer,
    smtp_env: SmtpEnv,
    live_process: subprocess.Popen[bytes],
) -> None:
    server = start_mail_server("starttls", auth=True)
    smtp_env(server)
    holder = f"{socket.gethostname()}:{live_process.pid}"
    with workspace.context() as context:
        mine = legal_reminders(context)
        ledger.claim(context.store, mine, NOW, holder)
        me = ledger.process_identity()
        assert ledger.release_abandoned(context.store, NOW + timedelta(minutes=14), me) == 0

    during_lease = workspace.cli("remind", "--as-of", "2027-07-03T09:14:00+02:00")
    assert during_lease.code == 0
    assert LEGAL not in deliveries(server)
    assert {row["claimed_by"] for row in workspace.ledger() if row["recipient"] == LEGAL} == {
        holder
    }

    after_lease = workspace.cli("remind", "--as-of", "2027-07-03T09:16:00+02:00")
    assert after_lease.code == 0
    assert f"Retrying {len(mine)} reminder(s) left unfinished" in after_lease.out
    assert deliveries(server)[LEGAL] == 1


def test_a_claim_from_another_host_is_kept_for_the_lease_then_released(
    workspace: Workspace,
) -> None:
    with workspace.context() as context:
        mine = legal_reminders(context)
        ledger.claim(context.store, mine, NOW, "another-host:1")
        me = ledger.process_identity()
        assert ledger.release_abandoned(context.store, NOW + timedelta(minutes=14), me) == 0
        assert ledger.settled_keys(context.store, [r.key for r in mine]) == {r.key for r in mine}
        assert ledger.release_abandoned(context.store, NOW + timedelta(minutes=16), me) == len(mine)
        assert ledger.settled_keys(context.store, [r.key for r in mine]) == set()


def test_a_remind_process_killed_in_mid_send_is_finished_by_the_next_run_without_a_duplicate(
    workspace: Workspace, start_mail_server: StartServer, smtp_env: SmtpEnv
) -> None:
    server = start_mail_server("starttls", auth=True)
    server.handler.stall = True  # the first digest hangs after DATA, before the server's 250
    smtp_env(server)
    crashing = subprocess.Popen(
        workspace.command("remind", "--as-of", NOW.isoformat()),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while server.handler.stalled == 0:
            assert crashing.poll() is None, "the process ended before it reached the server"
            assert time.monotonic() < deadline, "the process never reached the server"
            time.sleep(0.02)
    finally:
        crashing.kill()
        crashing.wait(timeout=30)

    held = [row for row in workspace.ledger() if row["status"] == "claimed"]
    assert held
    assert {row["claimed_by"] for row in held} == {f"{socket.gethostname()}:{crashing.pid}"}
    assert server.handler.messages() == []

    server.handler.stall = False
    restarted = workspace.cli("remind", "--as-of", NOW.isoformat())

    assert restarted.code == 0, restarted.err
    assert f"Retrying {len(held)} reminder(s) left unfinished by a stopped process" in restarted.out
    assert set(deliveries(server).values()) == {1}
    assert len(deliveries(server)) == 4
    assert {row["status"] for row in workspace.ledger()} == {"sent"}
