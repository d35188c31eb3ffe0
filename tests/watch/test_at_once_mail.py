"""A change is mailed at once, exactly once: the signatory list's to the owners of every
upstream re-verification, the Code text's (its review item) to the organisation's contacts."""

from __future__ import annotations

import socket
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from .conftest import MORNING, SHORT_TIMEOUT_SECONDS, Workspace
from .pageserver import PageServer

REVISED = "<html><body><p>Signatories: Example Upstream, Another One</p></body></html>"


@pytest.fixture
def signatory_page(workspace: Workspace, server: PageServer) -> PageServer:
    server.page.body = "<html><body><p>Signatories: Example Upstream</p></body></html>"
    workspace.configure({"name": "signatories", "kind": "signatories", "url": server.url})
    return server


def read(path: object) -> EmailMessage:
    assert hasattr(path, "read_bytes")
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_a_signatory_list_change_mails_the_upstream_re_verification_at_once_and_once(
    workspace: Workspace, signatory_page: PageServer
) -> None:
    workspace.watch()
    signatory_page.page.body = REVISED
    changed_at = MORNING + timedelta(days=2)

    report = workspace.watch(changed_at)
    workspace.watch(changed_at + timedelta(hours=1))
    workspace.watch(changed_at + timedelta(days=1))

    [finding] = workspace.findings()
    assert finding.id == "signatory-list-1"
    [announcement] = report.announcements
    assert announcement.finding == finding
    [item] = announcement.items
    assert item.rule == "review-upstream-signatory"
    assert item.due == changed_at.date()  # at once, not 30 days after last_verified
    assert [recipient for recipient, _, _ in announcement.delivery.sent] == ["legal@example.com"]
    [mail] = workspace.mails()
    message = read(mail)
    assert message["To"] == "Ana Example <legal@example.com>"
    body = message.get_body(("plain",))
    assert body is not None
    assert "notifier done support-bot/review-upstream-signatory/example-upstream" in str(
        body.get_content()
    )


def test_an_unchanged_or_failing_signatory_list_mails_nothing(
    workspace: Workspace, signatory_page: PageServer
) -> None:
    workspace.watch()
    workspace.watch(MORNING + timedelta(days=1))
    signatory_page.page.fail_with = 500
    workspace.watch(MORNING + timedelta(days=2))
    signatory_page.page.fail_with = None
    source = {"name": "signatories", "kind": "signatories", "url": signatory_page.url}
    workspace.configure(source, timeout_seconds=SHORT_TIMEOUT_SECONDS)
    signatory_page.page.hold = True  # answers only after the watcher's 0.5 s limit has passed
    workspace.watch(MORNING + timedelta(days=3))

    assert signatory_page.page.answered()[:3] == [200, 304, 500]
    assert workspace.findings() == []
    assert workspace.mails() == []


def test_a_change_whose_mail_failed_is_mailed_by_a_later_check(
    workspace: Workspace, signatory_page: PageServer
) -> None:
    with socket.socket() as probe:  # a mail server that refuses connections
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    source = {"name": "signatories", "kind": "signatories", "url": signatory_page.url}
    workspace.configure(source, smtp={"host": "127.0.0.1", "port": port, "tls": "none"})
    workspace.watch()
    signatory_page.page.body = REVISED

    failed = workspace.watch(MORNING + timedelta(days=1))
    workspace.configure(source)  # the mail server is back (here: the outbox)
    retried = workspace.watch(MORNING + timedelta(days=1, hours=1))
    workspace.watch(MORNING + timedelta(days=1, hours=2))

    assert failed.delivery_failed
    assert [o.status for o in retried.outcomes] == ["unchanged"]
    [announcement] = retried.announcements
    assert announcement.finding.id == "signatory-list-1"
    assert len(announcement.delivery.sent) == 1
    assert len(workspace.mails()) == 1
    assert [f.id for f in workspace.findings()] == ["signatory-list-1"]


def test_a_code_text_change_mails_its_review_item_at_once_and_once(
    workspace: Workspace, code_page: PageServer
) -> None:
    workspace.watch()
    code_page.page.body = "<p>Code of Practice, version 2</p>"

    report = workspace.watch(MORNING + timedelta(days=2))
    workspace.watch(MORNING + timedelta(days=3))

    [announcement] = report.announcements
    [item] = announcement.items
    assert item.id == "organisation/code-revision-1/review-code-revision-change"
    assert item.due == (MORNING + timedelta(days=2 + 30)).date()
    [mail] = workspace.mails()
    assert read(mail)["To"] == "Ana Example <legal@example.com>"


def test_the_review_period_of_a_code_text_change_is_a_setting(
    workspace: Workspace, code_page: PageServer
) -> None:
    source = {"name": "code-text", "kind": "code", "url": code_page.url}
    workspace.configure(source, review_due_days=10)
    workspace.watch()
    code_page.page.body = "<p>Code of Practice, version 2</p>"

    report = workspace.watch(MORNING + timedelta(days=2))

    [announcement] = report.announcements
    assert [item.due for item in announcement.items] == [(MORNING + timedelta(days=12)).date()]
