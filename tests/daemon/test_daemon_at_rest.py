"""Issue 13: the daemon at rest dispatches only when something can happen, and still misses
nothing. These daemons have a safety net of an hour (`reminders.dispatch_every_seconds`), so
whatever they do within a test was woken by the plan or by a change, not by polling."""

from __future__ import annotations

import signal
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from notifier.context import load_context
from notifier.store.schema import reminder_ledger
from tests.support.mailserver import MailServer
from tests.support.processes import DaemonHarness, cli_process, free_port, wait_for, write_config
from tests.support.registers import EXAMPLE_REGISTER as REGISTER

pytestmark = pytest.mark.process

# Ten seconds before the morning's reminders of 3 July (send_at 09:00, Paris).
BEFORE_NINE = "2027-07-03T08:59:50+02:00"
NINE = datetime.fromisoformat("2027-07-03T09:00:00+02:00")
AFTER_NINE = "2027-07-03T09:00:30+02:00"
ITEM = "nimbus-2/art-53-1-a-technical-documentation"  # open, and in nimbus-2's feed


def resting(harness: DaemonHarness, tmp_path: Path, smtp_server: MailServer) -> tuple[Path, int]:
    """Settings for a daemon whose safety net is an hour, on the harness's store."""
    port = free_port()
    text = harness.config.read_text(encoding="utf-8")
    url_line = next(line for line in text.splitlines() if line.startswith("database_url"))
    database_url = url_line.split("=", 1)[1].strip().strip('"')
    config = write_config(
        tmp_path,
        port,
        smtp_server.port,
        database_url,
        name="resting.toml",
        dispatch_every_seconds=3600,
    )
    return config, port


def ledger_rows(config: Path) -> list[dict[str, object]]:
    context = load_context(config, REGISTER, NINE)
    try:
        with context.store.engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(reminder_ledger.select())]
    finally:
        context.store.close()


def cli(config: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cli_process(*argv, config=config, register=REGISTER),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_the_reminders_of_nine_go_out_at_nine_by_the_injected_clock_not_by_a_poll(
    harness: DaemonHarness, tmp_path: Path, smtp_server: MailServer
) -> None:
    config, port = resting(harness, tmp_path, smtp_server)
    process = harness.start(BEFORE_NINE, config=config, http_port=port)

    # Each digest's rows are inserted as it is claimed, then marked sent once its channel took
    # it: "none of the 09:00 rows is claimed" also holds between two digests, before the next
    # one's rows exist. Wait for the round itself to be over (/healthz's last round began at
    # 09:00 or later), so that the assertions read every 09:00 row, settled.
    def nine_over() -> bool:
        last = (harness.health(process) or {}).get("last_dispatch") or {}
        return bool(last.get("at")) and datetime.fromisoformat(last["at"]) >= NINE

    wait_for(nine_over, "the round of 09:00 to be over")
    at_nine = [r for r in ledger_rows(config) if r["scheduled_for"] == NINE]
    assert at_nine
    assert all(r["status"] == "sent" for r in at_nine)
    # Claimed by a round that began at 09:00 on the daemon's clock: not before, and not at the
    # next safety-net round an hour later.
    claimed = {r["claimed_at"] for r in at_nine}
    assert all(NINE <= moment < NINE + timedelta(minutes=1) for moment in claimed)  # type: ignore[operator]

    # Asleep again until the next step (or the net) once the round is over: its rows are marked
    # sent before it ends (it then records what was shown, issue 23), so wait for the round's end.
    def asleep_after_nine() -> bool:
        planned = (harness.health(process) or {}).get("next_dispatch")
        return planned is not None and datetime.fromisoformat(planned) > NINE

    wait_for(asleep_after_nine, "the daemon to sleep past 09:00 after the round")
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0


def test_a_done_recorded_by_another_process_reaches_the_resting_daemons_feeds_in_seconds(
    harness: DaemonHarness, tmp_path: Path, smtp_server: MailServer
) -> None:
    config, port = resting(harness, tmp_path, smtp_server)
    process = harness.start(AFTER_NINE, config=config, http_port=port)
    feed = tmp_path / "calendars" / "model-nimbus-2.ics"
    wait_for(feed.exists, "the daemon's first feeds")
    assert "✓ Done" not in feed.read_text(encoding="utf-8").replace("\r\n ", "")

    done = cli(config, "done", ITEM, "--note", "filed")
    assert done.returncode == 0, done.stderr

    wait_for(
        lambda: "✓ Done" in feed.read_text(encoding="utf-8").replace("\r\n ", ""),
        "the done mark in nimbus-2's feed",
    )
    assert "new records in the store" in harness.log()
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
