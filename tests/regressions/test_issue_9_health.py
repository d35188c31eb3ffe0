"""Issue 9: health tells the truth. What `notifier remind` finds (an unreachable mail server, a
round cut short, an unusable event, reminders left unsent) is recorded in the store;
`notifier status` prints it and exits 1 while anything is wrong, and 0 once it is over.
(/healthz reads the same records: tests/daemon/test_daemon_health.py.)"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from notifier.channels.health import counting
from notifier.store.problems import HealthProblem
from tests.support.mailserver import MailServer
from tests.support.processes import free_port
from tests.support.workspace import Workspace

LATER = "2027-07-03T09:00:00+02:00"  # four owners have reminders due then


def point_smtp_at(monkeypatch: pytest.MonkeyPatch, port: int) -> None:
    monkeypatch.setenv("NOTIFIER_SMTP__HOST", "127.0.0.1")
    monkeypatch.setenv("NOTIFIER_SMTP__PORT", str(port))
    monkeypatch.setenv("NOTIFIER_SMTP__TLS", "none")
    monkeypatch.setenv("NOTIFIER_SMTP__SENDER", "gpai-notifier@example.com")
    monkeypatch.setenv("NOTIFIER_SMTP__TIMEOUT_SECONDS", "5")


def test_with_nothing_wrong_status_says_ok_and_exits_0(workspace: Workspace) -> None:
    assert workspace.cli("remind", "--as-of", LATER).code == 0

    status = workspace.cli("status", "--as-of", LATER)

    assert status.code == 0, status.out
    assert "Health: ok" in status.out
    assert "Daemon: not running" in status.out


def test_an_unreachable_mail_server_degrades_health_until_a_message_goes_through(
    workspace: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    start_mail_server: Callable[..., MailServer],
) -> None:
    port = free_port()  # nothing listens there yet
    point_smtp_at(monkeypatch, port)

    down = workspace.cli("remind", "--as-of", LATER)
    assert down.code == 1
    assert "the mail server cannot be reached" in down.out

    status = workspace.cli("status", "--as-of", LATER)
    assert status.code == 1
    assert "Health: degraded" in status.out
    assert "mail since" in status.out
    assert "cannot be reached" in status.out
    assert "dispatch since" in status.out
    # The example register's reminders at LATER include steps due since 20 November.
    # 2026-11-21: orion-xl's Art 52(5) right opens the day after the six months (REFERENCE L9)
    assert "unsent since 2026-11-21T09:00:00+01:00" in status.out

    server = start_mail_server(port=port)
    up = workspace.cli("remind", "--as-of", LATER)
    assert up.code == 0, up.out
    assert len({r for m in server.handler.messages() for r in m.rcpt_tos}) == 4

    after = workspace.cli("status", "--as-of", LATER)
    assert after.code == 0, after.out
    assert "Health: ok" in after.out


def test_an_unusable_event_degrades_health_and_voiding_it_ends_that(
    workspace: Workspace,
) -> None:
    workspace.record_unreadable_incident()

    reminded = workspace.cli("remind", "--as-of", LATER)
    assert reminded.code == 0, reminded.err
    assert len(list(workspace.outbox.glob("*.eml"))) == 4  # everyone else, as without it

    status = workspace.cli("status", "--as-of", LATER)
    assert status.code == 1
    assert "unusable since" in status.out
    assert "event incident-7: its items could not be computed" in status.out

    voided = workspace.cli("event", "void", "incident-7", "--reason", "typo in an old version")
    assert voided.code == 0, voided.err
    assert workspace.cli("status", "--as-of", LATER).code == 0
    assert workspace.cli("remind", "--as-of", LATER).code == 0
    assert workspace.cli("status", "--as-of", LATER).code == 0


@pytest.mark.parametrize(("late_minutes", "counts"), [(29, False), (30, True), (600, True)])
def test_reminders_left_unsent_count_once_the_oldest_is_alert_after_minutes_late(
    late_minutes: int, counts: bool
) -> None:
    now = datetime(2027, 7, 3, 9, 0, tzinfo=UTC)
    unsent = HealthProblem("unsent", now - timedelta(minutes=late_minutes), "3 reminder(s)")
    other = HealthProblem("mail", now, "the mail server cannot be reached")

    found = counting([unsent, other], now, alert_after_minutes=30)

    assert found == ([unsent, other] if counts else [other])
