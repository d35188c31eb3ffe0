"""Issue 23's acceptance, with `notifier run` as a real process: a model's `placed_on_market`
changed in the register while the daemon runs reaches the owners in one message within one
reload, listing each moved item with its old and new due date and the register line;
`notifier changes --format json` lists the same moves; a reload without a change sends nothing."""

from __future__ import annotations

import json
import signal
import subprocess
from datetime import date
from pathlib import Path

import pytest

from tests.support.mailserver import MailServer
from tests.support.processes import DaemonHarness, cli_process, free_port, wait_for, write_config
from tests.support.registers import register_toml

pytestmark = pytest.mark.process

CLOCK_START = "2027-07-03T09:00:30+02:00"
BEFORE = {"id": "orion", "placed_on_market": date(2026, 10, 5)}
AFTER = {"id": "orion", "placed_on_market": date(2026, 9, 7)}


def bodies(server: MailServer) -> list[str]:
    found = []
    for received in server.handler.messages():
        body = received.message.get_body(("plain",))
        assert body is not None
        found.append(body.get_content())
    return found


def dispatched_at(harness: DaemonHarness, process: subprocess.Popen[bytes]) -> str:
    last = (harness.health(process) or {}).get("last_dispatch") or {}
    return str(last.get("at") or "")


def test_a_register_edit_while_running_tells_the_owners_once_with_the_line(
    harness: DaemonHarness, smtp_server: MailServer, tmp_path: Path
) -> None:
    register = tmp_path / "register.toml"
    register.write_text(register_toml(BEFORE), encoding="utf-8")
    process = harness.start(CLOCK_START, register=register)
    wait_for(lambda: dispatched_at(harness, process), "the first round (what people are shown)")
    first = len(bodies(smtp_server))

    text = register_toml(AFTER)
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t.startswith("placed_on_market"))
    register.write_text(text, encoding="utf-8")
    wait_for(
        lambda: any("Moved:" in b for b in bodies(smtp_server)[first:]),
        "the owners to be told what moved",
    )
    moved_messages = [b for b in bodies(smtp_server)[first:] if "Moved:" in b]
    assert len(moved_messages) == 1
    (message,) = moved_messages

    listed = subprocess.run(
        cli_process("changes", "--format", "json", config=harness.config, register=register),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    moves = json.loads(listed.stdout)
    assert moves, "the register edit moved nothing"
    for move in moves:
        assert move["cause"]["kind"] == "register"
        assert move["cause"]["ref"] == f"{register}:{line}"
        assert move["old_due"] > move["new_due"]  # earlier: told at once
        # each moved item is in the one message, from its old to its new date, with the line
        assert f"from {move['old_due']} to {move['new_due']}" in message
    assert f"{register}:{line}" in message.replace("=\n", "")
    told_items = message.count("Moved:")
    assert told_items == len(moves)

    # A second reload without a change sends nothing.
    count = len(bodies(smtp_server))
    process.send_signal(signal.SIGHUP)
    seen = dispatched_at(harness, process)
    wait_for(lambda: dispatched_at(harness, process) != seen, "a round after the reload")
    seen = dispatched_at(harness, process)
    wait_for(lambda: dispatched_at(harness, process) != seen, "another round")
    assert len(bodies(smtp_server)) == count


def test_two_daemons_tell_each_move_once_also_when_the_leader_stops(
    harness: DaemonHarness, smtp_server: MailServer, store_url: str, tmp_path: Path
) -> None:
    register = tmp_path / "register.toml"
    register.write_text(register_toml(BEFORE), encoding="utf-8")
    first = harness.start(CLOCK_START, register=register)
    wait_for(lambda: (harness.health(first) or {}).get("leading"), "the first instance to lead")
    port = free_port()
    config = write_config(
        tmp_path,
        port,
        smtp_server.port,
        store_url,
        name="second.toml",
        calendars_dir=tmp_path / "second-machine" / "calendars",
    )
    second = harness.start(CLOCK_START, register=register, config=config, http_port=port)
    wait_for(lambda: dispatched_at(harness, first), "the first round (what people are shown)")

    register.write_text(register_toml(AFTER), encoding="utf-8")
    wait_for(
        lambda: any("Moved:" in b for b in bodies(smtp_server)),
        "the owners to be told what moved",
    )
    # The leader stops; the other takes over and runs its own rounds on the same store.
    first.send_signal(signal.SIGTERM)
    assert first.wait(timeout=60) == 0
    wait_for(lambda: (harness.health(second) or {}).get("leading"), "the second to lead")
    seen = dispatched_at(harness, second)
    wait_for(lambda: dispatched_at(harness, second) != seen, "a round of the new leader")
    seen = dispatched_at(harness, second)
    wait_for(lambda: dispatched_at(harness, second) != seen, "another round")

    told = [b for b in bodies(smtp_server) if "Moved:" in b]
    assert len(told) == 1
    # each moved item once in it
    items = [line for line in told[0].splitlines() if "/items/orion/" in line]
    assert items
    assert len(items) == len(set(items))
