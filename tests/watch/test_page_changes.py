"""A watched page on a local server: the first check is a baseline, an unchanged page (asked
for conditionally) is no change, and a changed page is exactly one finding with its audit entry.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

from notifier.context import Context
from notifier.store import watch as watch_state

from .conftest import MORNING, WatchRun, Workspace, watch_and_announce
from .pageserver import PageServer

REVISED = "<html><body><p>Code of Practice, version 2</p></body></html>"


def test_the_first_successful_check_is_a_baseline_not_a_change(
    workspace: Workspace, code_page: PageServer
) -> None:
    report = workspace.watch()

    assert [o.status for o in report.outcomes] == ["baseline"]
    assert workspace.findings() == []
    assert workspace.audit() == []
    assert workspace.mails() == []
    state = workspace.state("code-text")
    assert state.etag == code_page.page.current_etag
    assert state.content_hash is not None
    assert state.checked_at == MORNING


def test_an_unchanged_page_is_asked_for_conditionally_and_is_no_change(
    workspace: Workspace, code_page: PageServer
) -> None:
    workspace.watch()
    report = workspace.watch(MORNING + timedelta(days=1))

    assert [o.status for o in report.outcomes] == ["unchanged"]
    second = code_page.page.exchanges[1]
    assert second.headers["if-none-match"] == code_page.page.current_etag
    assert second.status == 304
    assert workspace.findings() == []
    assert workspace.audit() == []
    assert workspace.mails() == []


def test_last_modified_is_sent_back_as_if_modified_since(
    workspace: Workspace, code_page: PageServer
) -> None:
    code_page.page.etag = False
    code_page.page.last_modified = "Thu, 10 Jul 2025 08:00:00 GMT"

    workspace.watch()
    report = workspace.watch(MORNING + timedelta(days=1))

    assert [o.status for o in report.outcomes] == ["unchanged"]
    second = code_page.page.exchanges[1]
    assert second.headers["if-modified-since"] == "Thu, 10 Jul 2025 08:00:00 GMT"
    assert "if-none-match" not in second.headers
    assert code_page.page.answered() == [200, 304]


def test_the_same_content_served_in_full_again_is_no_change(
    workspace: Workspace, code_page: PageServer
) -> None:
    code_page.page.etag = False  # no validators: every check downloads the page

    workspace.watch()
    report = workspace.watch(MORNING + timedelta(days=1))

    assert code_page.page.answered() == [200, 200]
    assert [o.status for o in report.outcomes] == ["unchanged"]
    assert workspace.findings() == []


def test_a_changed_page_is_exactly_one_finding_with_one_audit_entry(
    workspace: Workspace, code_page: PageServer
) -> None:
    workspace.watch()
    code_page.page.body = REVISED
    changed_at = MORNING + timedelta(days=3)

    report = workspace.watch(changed_at)
    again = workspace.watch(changed_at + timedelta(days=1))

    assert code_page.page.answered() == [200, 200, 304]
    assert [o.status for o in report.outcomes] == ["changed"]
    assert [o.status for o in again.outcomes] == ["unchanged"]
    [finding] = workspace.findings()
    assert finding.id == "code-revision-1"
    assert (finding.source, finding.kind, finding.detected_on) == (
        "code-text",
        "code",
        date(2026, 11, 27),
    )
    assert finding.old_hash != finding.new_hash
    [entry] = workspace.audit()
    assert (entry.subject, entry.at) == ("code-revision-1", changed_at)
    assert entry.actor.startswith("watcher@")
    assert "code-text" in entry.detail


def test_each_later_change_is_a_new_finding_and_all_reach_the_timeline(
    workspace: Workspace, code_page: PageServer
) -> None:
    workspace.watch()
    code_page.page.body = REVISED
    workspace.watch(MORNING + timedelta(days=3))
    code_page.page.body = REVISED.replace("version 2", "version 3")
    workspace.watch(MORNING + timedelta(days=40))

    with workspace.context() as context:
        revisions = watch_state.code_revisions(context.store)
        list_changed = watch_state.signatory_list_changed_on(context.store)
    assert [(r.id, r.source, r.detected_on) for r in revisions] == [
        ("code-revision-1", "code-text", date(2026, 11, 27)),
        ("code-revision-2", "code-text", date(2027, 1, 3)),
    ]
    assert list_changed is None
    assert [e.subject for e in workspace.audit()] == ["code-revision-1", "code-revision-2"]


def test_a_change_is_dated_in_the_organisations_time_zone(
    workspace: Workspace, code_page: PageServer
) -> None:
    workspace.watch()
    code_page.page.body = REVISED
    late_evening_utc = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)

    workspace.watch(late_evening_utc)

    # 23:30 UTC on the 24th is 00:30 on the 25th in Brussels.
    assert [f.detected_on for f in workspace.findings()] == [date(2026, 11, 25)]


def test_markup_only_changes_are_not_a_change(workspace: Workspace, code_page: PageServer) -> None:
    code_page.page.body = (
        "<html><head><script>var build = 1;</script><style>p { color: red }</style></head>"
        "<body><p>Code of   Practice,\n version 1</p></body></html>"
    )
    workspace.watch()
    code_page.page.body = (
        "<!DOCTYPE html>\n<html>\n  <head>\n    <script>var build = 2; track();</script>\n"
        '    <style>p { color: blue }</style>\n  </head>\n  <body class="new-theme">\n'
        '    <!-- cache 7f3a -->\n    <p id="x"><span>Code</span> of&nbsp;Practice,'
        " version&#32;1</p>\n  </body>\n</html>\n"
    )

    report = workspace.watch(MORNING + timedelta(days=1))

    assert code_page.page.answered() == [200, 200]  # the ETag changed: a full download
    assert [o.status for o in report.outcomes] == ["unchanged"]
    assert workspace.findings() == []


def test_two_watchers_running_at_once_record_a_change_once(
    workspace: Workspace, code_page: PageServer
) -> None:
    workspace.watch()
    code_page.page.body = REVISED
    later = MORNING + timedelta(days=2)

    async def both(context: Context) -> list[WatchRun]:
        return list(
            await asyncio.gather(
                watch_and_announce(context, later), watch_and_announce(context, later)
            )
        )

    with workspace.context() as context:
        reports = asyncio.run(both(context))

    statuses = sorted(o.status for report in reports for o in report.outcomes)
    assert statuses == ["changed", "unchanged"]
    assert [f.id for f in workspace.findings()] == ["code-revision-1"]
    assert len(workspace.audit()) == 1


def test_moving_a_source_to_another_address_starts_a_new_baseline(
    workspace: Workspace, code_page: PageServer
) -> None:
    workspace.watch()
    code_page.page.body = REVISED
    workspace.configure({"name": "code-text", "kind": "code", "url": code_page.url + "?lang=en"})

    report = workspace.watch(MORNING + timedelta(days=1))

    assert [o.status for o in report.outcomes] == ["baseline"]
    assert "if-none-match" not in code_page.page.exchanges[1].headers
    assert workspace.findings() == []
