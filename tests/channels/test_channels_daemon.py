"""`notifier run` as a real process with every kind of channel: a chat receiver answering 500
turns /healthz 503 with a problem naming the channel (never its URL) while the other channels
are served, and it gets everything once when it answers again; a kill -9 of the daemon while a
webhook is in flight, then a restart, delivers every reminder on every channel exactly once."""

from __future__ import annotations

import signal
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.pool import NullPool
from standardwebhooks.webhooks import Webhook

from notifier.store.schema import reminder_ledger
from tests.channels.conftest import EXTRACT, KINDS, SECRET, channel_settings, chose
from tests.support.mailserver import MailServer, recipients
from tests.support.processes import DaemonHarness, wait_for
from tests.support.receivers import Receiver, receivers
from tests.support.registers import EXAMPLE_OWNERS as OWNERS
from tests.support.registers import EXAMPLE_REGISTER

pytestmark = pytest.mark.process

CLOCK_START = "2027-07-03T09:00:30+02:00"  # reminders for four people, on every channel


@pytest.fixture
def hubs() -> Iterator[dict[str, Receiver]]:
    with receivers(*KINDS) as found:
        yield found


@pytest.fixture
def register(harness: DaemonHarness, hubs: dict[str, Receiver]) -> Path:
    path = harness.workdir / "register.toml"
    path.write_text(chose(EXAMPLE_REGISTER.read_text(encoding="utf-8"), ["email", *KINDS]))
    with harness.config.open("a", encoding="utf-8") as config:
        config.write(channel_settings(hubs))
    return path


def sent_by_email(store_url: str) -> list[str]:
    """The items the e-mail digests carried: what every channel must carry, once."""
    engine = create_engine(store_url, poolclass=NullPool)
    t = reminder_ledger
    query = select(t.c.item_id).where(t.c.channel == "email", t.c.status == "sent")
    try:
        with engine.connect() as connection:
            return sorted(set(connection.scalars(query)))
    finally:
        engine.dispose()


def received(receiver: Receiver) -> list[str]:
    return sorted(i for r in receiver.accepted for i in EXTRACT[receiver.name](r.json))


def every_channel_has(hubs: dict[str, Receiver], expected: list[str]) -> bool:
    return bool(expected) and all(received(r) == expected for r in hubs.values())


def test_a_chat_receiver_answering_500_degrades_health_by_name_then_gets_everything_once(
    harness: DaemonHarness,
    smtp_server: MailServer,
    hubs: dict[str, Receiver],
    register: Path,
    store_url: str,
) -> None:
    slack = hubs["team-slack"]
    slack.default = 500
    process = harness.start(CLOCK_START, register)
    wait_for(lambda: set(recipients(smtp_server)) == OWNERS, "one digest per owner")

    def degraded() -> bool:
        answer = harness.healthz(process)
        return answer is not None and any(
            p.get("channel") == "team-slack" for p in answer[1]["problems"]
        )

    wait_for(degraded, "/healthz to name the failing channel")
    answer = harness.healthz(process)
    assert answer is not None
    code, health = answer
    assert code == 503
    [problem] = [p for p in health["problems"] if p.get("channel") == "team-slack"]
    assert problem["kind"] == "channel"
    assert "answered HTTP 500" in problem["detail"]
    assert slack.url not in str(health)
    others = {name: r for name, r in hubs.items() if name != "team-slack"}
    # What the e-mails carried, as the ledger stands once the others have it (a digest is marked
    # sent just after the server takes it: read at one moment, it may lack the last one).
    wait_for(
        lambda: every_channel_has(others, sent_by_email(store_url)),
        "the other channels to be served",
    )
    expected = sent_by_email(store_url)

    slack.default = 200
    wait_for(lambda: received(slack) == expected, "the channel to get everything when back")
    wait_for(lambda: (harness.healthz(process) or (0,))[0] == 200, "/healthz to be ok again")
    for receiver in hubs.values():
        assert Counter(received(receiver)).most_common(1)[0][1] == 1, receiver.name


def test_kill_9_mid_round_then_restart_delivers_every_reminder_on_every_channel_once(
    harness: DaemonHarness,
    smtp_server: MailServer,
    hubs: dict[str, Receiver],
    register: Path,
    store_url: str,
) -> None:
    hooks = hubs["hooks"]
    hooks.hold_at = 1  # the first webhook is in flight, unanswered, when the daemon dies
    first = harness.start(CLOCK_START, register)
    wait_for(lambda: hooks.held, "a webhook to be in flight")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    hooks.release.set()  # never answered: the receiver did not take it

    harness.start(CLOCK_START, register)
    wait_for(lambda: set(recipients(smtp_server)) == OWNERS, "every owner's digest")
    # The ledger marks a digest sent just after the server took it: read what the e-mails
    # carried as it stands when every channel has it, not at the moment the last digest arrived.
    wait_for(
        lambda: every_channel_has(hubs, sent_by_email(store_url)),
        "every channel to get every reminder",
    )
    expected = sent_by_email(store_url)
    assert recipients(smtp_server) == Counter(dict.fromkeys(OWNERS, 1))
    for receiver in hubs.values():
        assert received(receiver) == expected, receiver.name  # each once: sorted, no repeats
    verifier = Webhook(SECRET)
    for message in hooks.accepted:
        verifier.verify(message.body, message.headers)
    # The message cut off by the kill went again under the same id: a receiver may dedupe.
    assert hooks.held[0].headers["webhook-id"] in [m.headers["webhook-id"] for m in hooks.accepted]
