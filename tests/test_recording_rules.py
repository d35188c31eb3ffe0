"""notifier.core.recording: the one home of what may be recorded (the CLI and the pages call
it), and the command line's use of it: same checks, same words, options named as flags."""

from __future__ import annotations

from datetime import date

import pytest

from notifier.core.events import CommissionRequest
from notifier.core.recording import (
    EventFields,
    build_event,
    done_problems,
    event_problems,
    read_date,
)
from notifier.errors import InputError
from tests.support.cli import CliResult
from tests.support.workspace import Workspace

TODAY = date(2026, 11, 24)


def test_a_done_mark_may_not_be_dated_after_today() -> None:
    assert done_problems(TODAY, TODAY) == []
    [problem] = done_problems(date(2026, 11, 25), TODAY)
    assert problem.source == "on"
    assert problem.message == (
        "2026-11-25 is later than today (2026-11-24); record what has been met, when it was met"
    )


@pytest.mark.parametrize("address", ["ftp://x", "dms/doc/1", "javascript:alert(1)", "https://"])
def test_evidence_must_be_a_web_address(address: str) -> None:
    [problem] = done_problems(TODAY, TODAY, address)
    assert problem.source == "evidence_url"


def test_every_missing_field_and_future_date_of_an_event_is_listed() -> None:
    fields = EventFields(model="m", aware_on=date(2027, 1, 1))
    problems = event_problems("incident", fields, TODAY)
    assert [(p.source, p.message[:20]) for p in problems] == [
        ("type", "required for 'event "),
        ("aware_on", "2027-01-01 is later "),
    ]


def test_a_commission_request_takes_its_due_date_from_the_period() -> None:
    fields = EventFields(received_on=date(2026, 11, 2), period_days=14)
    event = build_event("commission-request", fields, "commission-request-1", TODAY)
    assert isinstance(event, CommissionRequest)
    assert event.due == date(2026, 11, 16)
    with pytest.raises(InputError, match="no period a request sets"):
        build_event(
            "commission-request",
            EventFields(received_on=date(2026, 11, 2), period_days=-3),
            "commission-request-1",
            TODAY,
        )
    with pytest.raises(InputError, match="before --received-on"):
        build_event(
            "commission-request",
            EventFields(received_on=date(2026, 11, 2), due=date(2026, 11, 1)),
            "commission-request-1",
            TODAY,
        )


def test_a_date_is_read_as_iso_or_refused_with_the_field_named() -> None:
    assert read_date("on", " 2026-11-20 ") == date(2026, 11, 20)
    with pytest.raises(InputError) as refused:
        read_date("aware_on", "20/11/2026")
    assert str(refused.value.problems[0]) == "aware_on: '20/11/2026' is not a date like 2026-11-24"


def test_the_command_line_names_the_fields_as_its_options(workspace: Workspace) -> None:
    result: CliResult = workspace.cli(
        "event", "add", "commission-request", "--received-on", "2026-11-02"
    )
    assert result.code == 2
    assert "--period-days/--due: give the period the request sets" in result.err
    done = workspace.cli("done", "organisation/nope", "--evidence-url", "not a url")
    assert done.code == 2
    assert "--evidence-url: 'not a url' is not a web address" in done.err


def test_the_command_line_records_an_evidence_address(workspace: Workspace) -> None:
    item = "organisation/aia-chapters-i-ii-apply"
    url = "https://dms.example.com/doc/7"
    result = workspace.cli("done", item, "--on", "2025-02-02", "--evidence-url", url)
    assert result.code == 0, result.err
    audit = workspace.cli("audit").out
    assert f"(evidence: {url})" in audit
