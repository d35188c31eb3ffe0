"""Issue 12: PostgreSQL had never been run. A postgresql:// URL ended in 'internal error:
ModuleNotFoundError'; with psycopg added, `notifier remind` claimed every reminder due, sent none
and left them all 'claimed'; two daemons on a fresh database sent nothing, one having crashed
at start (both migrating at once); the audit log accepted an UPDATE."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import NullPool

from notifier.store.engine import Store
from tests.support.cli import RunCli
from tests.support.mailserver import MailServer
from tests.support.postgres import Databases
from tests.support.processes import CLI_ENTRY, DaemonHarness, free_port, wait_for, write_config
from tests.support.registers import EXAMPLE_OWNERS as OWNERS
from tests.support.registers import EXAMPLE_REGISTER
from tests.support.stores import ledger_rows
from tests.support.workspace import Workspace

AS_OF = "2027-07-03T09:00:00+02:00"
NOW = datetime(2027, 7, 3, 7, 0, tzinfo=UTC)


@pytest.fixture
def postgres_url(postgres_databases: Databases) -> str:
    return postgres_databases.create(migrated=False)


def test_without_psycopg_a_postgresql_url_is_a_settings_error_naming_the_extra(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as where the extra is not installed
    monkeypatch.setenv("NOTIFIER_DATABASE_URL", "postgresql://notifier:secret@db.internal/n")
    result = run_cli("db", "current")
    assert result.code == 2
    assert "pip install 'notifier[postgresql]'" in result.err
    assert "internal error" not in result.err
    assert "secret" not in result.err


def test_remind_on_postgresql_sends_every_reminder_due_and_leaves_none_claimed(
    tmp_path: Path, postgres_url: str, smtp_server: MailServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = Workspace.create(tmp_path, database_url=postgres_url)
    monkeypatch.setenv("NOTIFIER_SMTP__HOST", smtp_server.host)
    monkeypatch.setenv("NOTIFIER_SMTP__PORT", str(smtp_server.port))
    monkeypatch.setenv("NOTIFIER_SMTP__TLS", "none")

    result = workspace.cli("remind", "--as-of", AS_OF)

    assert result.code == 0, result.err
    rows = ledger_rows(postgres_url)
    assert rows
    assert {row["status"] for row in rows} == {"sent"}
    delivered = Counter(r for m in smtp_server.handler.messages() for r in m.rcpt_tos)
    assert delivered == Counter(dict.fromkeys(OWNERS, 1))


def test_on_postgresql_the_audit_log_refuses_an_update(postgres_url: str) -> None:
    Store.open(postgres_url, NOW).close()
    engine = create_engine(postgres_url, poolclass=NullPool)
    try:
        with pytest.raises(IntegrityError, match="append-only"), engine.begin() as connection:
            connection.execute(text("UPDATE audit_log SET actor = 'someone else'"))
    finally:
        engine.dispose()


@pytest.mark.process
def test_two_daemons_started_at_once_on_a_fresh_database_both_run_and_send_each_reminder_once(
    tmp_path: Path, postgres_url: str, smtp_server: MailServer
) -> None:
    ports = [free_port(), free_port()]
    # The product's 20 s leases, not the 2 s that takeover tests use: nothing here dies, and a
    # loaded machine pausing the leader for two seconds would hand the lead over meanwhile.
    configs = [
        write_config(
            tmp_path, port, smtp_server.port, postgres_url, name=f"n{n}.toml", lease_seconds=20
        )
        for n, port in enumerate(ports)
    ]
    harness = DaemonHarness(tmp_path, configs[0], ports[0])
    try:
        logs = [open(tmp_path / f"daemon-{n}.log", "wb") for n in range(2)]  # noqa: SIM115
        harness.logs.extend(logs)
        started = [
            subprocess.Popen(
                [sys.executable, "-c", CLI_ENTRY, "run", "--config", str(config),
                 "--register", str(EXAMPLE_REGISTER), "--clock-start", AS_OF],
                cwd=tmp_path,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            for config, log in zip(configs, logs, strict=True)
        ]  # fmt: skip
        harness.processes.extend(started)
        for process, port in zip(started, ports, strict=True):
            harness.ports[process.pid] = port
        wait_for(
            lambda: all(harness.health(p) is not None for p in started), "both daemons to answer"
        )
        wait_for(
            lambda: {r for m in smtp_server.handler.messages() for r in m.rcpt_tos} == OWNERS,
            "every owner's digest",
        )
        leaders = {(harness.health(p) or {}).get("leader") for p in started}
        assert len(leaders) == 1
        assert None not in leaders
    finally:
        harness.stop_all()
    delivered = Counter(r for m in smtp_server.handler.messages() for r in m.rcpt_tos)
    assert delivered == Counter(dict.fromkeys(OWNERS, 1))
