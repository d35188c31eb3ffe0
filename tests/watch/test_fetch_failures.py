"""A failing source (server error, time-out, refused connection, undecodable page) is recorded
and logged, and is never a change: not while it fails, and not when it recovers."""

from __future__ import annotations

import logging
import socket
from datetime import timedelta

import pytest

from .conftest import MORNING, SHORT_TIMEOUT_SECONDS, Workspace
from .pageserver import PageServer


def test_a_server_error_is_recorded_and_is_no_change(
    workspace: Workspace, code_page: PageServer, caplog: pytest.LogCaptureFixture
) -> None:
    workspace.watch()
    code_page.page.fail_with = 500
    code_page.page.body = "<p>whatever the page says now</p>"

    with caplog.at_level(logging.WARNING, logger="notifier.watch.run"):
        report = workspace.watch(MORNING + timedelta(days=1))

    [outcome] = report.outcomes
    assert outcome.status == "error"
    assert "500" in outcome.error
    assert report.all_failed
    assert workspace.findings() == []
    assert workspace.mails() == []
    state = workspace.state("code-text")
    assert (state.failures, state.checked_at) == (1, MORNING + timedelta(days=1))
    assert state.last_error is not None
    assert "500" in state.last_error
    assert state.last_success_at == MORNING
    assert any("code-text" in r.getMessage() and "500" in r.getMessage() for r in caplog.records)


def test_a_server_slower_than_the_time_limit_is_recorded_and_is_no_change(
    workspace: Workspace, code_page: PageServer
) -> None:
    workspace.watch()
    source = {"name": "code-text", "kind": "code", "url": code_page.url}
    workspace.configure(source, timeout_seconds=SHORT_TIMEOUT_SECONDS)
    code_page.page.hold = True  # answers only after the watcher's 0.5 s limit has passed
    code_page.page.body = "<p>a revision that arrives too late</p>"

    report = workspace.watch(MORNING + timedelta(days=1))

    [outcome] = report.outcomes
    assert outcome.status == "error"
    assert "no answer in time" in outcome.error
    assert workspace.findings() == []
    assert workspace.state("code-text").failures == 1


def test_a_refused_connection_is_recorded_and_is_no_change(workspace: Workspace) -> None:
    with socket.socket() as probe:  # a port that nothing listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    workspace.configure({"name": "code-text", "kind": "code", "url": f"http://127.0.0.1:{port}/"})

    report = workspace.watch()

    [outcome] = report.outcomes
    assert outcome.status == "error"
    assert "ConnectError" in outcome.error
    assert workspace.findings() == []
    assert workspace.state("code-text").content_hash is None  # no baseline from a failure


@pytest.mark.parametrize(
    ("body", "content_type", "error"),
    [
        pytest.param(
            "<p>Code of Practice, révisé</p>".encode("latin-1"),  # says utf-8
            None,
            "not valid utf-8 (byte 22)",
            id="a-page-that-is-not-valid-in-its-declared-encoding",
        ),
        pytest.param(
            "<p>Code of Practice, version 2</p>",
            "text/html; charset=no-such-charset",
            "unknown character encoding 'no-such-charset'",
            id="a-page-in-an-unknown-encoding",
        ),
        pytest.param(
            "<html><body><script>location.reload()</script></body></html>",
            None,
            "no text",
            id="a-page-with-no-text-is-not-a-revision",
        ),
    ],
)
def test_a_page_that_cannot_be_read_as_text_is_a_failure(
    workspace: Workspace,
    code_page: PageServer,
    body: str | bytes,
    content_type: str | None,
    error: str,
) -> None:
    workspace.watch()
    code_page.page.body = body
    if content_type is not None:
        code_page.page.content_type = content_type

    report = workspace.watch(MORNING + timedelta(days=1))

    [outcome] = report.outcomes
    assert outcome.status == "error"
    assert error in outcome.error
    assert workspace.findings() == []


def test_after_failures_the_next_unchanged_check_is_still_no_change(
    workspace: Workspace, code_page: PageServer
) -> None:
    workspace.watch()
    code_page.page.fail_with = 503
    workspace.watch(MORNING + timedelta(days=1))
    workspace.watch(MORNING + timedelta(days=2))
    assert workspace.state("code-text").failures == 2
    code_page.page.fail_with = None

    report = workspace.watch(MORNING + timedelta(days=3))

    assert [o.status for o in report.outcomes] == ["unchanged"]
    assert code_page.page.answered() == [200, 503, 503, 304]
    assert workspace.findings() == []
    state = workspace.state("code-text")
    assert (state.failures, state.last_error) == (0, None)


def test_a_change_made_while_the_server_failed_is_one_finding_once_it_recovers(
    workspace: Workspace, code_page: PageServer
) -> None:
    workspace.watch()
    code_page.page.fail_with = 500
    code_page.page.body = "<p>Code of Practice, version 2</p>"
    workspace.watch(MORNING + timedelta(days=1))
    code_page.page.fail_with = None

    report = workspace.watch(MORNING + timedelta(days=2))
    workspace.watch(MORNING + timedelta(days=3))

    assert [o.status for o in report.outcomes] == ["changed"]
    assert [f.id for f in workspace.findings()] == ["code-revision-1"]


def test_one_failing_source_does_not_stop_the_others(
    workspace: Workspace, server: PageServer, tmp_path_factory: pytest.TempPathFactory
) -> None:
    text = tmp_path_factory.mktemp("sources") / "signatories.txt"
    text.write_text("Example Upstream\n", encoding="utf-8")
    workspace.configure(
        {"name": "code-text", "kind": "code", "url": server.url},
        {"name": "signatories", "kind": "signatories", "path": str(text)},
    )
    server.page.fail_with = 502

    report = workspace.watch()

    assert [(o.source.name, o.status) for o in report.outcomes] == [
        ("code-text", "error"),
        ("signatories", "baseline"),
    ]
    assert not report.all_failed
