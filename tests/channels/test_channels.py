"""Reminders on Slack-, Teams-, ntfy-shaped receivers and a signed webhook, by `notifier
remind` against real local HTTP servers: each reminder once per channel however many people
chose it, a receiver that fails is left for the round (the others go on) and named in health,
a 4xx is permanent, a 429 or 5xx retried, and every webhook body verifies with the Standard
Webhooks reference library."""

from __future__ import annotations

from collections import Counter

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from tests.channels.conftest import AS_OF, EXTRACT, SECRET
from tests.support.receivers import Receiver, restart
from tests.support.workspace import Workspace


def planned_items(workspace: Workspace) -> list[str]:
    """The items the e-mail digests carried (every person's, once each): what each channel
    must carry too, read from the ledger."""
    rows = [r for r in workspace.ledger() if r["channel"] == "email" and r["status"] == "sent"]
    return sorted({r["item_id"] for r in rows})


def received(hubs: dict[str, Receiver], name: str) -> list[str]:
    return sorted(item for r in hubs[name].accepted for item in EXTRACT[name](r.json))


def test_every_reminder_reaches_every_channel_once_however_many_chose_it(
    workspace: Workspace, hubs: dict[str, Receiver]
) -> None:
    first = workspace.cli("remind", "--as-of", AS_OF)
    assert first.code == 0, first.out + first.err
    expected = planned_items(workspace)
    # 47 items before rows L10 (E2: public contact details when placing, Transparency Measure
    # 1.2, four models) and L4 (orion-xl's later version: Model Report updated, Measure 7.6);
    # some items go to two people by e-mail
    assert len(expected) == 52
    for name in hubs:
        assert received(hubs, name) == expected, name
        assert Counter(received(hubs, name)).most_common(1)[0][1] == 1

    again = workspace.cli("remind", "--as-of", AS_OF)
    assert "nothing to send" in again.out
    for name in hubs:
        assert received(hubs, name) == expected, name


def test_each_signed_body_verifies_with_the_reference_library(
    workspace: Workspace, hubs: dict[str, Receiver]
) -> None:
    assert workspace.cli("remind", "--as-of", AS_OF).code == 0
    verifier = Webhook(SECRET)
    messages = hubs["hooks"].accepted
    assert messages
    for message in messages:
        body = verifier.verify(message.body, message.headers)
        assert body["type"] == "reminders.due"
        for item in body["data"]["items"]:
            assert {"id", "model", "title", "due", "status", "url"} <= set(item)
            assert item["url"].endswith("/items/" + item["id"])
    ids = [m.headers["webhook-id"] for m in messages]
    assert len(set(ids)) == len(ids)
    forged = messages[0].body.replace(b"overdue", b"upcoming")
    with pytest.raises(WebhookVerificationError, match="No matching signature"):
        verifier.verify(forged, messages[0].headers)


def test_no_message_carries_a_secret(workspace: Workspace, hubs: dict[str, Receiver]) -> None:
    assert workspace.cli("remind", "--as-of", AS_OF).code == 0
    for receiver in hubs.values():
        for message in receiver.accepted:
            assert SECRET.encode() not in message.body
            assert b"whsec_" not in message.body


def test_a_receiver_answering_500_is_left_named_in_health_then_gets_everything_once(
    workspace: Workspace, hubs: dict[str, Receiver]
) -> None:
    slack = hubs["team-slack"]
    slack.default = 500
    first = workspace.cli("remind", "--as-of", AS_OF)
    assert first.code == 1
    assert slack.requests == 1  # fast-fail: the channel is left after its first failure
    expected = planned_items(workspace)
    for name in ("team-teams", "phones", "hooks"):  # the other channels are unaffected
        assert received(hubs, name) == expected, name

    status = workspace.cli("status", "--as-of", AS_OF)
    assert status.code == 1
    assert "Health: degraded" in status.out
    assert "channel 'team-slack' cannot take messages: answered HTTP 500" in status.out
    assert slack.url not in status.out + status.err
    assert "127.0.0.1" not in status.out.split("Health:")[1]

    slack.default = 200
    second = workspace.cli("remind", "--as-of", AS_OF)
    assert second.code == 0, second.out
    assert received(hubs, "team-slack") == expected
    assert "channel 'team-slack'" not in workspace.cli("status", "--as-of", AS_OF).out


def test_a_receiver_that_is_down_is_left_then_gets_everything_once(
    workspace: Workspace, hubs: dict[str, Receiver]
) -> None:
    teams = hubs["team-teams"]
    teams.stop()
    first = workspace.cli("remind", "--as-of", AS_OF)
    assert first.code == 1
    expected = planned_items(workspace)
    assert received(hubs, "hooks") == expected
    status = workspace.cli("status", "--as-of", AS_OF)
    assert "channel 'team-teams' cannot take messages: cannot be reached" in status.out

    restart(teams)
    assert workspace.cli("remind", "--as-of", AS_OF).code == 0
    assert received(hubs, "team-teams") == expected
    assert teams.refused == []


def test_a_4xx_is_permanent_and_never_retried(
    workspace: Workspace, hubs: dict[str, Receiver]
) -> None:
    phones = hubs["phones"]
    phones.default = 404
    first = workspace.cli("remind", "--as-of", AS_OF)
    assert first.code == 1
    assert phones.requests == 3  # 52 reminders, 20 per ntfy message: each refused for good
    assert "permanently failed to #phones" in first.out
    workspace.cli("remind", "--as-of", AS_OF)
    assert phones.requests == 3
    status = workspace.cli("status", "--as-of", AS_OF)
    assert "Permanent failures (52)" in status.out
    assert "answered HTTP 404: refused for good" in status.out


def test_a_429_is_retried_at_the_next_round(
    workspace: Workspace, hubs: dict[str, Receiver]
) -> None:
    hooks = hubs["hooks"]
    hooks.statuses = [429]
    assert workspace.cli("remind", "--as-of", AS_OF).code == 1
    assert (hooks.requests, hooks.accepted) == (1, [])
    refused_id = hooks.refused[0][1].headers["webhook-id"]
    assert workspace.cli("remind", "--as-of", AS_OF).code == 0
    assert received(hubs, "hooks") == planned_items(workspace)
    # The retried message keeps its id, so a receiver that saw it can tell.
    assert refused_id in [m.headers["webhook-id"] for m in hooks.accepted]


def test_an_urgent_event_reaches_every_channel_of_the_owners_at_once(
    workspace: Workspace, hubs: dict[str, Receiver]
) -> None:
    added = workspace.cli(
        "event", "add", "incident", "--model", "titan-1", "--type", "death",
        "--aware-on", "2026-11-23", "--as-of", "2026-11-24T15:00:00+01:00",
    )  # fmt: skip
    assert added.code == 0, added.out + added.err
    assert "Posted to channel 'team-slack' at once" in added.out
    for name in hubs:
        items = received(hubs, name)
        assert items, name
        assert all("/incident-" in item for item in items), name
