"""Serious incidents: Code Measure 9.3/9.4 clocks for signatories, Art 55(1)(c) for others."""

from __future__ import annotations

from datetime import date

import pytest

from notifier.core.events import Incident, IncidentType, NotificationSent
from notifier.core.items import Item
from notifier.core.timeline import DoneMark
from tests.conftest import MakeRegister, MakeTimeline

SYSTEMIC = {
    "id": "frontier",
    "placed_on_market": date(2026, 1, 12),
    "training_compute_flop": 3e25,
    "threshold_known_on": date(2025, 10, 1),
}
AS_OF = date(2026, 11, 24)


def incident_items(items: list[Item], event_id: str = "incident-1") -> dict[str, Item]:
    return {i.rule: i for i in items if f"/{event_id}/" in i.id and "@" not in i.id}


@pytest.mark.parametrize(
    ("incident_type", "days"),
    [("critical-infrastructure", 2), ("cybersecurity", 5), ("death", 10), ("other-harm", 15)],
)
def test_the_initial_report_is_due_2_5_10_or_15_calendar_days_after_awareness(
    make_register: MakeRegister,
    make_timeline: MakeTimeline,
    incident_type: IncidentType,
    days: int,
) -> None:
    register = make_register(SYSTEMIC)
    incident = Incident("incident-1", "frontier", incident_type, date(2026, 11, 20))
    items = incident_items(make_timeline(register, AS_OF, events=[incident]).all_items())

    initial = items["cop-ss-9-3-initial-report"]
    assert initial.due is not None
    assert (initial.due - date(2026, 11, 20)).days == days
    assert initial.citation == "Code of Practice, Safety and Security, Measure 9.3"
    assert initial.basis == "code"
    assert initial.id == "frontier/incident-1/cop-ss-9-3-initial-report"


def test_a_death_the_model_was_involved_in_known_on_20_november_is_reported_by_30_november(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    incident = Incident("incident-1", "frontier", "death", date(2026, 11, 20))
    items = incident_items(
        make_timeline(make_register(SYSTEMIC), AS_OF, events=[incident]).all_items()
    )

    assert items["cop-ss-9-3-initial-report"].due == date(2026, 11, 30)
    assert items["cop-ss-9-3-initial-report"].status == "due-soon"


def test_incident_periods_are_calendar_days_across_a_weekend(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    # Aware on Friday 2026-11-27: two days later is Sunday, not the next business day.
    incident = Incident("incident-1", "frontier", "critical-infrastructure", date(2026, 11, 27))
    items = incident_items(
        make_timeline(make_register(SYSTEMIC), date(2026, 11, 27), events=[incident]).all_items()
    )

    assert items["cop-ss-9-3-initial-report"].due == date(2026, 11, 29)
    assert date(2026, 11, 29).weekday() == 6


def test_incident_periods_ignore_the_daylight_saving_change(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    # Brussels leaves summer time on 2026-10-25: five calendar days stay five dates.
    incident = Incident("incident-1", "frontier", "cybersecurity", date(2026, 10, 23))
    items = incident_items(
        make_timeline(make_register(SYSTEMIC), date(2026, 10, 23), events=[incident]).all_items()
    )

    assert items["cop-ss-9-3-initial-report"].due == date(2026, 10, 28)


def test_intermediate_reports_follow_every_4_weeks_from_the_initial_report_as_made(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    incident = Incident("incident-1", "frontier", "death", date(2026, 11, 20))
    done = {"frontier/incident-1/cop-ss-9-3-initial-report": [DoneMark(date(2026, 11, 25))]}
    items = incident_items(
        make_timeline(make_register(SYSTEMIC), AS_OF, events=[incident], done=done).all_items()
    )

    assert items["cop-ss-9-3-initial-report"].status == "done"
    assert items["cop-ss-9-3-intermediate-report"].due == date(2026, 12, 23)


def test_a_resolved_incident_has_a_final_report_60_days_later_and_no_more_intermediates(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    incident = Incident(
        "incident-1", "frontier", "other-harm", date(2026, 9, 1), resolved_on=date(2026, 10, 10)
    )
    items = incident_items(
        make_timeline(make_register(SYSTEMIC), AS_OF, events=[incident]).all_items()
    )

    assert items["cop-ss-9-3-final-report"].due == date(2026, 12, 9)
    assert "cop-ss-9-3-intermediate-report" not in items
    # L6: 5 years from the final report as due (2026-10-10 + 60 days = 2026-12-09)
    assert items["cop-ss-9-4-incident-retention"].due == date(2031, 12, 9)


def test_an_unresolved_incidents_final_report_has_no_date_yet(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    incident = Incident("incident-1", "frontier", "death", date(2026, 11, 20))
    items = incident_items(
        make_timeline(make_register(SYSTEMIC), AS_OF, events=[incident]).all_items()
    )

    assert items["cop-ss-9-3-final-report"].due is None
    assert items["cop-ss-9-3-final-report"].status == "standing"


def test_a_non_signatory_reports_without_undue_delay_under_art_55_and_no_code_periods(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register(SYSTEMIC, safety_and_security="not_signed")
    incident = Incident("incident-1", "frontier", "death", date(2026, 11, 20))
    items = incident_items(make_timeline(register, AS_OF, events=[incident]).all_items())

    assert set(items) == {"art-55-1-c-incident-report"}
    assert items["art-55-1-c-incident-report"].status == "standing"
    assert items["art-55-1-c-incident-report"].citation == "AI Act Art 55(1)(c)"


def test_an_incident_on_a_model_without_systemic_risk_starts_no_clock_but_a_notice(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    # Changed by issue 10 (reference K6): no Code or Art 55 clock for a non-systemic model.
    register = make_register({"id": "small", "placed_on_market": date(2026, 1, 12)})
    incident = Incident("incident-1", "small", "death", date(2026, 11, 20))
    items = incident_items(make_timeline(register, AS_OF, events=[incident]).all_items())

    assert set(items) == {"incident-no-systemic-risk"}
    assert "only relevant" in items["incident-no-systemic-risk"].description


def test_an_event_for_a_model_no_longer_in_the_register_is_a_finding_not_an_error(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    incident = Incident("incident-1", "gone", "death", date(2026, 11, 20))
    result = make_timeline(make_register(SYSTEMIC), AS_OF, events=[incident])

    assert any("incident-1" in f and "'gone'" in f for f in result.findings)


def test_a_recorded_notification_meets_art_52_1_and_moves_the_framework_confirmation(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    planned = {
        "id": "next",
        "planned_placement": date(2027, 6, 15),
        "training_compute_flop": 3e25,
        "threshold_known_on": date(2026, 12, 1),
    }
    register = make_register(planned)
    before = {i.rule: i for i in make_timeline(register, AS_OF).all_items() if i.model == "next"}
    sent = NotificationSent("notification-1", "next", date(2026, 12, 3))
    after = {
        i.rule: i
        for i in make_timeline(register, date(2026, 12, 4), events=[sent]).all_items()
        if i.model == "next"
    }

    assert before["cop-ss-1-1-framework-confirmation"].due == date(2027, 1, 12)
    assert after["art-52-1-notification"].status == "done"
    assert after["art-52-1-notification"].done_on == date(2026, 12, 3)
    assert after["cop-ss-1-1-framework-confirmation"].due == date(2026, 12, 31)
