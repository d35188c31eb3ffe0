"""A channel's health problem says what the server answered in a plain sentence (its code and
text), as the bounce summary of `notifier status` does, never a Python exception's repr: a real
SMTP server on loopback refuses a mailbox, and `notifier status` and /healthz's store show it."""

from __future__ import annotations

import pytest

from notifier.channels.reasons import plain_reason
from tests.support.mailserver import StartServer
from tests.support.workspace import SmtpEnv, Workspace

from .test_reminder_cli import AS_OF

ANSWER = "550 5.1.1 <dara.okafor@example.com>: mailbox unavailable"


def test_the_dispatch_problem_gives_the_servers_answer_without_a_repr(
    workspace: Workspace, start_mail_server: StartServer, smtp_env: SmtpEnv
) -> None:
    server = start_mail_server("starttls", auth=True)
    server.handler.refuse_recipients["dara.okafor@example.com"] = ANSWER
    smtp_env(server)
    assert workspace.cli("remind", "--as-of", AS_OF).code == 1

    status = workspace.cli("status", "--as-of", AS_OF)

    [dispatch] = [line for line in status.out.splitlines() if "dispatch" in line]
    assert "first: dara.okafor@example.com: " in dispatch, status.out
    assert ANSWER in dispatch, dispatch
    assert "SMTPRecipientRefused" not in dispatch
    assert "', '" not in dispatch  # no tuple of a repr around the answer


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (
            "recipients refused: [SMTPRecipientRefused(550, '5.1.1 <a@example.com>: "
            "mailbox unavailable', 'a@example.com')]",
            "550 5.1.1 <a@example.com>: mailbox unavailable",
        ),
        ("SMTPResponseException((554, b'5.7.1 rejected'))", "554 5.7.1 rejected"),
        (
            "SMTP server answered 452: 4.2.2 mailbox full",
            "SMTP server answered 452: 4.2.2 mailbox full",
        ),
        ("webhook answered 503:\n  busy", "webhook answered 503: busy"),
        ("x" * 300, "x" * 200),
        ("", "no reason given"),
    ],
)
def test_a_stored_error_reads_as_a_sentence(error: str, said: str) -> None:
    assert plain_reason(error) == said
