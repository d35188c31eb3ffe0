"""`notifier run` as a real process: health, signals, crash and restart, reload."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import urllib.error
import urllib.request
from collections import Counter
from datetime import datetime
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from notifier.store.leases import instance_of
from tests.support.mailserver import MailServer, recipients
from tests.support.processes import (
    DaemonHarness,
    children,
    cli_process,
    gone,
    kill_9,
    serves,
    wait_for,
    write_config,
)
from tests.support.registers import EXAMPLE_OWNERS as OWNERS
from tests.support.registers import EXAMPLE_REGISTER as REGISTER
from tests.support.stores import ledger_rows

pytestmark = pytest.mark.process  # real processes: `pytest -m "not process"` skips them

# 30 days before 2027-08-02; the example register then has reminders for four people.
CLOCK_START = "2027-07-03T09:00:30+02:00"


def start_with_message_in_flight(
    harness: DaemonHarness, server: MailServer, number: int
) -> subprocess.Popen[bytes]:
    """A daemon started at CLOCK_START, once the server holds its `number`th message unanswered."""
    server.handler.hold_message_number = number
    process = harness.start(CLOCK_START)
    wait_for(server.handler.holding.is_set, f"message {number} to be in flight")
    return process


def test_the_daemon_answers_healthz_sends_reminders_serves_feeds_and_exits_0_on_sigterm(
    harness: DaemonHarness, smtp_server: MailServer
) -> None:
    process = harness.start(CLOCK_START)
    wait_for(lambda: set(recipients(smtp_server)) == OWNERS, "one digest per owner")
    answer = harness.healthz(process)
    assert answer is not None
    code, health = answer
    assert (code, health["status"], health["problems"]) == (200, "ok", [])
    assert health["scheduler"] == "running"
    assert health["store"] == "ok"
    # (The one-off dispatch job is replaced after each round, so it may be missing mid-round.)
    assert {job["id"] for job in health["jobs"]} >= {"changes", "midnight", "leadership"}
    midnight = next(j["next_run"] for j in health["jobs"] if j["id"] == "midnight")
    local = datetime.fromisoformat(midnight).astimezone(ZoneInfo("Europe/Paris"))
    assert (local.hour, local.minute, local.second) == (0, 0, 5)  # the register's time zone

    wait_for(
        lambda: (harness.workdir / "calendars" / "organisation.ics").exists(),
        "the daemon to publish the feeds",
    )
    listing = subprocess.run(
        cli_process("calendars", "--format", "json", config=harness.config, register=REGISTER),
        cwd=harness.workdir,
        capture_output=True,
        text=True,
        check=True,
    )
    feed = next(f for f in json.loads(listing.stdout) if f["audience"] == "organisation")
    # The daemon's child writes the file before its build is over, and the server rereads the
    # feed records only after that build (or feeds.token_cache_seconds after /healthz last read
    # them): until then it may answer 404. Wait for it to serve, then look at the answer.
    wait_for(partial(serves, harness.url(feed["url"])), "the daemon to serve the feed")
    with urllib.request.urlopen(harness.url(feed["url"]), timeout=10) as response:
        assert response.status == 200
        assert response.headers["content-type"].startswith("text/calendar")
        assert response.read().startswith(b"BEGIN:VCALENDAR\r\n")

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    assert recipients(smtp_server) == Counter(dict.fromkeys(OWNERS, 1))


def test_kill_9_during_a_dispatch_then_restart_delivers_every_reminder_exactly_once(
    harness: DaemonHarness, smtp_server: MailServer
) -> None:
    first = start_with_message_in_flight(harness, smtp_server, 2)
    kill_9(first)  # and its dispatch round's process
    # The server answers the held message only once it has seen its client go (else it could
    # answer 250 to a socket whose end it has not read yet, and count a message nobody got).
    wait_for(smtp_server.handler.client_gone.is_set, "the server to see its client go")
    smtp_server.handler.release.set()  # the server never acknowledged it: it is not counted
    assert len(smtp_server.handler.messages()) == 1

    harness.start(CLOCK_START)
    wait_for(lambda: set(recipients(smtp_server)) == OWNERS, "every owner's digest")
    assert recipients(smtp_server) == Counter(dict.fromkeys(OWNERS, 1))
    message_ids = [received.message_id for received in smtp_server.handler.messages()]
    assert len(message_ids) == len(set(message_ids)) == len(OWNERS)


def test_sigterm_lets_the_in_flight_send_finish_before_exiting_0(
    harness: DaemonHarness, smtp_server: MailServer
) -> None:
    process = start_with_message_in_flight(harness, smtp_server, 1)
    process.send_signal(signal.SIGTERM)
    # The stop lands mid-send: the daemon has begun stopping while the server still holds the
    # message; only then does the server answer.
    wait_for(lambda: "waiting up to" in harness.log(), "the daemon to begin stopping")
    assert smtp_server.handler.messages() == []
    smtp_server.handler.release.set()
    assert process.wait(timeout=60) == 0
    # The held message was answered while the daemon was stopping, and it got its 250.
    assert smtp_server.handler.messages()
    assert "did not finish" not in harness.log()

    # What was not sent before the stop is sent after the restart, and nothing twice.
    harness.start(CLOCK_START)
    wait_for(lambda: set(recipients(smtp_server)) == OWNERS, "every owner's digest")
    assert recipients(smtp_server) == Counter(dict.fromkeys(OWNERS, 1))


def test_an_invalid_register_on_sighup_is_rejected_and_the_old_one_keeps_running(
    harness: DaemonHarness, tmp_path: Path
) -> None:
    register = tmp_path / "register.toml"
    register.write_text(REGISTER.read_text(encoding="utf-8"), encoding="utf-8")
    process = harness.start(CLOCK_START, register=register)

    register.write_text("[organisation]\nname = \n", encoding="utf-8")
    process.send_signal(signal.SIGHUP)
    wait_for(
        lambda: (harness.health(process) or {}).get("register", {}).get("reload_error"),
        "the reload to be rejected",
    )
    health = harness.health(process)
    assert health is not None
    assert health["register"]["models"] == 10
    assert "register.toml" in health["register"]["reload_error"]

    text = REGISTER.read_text(encoding="utf-8")
    register.write_text(text[: text.index("# Built on two upstream")], encoding="utf-8")
    wait_for(
        lambda: (harness.health(process) or {}).get("register", {}).get("models") == 9,
        "the corrected register to be loaded on file change",
    )
    assert (harness.health(process) or {})["register"]["reload_error"] is None
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0


def test_timeline_json_answers_only_with_the_token_shown_by_status(
    harness: DaemonHarness,
) -> None:
    process = harness.start(CLOCK_START)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(harness.url("/timeline.json"), timeout=5)
    assert refused.value.code == 401
    refused.value.close()
    status = subprocess.run(
        cli_process("status", config=harness.config, register=REGISTER),
        cwd=harness.workdir,
        capture_output=True,
        text=True,
        check=False,
    )
    token = next(
        line.split("token=", 1)[1].strip()
        for line in status.stdout.splitlines()
        if "token=" in line
    )
    with urllib.request.urlopen(
        harness.url(f"/timeline.json?token={token}"), timeout=10
    ) as response:
        data = json.load(response)
    assert data["law"].startswith("Regulation (EU) 2024/1689")
    assert {m["id"] for m in data["models"]} >= {"atlas-7b", "titan-1"}
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0


def test_a_bad_register_stops_the_daemon_with_exit_2_before_binding_the_port(
    tmp_path: Path,
) -> None:
    bad = tmp_path / "register.toml"
    bad.write_text("[organisation]\n", encoding="utf-8")
    # Hold the port: a daemon that tried to bind first would fail on it, not on the register.
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    port = holder.getsockname()[1]
    config = write_config(tmp_path, port, None)
    with holder:
        result = subprocess.run(
            cli_process("run", config=config, register=bad),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 2
    assert "register.toml" in result.stderr
    assert "address already in use" not in result.stderr.lower()
    assert "Traceback" not in result.stderr


def test_the_round_s_process_killed_mid_send_is_retried_by_the_daemon_once_its_lease_lapses(
    harness: DaemonHarness, smtp_server: MailServer, store_url: str
) -> None:
    """Issue 22: each round runs in a child process of the daemon; a child that dies (killed,
    out of memory) while the daemon lives is like a daemon that died: its claims lapse with its
    lease, the daemon's next round releases and sends them, and nothing goes twice."""
    daemon = start_with_message_in_flight(harness, smtp_server, 2)
    rounds = [
        pid
        for pid in children(daemon.pid)
        if b"delivery_child" in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]
    assert len(rounds) == 1, "the round in flight runs in a child process"
    os.kill(rounds[0], signal.SIGKILL)
    wait_for(lambda: gone(rounds[0]), "the round's process to die")
    wait_for(smtp_server.handler.client_gone.is_set, "the server to see its client go")
    smtp_server.handler.release.set()  # its client is gone: the message is not counted
    assert len(smtp_server.handler.messages()) == 1

    wait_for(lambda: set(recipients(smtp_server)) == OWNERS, "every owner's digest")
    assert daemon.poll() is None  # the daemon itself went on
    assert recipients(smtp_server) == Counter(dict.fromkeys(OWNERS, 1))
    message_ids = [received.message_id for received in smtp_server.handler.messages()]
    assert len(message_ids) == len(set(message_ids)) == len(OWNERS)
    # The daemon logs what its round released once the round's report is back.
    wait_for(lambda: "claim(s) whose instance lease lapsed" in harness.log(), "the report")
    assert "the dispatch round's process ended without a report" in harness.log()
    health = harness.health(daemon)
    assert health is not None
    rows = ledger_rows(store_url)
    assert {row["status"] for row in rows} == {"sent"}
    assert {instance_of(row["claimed_by"]) for row in rows} == {health["instance"]}
    daemon.send_signal(signal.SIGTERM)
    assert daemon.wait(timeout=60) == 0
