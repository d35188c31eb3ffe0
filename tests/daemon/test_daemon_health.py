"""Issue 9: /healthz tells the truth on a running daemon. 503 and the problem while the mail
server is gone, or while a reload is refused; 200 once it is over; and nothing lost or sent
twice meanwhile."""

from __future__ import annotations

import signal
import subprocess
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from tests.support.mailserver import MailServer
from tests.support.processes import DaemonHarness, wait_for
from tests.support.registers import EXAMPLE_OWNERS as OWNERS
from tests.support.registers import EXAMPLE_REGISTER as REGISTER
from tests.support.stores import ledger_rows

pytestmark = pytest.mark.process

CLOCK_START = "2027-07-03T09:00:30+02:00"  # four owners have reminders due
BEFORE_NINE = "2027-07-03T08:59:55+02:00"
NINE = datetime.fromisoformat("2027-07-03T09:00:00+02:00")
ROUND_SECONDS = 60  # the bound for a round that meets an outage


def kinds(harness: DaemonHarness, process: subprocess.Popen[bytes]) -> tuple[int, set[str]]:
    """/healthz's HTTP status and the kinds of problem it names (0 while nothing answers)."""
    answer = harness.healthz(process)
    if answer is None:
        return 0, set()
    code, body = answer
    return code, {problem["kind"] for problem in body["problems"]}


def test_the_mail_server_vanishing_mid_dispatch_is_503_then_all_go_once_when_it_returns(
    harness: DaemonHarness,
    smtp_server: MailServer,
    start_mail_server: Callable[..., MailServer],
) -> None:
    port = smtp_server.port
    smtp_server.handler.hold_message_number = 2
    process = harness.start(CLOCK_START)
    wait_for(smtp_server.handler.holding.is_set, "the second message to be in flight")
    smtp_server.stop()  # gone mid-send: the held message never gets its 250
    smtp_server.handler.release.set()
    first = [r for m in smtp_server.handler.messages() for r in m.rcpt_tos]
    assert len(first) == 1

    wait_for(
        lambda: "mail" in kinds(harness, process)[1],
        "/healthz to say the mail server is unreachable",
        ROUND_SECONDS,
    )
    code, body = harness.healthz(process) or (0, {})
    assert code == 503
    assert body["status"] == "degraded"
    mail = next(p for p in body["problems"] if p["kind"] == "mail")
    assert "cannot be reached" in mail["detail"]
    assert "the mail server cannot be reached" in harness.log()

    back = start_mail_server(port=port)
    wait_for(
        lambda: len([r for m in back.handler.messages() for r in m.rcpt_tos]) == len(OWNERS) - 1,
        "the other digests once the server is back",
        ROUND_SECONDS,
    )
    wait_for(lambda: kinds(harness, process) == (200, set()), "/healthz to be ok again")
    everyone = first + [r for m in back.handler.messages() for r in m.rcpt_tos]
    assert Counter(everyone) == Counter(dict.fromkeys(OWNERS, 1))
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0


def test_a_poison_register_reloaded_is_refused_503_names_it_and_the_others_are_reminded(
    harness: DaemonHarness, smtp_server: MailServer, tmp_path: Path, store_url: str
) -> None:
    register = tmp_path / "register.toml"
    text = REGISTER.read_text(encoding="utf-8")
    register.write_text(text, encoding="utf-8")
    process = harness.start(BEFORE_NINE, register=register)
    wait_for(lambda: kinds(harness, process) == (200, set()), "a healthy start")

    # A date no deadline can be counted from: refused, and the register in use keeps running.
    register.write_text(
        text.replace("planned_placement = 2027-03-01", "planned_placement = 9999-12-31"),
        encoding="utf-8",
    )
    wait_for(lambda: "reload" in kinds(harness, process)[1], "the reload to be refused")
    code, body = harness.healthz(process) or (0, {})
    assert code == 503
    reload = next(p for p in body["problems"] if p["kind"] == "reload")
    assert "register.toml" in reload["detail"]
    assert "planned_placement" in reload["detail"]
    assert reload["instance"] == body["instance"]

    # The catch-up went out at start; the steps of 09:00 go out from the register in use.
    # Waited for by the round, not by counting mails from a moment: that moment may fall in the
    # catch-up (still sending at the refusal) or, on a slow machine, after the 09:00 round.
    def nine_over() -> bool:
        last = (harness.health(process) or {}).get("last_dispatch") or {}
        return bool(last.get("at")) and datetime.fromisoformat(last["at"]) >= NINE

    wait_for(nine_over, "a round begun at 09:00 or later to be over")
    at_nine = [row for row in ledger_rows(store_url) if row["scheduled_for"] == NINE]
    assert at_nine
    assert {row["status"] for row in at_nine} == {"sent"}
    mailed = {received.message_id for received in smtp_server.handler.messages()}
    assert {row["message_id"] for row in at_nine} <= mailed
    assert "reload" in kinds(harness, process)[1]

    register.write_text(text, encoding="utf-8")
    wait_for(lambda: kinds(harness, process) == (200, set()), "health after the fix")
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
