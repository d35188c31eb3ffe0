"""A claim whose process died is retried and sent once; a claim that a live process still holds
is left alone. Whether the claimer lives is its instance lease's to say, never a process id, so
it works for processes on other machines. Claims are made by the real ledger functions; a lease
lapsing is stood in for by `lapse_leases` (as if its time had passed), never by waiting."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import time
from collections import Counter
from datetime import datetime

import pytest

from notifier.channels.delivery import dispatch, plan
from notifier.context import Context
from notifier.core.reminders import Reminder
from notifier.mail.transport import SmtpTransport
from notifier.store import leases, ledger
from tests.support.mailserver import MailServer, StartServer
from tests.support.stores import lapse_leases, lease_holders
from tests.support.workspace import SmtpEnv, Workspace

pytestmark = pytest.mark.process  # real processes: `pytest -m "not process"` skips them

NOW = datetime.fromisoformat("2027-07-03T09:00:00+02:00")
LEGAL = "legal@example.com"


HOUR = 3600.0


def hold_lease(context: Context, holder: str) -> None:
    """`holder` is a live process (on this machine or another): its instance lease lives."""
    leases.acquire(context.store, leases.instance_lease(holder), holder, HOUR)


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


def test_a_claim_left_by_a_process_whose_lease_lapsed_is_released_and_sent_exactly_once(
    workspace: Workspace, start_mail_server: StartServer, smtp_env: SmtpEnv
) -> None:
    server = start_mail_server("starttls", auth=True)
    smtp_env(server)
    with workspace.context() as context:
        mine = legal_reminders(context)
        dead = "another-host:4242:dead00"
        hold_lease(context, dead)
        assert ledger.claim(context.store, mine, NOW, dead) == mine

        send_due(context, NOW)  # the others go out; the claimed digest is someone else's
        assert LEGAL not in deliveries(server)
        assert len(deliveries(server)) == 3
        me = ledger.process_identity()
        assert ledger.release_abandoned(context.store, NOW, me) == 0  # it may still live

        lapse_leases(context.store, dead)  # it stopped renewing: it died
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


def test_a_claim_held_by_a_live_process_is_left_alone_until_its_lease_lapses(
    workspace: Workspace, start_mail_server: StartServer, smtp_env: SmtpEnv
) -> None:
    """Even a process with this machine's name and a finished pid: only the lease counts."""
    server = start_mail_server("starttls", auth=True)
    smtp_env(server)
    holder = f"{socket.gethostname()}:{os.getpid() + 100000}:live00"
    with workspace.context() as context:
        mine = legal_reminders(context)
        hold_lease(context, holder)
        ledger.claim(context.store, mine, NOW, holder)

    during_lease = workspace.cli("remind", "--as-of", "2027-07-03T09:14:00+02:00")
    assert during_lease.code == 0
    assert LEGAL not in deliveries(server)
    assert {row["claimed_by"] for row in workspace.ledger() if row["recipient"] == LEGAL} == {
        holder
    }

    with workspace.context() as context:
        lapse_leases(context.store, holder)
    after_lease = workspace.cli("remind", "--as-of", "2027-07-03T09:16:00+02:00")
    assert after_lease.code == 0
    assert f"Retrying {len(mine)} reminder(s) left unfinished" in after_lease.out
    assert deliveries(server)[LEGAL] == 1


def test_a_remind_run_holds_its_lease_only_while_it_delivers(
    workspace: Workspace, start_mail_server: StartServer, smtp_env: SmtpEnv
) -> None:
    smtp_env(start_mail_server())
    assert workspace.cli("remind", "--as-of", NOW.isoformat()).code == 0
    with workspace.context() as context:
        assert lease_holders(context.store) == {}


def test_a_remind_process_killed_in_mid_send_is_finished_by_the_next_run_without_a_duplicate(
    workspace: Workspace, start_mail_server: StartServer, smtp_env: SmtpEnv
) -> None:
    server = start_mail_server("starttls", auth=True)
    server.handler.stall = True  # the first digest hangs after DATA, before the server's 250
    smtp_env(server)
    # Its lease lives an hour, not the default 20 s: "too soon" below must not depend on how
    # fast a loaded machine starts the next process; its lapse is stood in for, never waited.
    crashing = subprocess.Popen(
        workspace.command("remind", "--as-of", NOW.isoformat()),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "NOTIFIER_INSTANCES__LEASE_SECONDS": str(int(HOUR))},
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
    (holder,) = {row["claimed_by"] for row in held}
    assert holder.startswith(f"{socket.gethostname()}:{crashing.pid}:")
    assert server.handler.messages() == []

    server.handler.stall = False
    too_soon = workspace.cli("remind", "--as-of", NOW.isoformat())  # its lease still lives
    assert "Retrying" not in too_soon.out
    assert not {row["recipient"] for row in held} & set(deliveries(server))
    with workspace.context() as context:
        assert lapse_leases(context.store, holder) == 1
    restarted = workspace.cli("remind", "--as-of", NOW.isoformat())

    assert restarted.code == 0, restarted.err
    assert f"Retrying {len(held)} reminder(s) left unfinished by a stopped process" in restarted.out
    assert set(deliveries(server).values()) == {1}
    assert len(deliveries(server)) == 4
    assert {row["status"] for row in workspace.ledger()} == {"sent"}
