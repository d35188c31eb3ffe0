"""Several `notifier remind` processes over one store and one mail server: each reminder is
sent exactly once in total, whichever process claims it first. Dedupe lives in the ledger."""

from __future__ import annotations

import os
import subprocess
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from notifier.store.engine import Store
from tests.support.mailserver import MailServer, StartServer
from tests.support.registers import EXAMPLE_OWNERS as OWNERS
from tests.support.workspace import SmtpEnv, Workspace

pytestmark = pytest.mark.process  # real processes: `pytest -m "not process"` skips them

AS_OF = "2027-07-03T09:00:00+02:00"
PROCESSES = 3


def run_together(workspace: Workspace, count: int) -> list[subprocess.CompletedProcess[str]]:
    """Start `count` remind processes at once and wait for all of them."""
    started = [
        subprocess.Popen(
            workspace.command("remind", "--as-of", AS_OF),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=dict(os.environ),
            cwd=workspace.root,
        )
        for _ in range(count)
    ]
    finished = []
    for process in started:
        out, err = process.communicate(timeout=120)
        finished.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return finished


def assert_each_reminder_sent_once(workspace: Workspace, server: MailServer) -> None:
    received = server.handler.messages()
    message_ids = Counter(str(r.message["Message-ID"]) for r in received)
    recipients = Counter(address for r in received for address in r.rcpt_tos)
    assert all(n == 1 for n in message_ids.values()), message_ids
    assert all(n == 1 for n in recipients.values()), recipients
    assert set(recipients) == OWNERS
    rows = workspace.ledger()
    assert len({row["key"] for row in rows}) == len(rows)
    assert {row["status"] for row in rows} == {"sent"}
    assert {row["message_id"] for row in rows} == set(message_ids)


@pytest.mark.parametrize("store", ["existing", "fresh"])
def test_processes_started_together_send_every_reminder_exactly_once_in_total(
    tmp_path: Path,
    workspace: Workspace,
    empty_store_url: str,
    start_mail_server: StartServer,
    smtp_env: SmtpEnv,
    store: str,
) -> None:
    """With a fresh store the processes also race to create the schema (this failed with
    'table schema_version already exists' on SQLite before transactions began IMMEDIATE, and
    on PostgreSQL before upgrades took an advisory lock)."""
    server = start_mail_server("starttls", auth=True)
    smtp_env(server)
    workspace = Workspace.create(tmp_path, database_url=empty_store_url)
    if store == "existing":
        Store.open(empty_store_url, datetime(2026, 11, 24, tzinfo=UTC)).close()

    results = run_together(workspace, PROCESSES)

    for result in results:
        assert result.returncode == 0, result.stderr
    assert_each_reminder_sent_once(workspace, server)
    outputs = "".join(result.stdout for result in results)
    assert outputs.count("sent to ") == len(OWNERS)  # the processes may share the work out
