"""Two `notifier run` on one store (a PostgreSQL database; an SQLite file on one machine too):
one leads and runs the scheduled jobs, both serve HTTP with the same feed bytes and ETag; the
leader killed with -9 in mid-dispatch is replaced and every reminder goes out exactly once.

Real processes, a real SMTP server on loopback. Where a leader dies, the settings give 2-second
leases, so it is taken over within seconds (waited for, never timed); elsewhere the product's
20 s, so that a loaded machine pausing the leader for two seconds does not hand the lead over
in the middle of a test that asserts who leads."""

from __future__ import annotations

import signal
import subprocess
import urllib.request
from collections import Counter
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from notifier.store.engine import Store
from notifier.store.feeds import feed_records
from notifier.store.leases import instance_of
from tests.support.mailserver import MailServer, recipients
from tests.support.processes import DaemonHarness, free_port, kill_9, wait_for, write_config
from tests.support.registers import EXAMPLE_OWNERS as OWNERS
from tests.support.stores import ledger_rows

pytestmark = pytest.mark.process  # real processes: `pytest -m "not process"` skips them

CLOCK_START = "2027-07-03T09:00:30+02:00"  # 30 days before 2027-08-02: four owners to remind
STEADY_LEASE_SECONDS = 20  # the setting's default: nobody is taken for dead by a pause
TAKEOVER_LEASE_SECONDS = 2  # a killed leader is replaced within seconds


def health(harness: DaemonHarness, process: subprocess.Popen[bytes]) -> dict[str, Any]:
    return harness.health(process) or {}


def start_pair(
    harness: DaemonHarness,
    smtp_server: MailServer,
    store_url: str,
    tmp_path: Path,
    lease_seconds: float = STEADY_LEASE_SECONDS,
) -> tuple[subprocess.Popen[bytes], subprocess.Popen[bytes]]:
    """The first instance, leading; then a second on the same store with its own HTTP port
    and its own calendars/ folder (as on another machine); both with leases this long."""
    own = write_config(
        tmp_path, harness.http_port, smtp_server.port, store_url, lease_seconds=lease_seconds
    )
    assert own == harness.config  # the harness's settings, rewritten with this lease
    first = harness.start(CLOCK_START)
    wait_for(lambda: health(harness, first).get("leading"), "the first instance to lead")
    port = free_port()
    config = write_config(
        tmp_path,
        port,
        smtp_server.port,
        store_url,
        name="second.toml",
        calendars_dir=tmp_path / "second-machine" / "calendars",
        lease_seconds=lease_seconds,
    )
    second = harness.start(CLOCK_START, config=config, http_port=port)
    return first, second


def _serves(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return bool(response.status == 200)
    except urllib.error.HTTPError:
        return False


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0


def test_one_instance_leads_both_serve_the_same_feeds_and_each_reminder_goes_out_once(
    harness: DaemonHarness, smtp_server: MailServer, store_url: str, tmp_path: Path
) -> None:
    first, second = start_pair(harness, smtp_server, store_url, tmp_path)
    wait_for(lambda: set(recipients(smtp_server)) == OWNERS, "one digest per owner")
    leader, follower = health(harness, first), health(harness, second)
    assert leader["leader"] == follower["leader"] == leader["instance"]
    assert (leader["leading"], follower["leading"]) == (True, False)
    assert leader["status"] == follower["status"] == "ok"
    assert {i["id"] for i in follower["instances"]} == {leader["instance"], follower["instance"]}

    wait_for(lambda: (tmp_path / "calendars" / "organisation.ics").exists(), "the leader's feeds")
    store = Store.open(store_url, datetime(2027, 7, 3, tzinfo=UTC))
    try:
        token = feed_records(store)["model:atlas-7b"].token
    finally:
        store.close()
    path = f"/feeds/{token}/model-atlas-7b.ics"
    # The leader builds its feeds in a child process (issue 22): its files may be on disk a
    # moment before the build is over; each server rereads the records within
    # feeds.token_cache_seconds (the leader at once after its build).
    for url in (harness.url(path, first), harness.url(path, second)):
        wait_for(partial(_serves, url), "each instance to serve the feed")
    answers = []
    for process in (first, second):
        with urllib.request.urlopen(harness.url(path, process), timeout=10) as response:
            answers.append(
                (response.read(), response.headers["etag"], response.headers["last-modified"])
            )
    assert answers[0] == answers[1]
    assert answers[0][0] == (tmp_path / "calendars" / "model-atlas-7b.ics").read_bytes()
    assert not (tmp_path / "second-machine").exists()  # the follower built and wrote nothing

    stop(second)
    stop(first)
    assert recipients(smtp_server) == Counter(dict.fromkeys(OWNERS, 1))
    rows = ledger_rows(store_url)
    assert {row["status"] for row in rows} == {"sent"}
    # The follower sent none: every claim is the leader's (its rounds run in child processes of
    # their own, named after it: issue 22).
    assert {instance_of(row["claimed_by"]) for row in rows} == {leader["instance"]}


def test_the_leader_killed_with_kill_9_mid_dispatch_is_replaced_and_every_reminder_goes_once(
    harness: DaemonHarness, smtp_server: MailServer, store_url: str, tmp_path: Path
) -> None:
    smtp_server.handler.hold_message_number = 2
    first, second = start_pair(harness, smtp_server, store_url, tmp_path, TAKEOVER_LEASE_SECONDS)
    dead = health(harness, first)["instance"]
    wait_for(smtp_server.handler.holding.is_set, "the leader's second message to be in flight")
    kill_9(first)  # and its dispatch round's process
    # The server answers the held message only once it has seen its client go (else it could
    # answer 250 to a socket whose end it has not read yet, and count a message nobody got).
    wait_for(smtp_server.handler.client_gone.is_set, "the server to see its client go")
    smtp_server.handler.release.set()  # the server never acknowledged it: it is not counted
    assert len(smtp_server.handler.messages()) == 1

    wait_for(lambda: health(harness, second).get("leading"), "the second instance to take over")
    health_of_second = health(harness, second)
    wait_for(lambda: set(recipients(smtp_server)) == OWNERS, "every owner's digest")
    wait_for(
        lambda: dead not in {i["id"] for i in health(harness, second)["instances"]},
        "the dead instance's lease to lapse",
    )

    stop(second)
    assert recipients(smtp_server) == Counter(dict.fromkeys(OWNERS, 1))
    message_ids = [received.message_id for received in smtp_server.handler.messages()]
    assert len(message_ids) == len(set(message_ids)) == len(OWNERS)
    # The digest in flight was claimed by the dead leader; the new one released and sent it.
    assert "claim(s) whose instance lease lapsed" in (tmp_path / "daemon-1.log").read_text()
    rows = ledger_rows(store_url)
    assert {row["status"] for row in rows} == {"sent"}
    assert health_of_second["instance"] in {instance_of(row["claimed_by"]) for row in rows}


def test_a_leader_stopped_cleanly_hands_over_at_once(
    harness: DaemonHarness, smtp_server: MailServer, store_url: str, tmp_path: Path
) -> None:
    first, second = start_pair(harness, smtp_server, store_url, tmp_path)
    stop(first)
    wait_for(lambda: health(harness, second).get("leading"), "the second instance to lead")
    after = health(harness, second)
    assert after["leader"] == after["instance"]
    assert [i["id"] for i in after["instances"]] == [after["instance"]]
    wait_for(lambda: set(recipients(smtp_server)) == OWNERS, "every owner's digest")
    stop(second)
    assert recipients(smtp_server) == Counter(dict.fromkeys(OWNERS, 1))
