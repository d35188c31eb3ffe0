"""Code of Practice, Safety and Security chapter: only for its signatories' systemic-risk models."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from notifier.core.events import (
    EvaluatorFindings,
    Incident,
    ModelReportDelayed,
    ReferenceModelLost,
)
from notifier.core.items import Item, Timeline
from notifier.core.periods import WEEKENDS_ONLY, add_business_days, add_months
from notifier.core.timeline import DoneMark
from notifier.settings import BusinessDaySettings
from tests.support.registers import downstream_model
from tests.support.timelines import ItemsOf, TimelineOf, assert_item, assert_items, items_by_rule

CONFIRM = "cop-ss-1-1-framework-confirmation"
ACCESS = "cop-ss-1-4-framework-access"
ASSESS = "cop-ss-1-3-framework-assessment"
REPORT_UPDATE = "cop-ss-7-6-model-report-update"
RETAIN = "cop-ss-10-1-documentation-retention"
BELGIUM = BusinessDaySettings(country="BE").calendar()


def planned(threshold_known_on: date, planned_placement: date) -> dict[str, object]:
    return {
        "id": "titan",
        "planned_placement": planned_placement,
        "training_compute_flop": 2.4e25,
        "threshold_known_on": threshold_known_on,
    }


# Notified by 2026-11-25, so the Framework is confirmed by 2026-12-23 (four weeks later).
CONFIRMS_ON_23_DECEMBER = planned(date(2026, 11, 11), date(2027, 6, 15))
PLACED = {
    "id": "titan",
    "placed_on_market": date(2025, 9, 1),
    "training_compute_flop": 2.4e25,
    "threshold_known_on": date(2025, 3, 1),
}
# Placed on 2025-09-01; its systemic risk arose after placing, on 2026-01-10.
GROWN = PLACED | {
    "id": "grown",
    "training_compute_flop": 1.2e25,
    "threshold_known_on": date(2026, 1, 10),
}
# Placed on 2025-10-01 and designated after placing, on 2026-05-20.
ORION = {
    "id": "orion",
    "placed_on_market": date(2025, 10, 1),
    "training_compute_flop": 8e24,
    "systemic_risk": "designated",
    "designated_on": date(2026, 5, 20),
}


def test_a_signatorys_systemic_risk_model_has_the_safety_and_security_items_as_code_basis(
    items_of: ItemsOf,
) -> None:
    items = items_of(PLACED)
    chapter = {rule: item for rule, item in items.items() if rule.startswith("cop-ss-")}

    assert set(chapter) == {
        CONFIRM,
        ACCESS,
        "cop-ss-1-2-full-assessment",
        ASSESS,
        "cop-ss-7-model-report",
        REPORT_UPDATE,
        RETAIN,
        # L10 (D19): the check of interface-access authorisations
        "cop-ss-app-4-3-interface-access-check",
    }
    for item in chapter.values():
        assert item.basis == "code"
        assert item.citation.startswith("Code of Practice, Safety and Security, ")


def test_a_systemic_risk_model_of_a_non_signatory_has_no_safety_and_security_items(
    items_of: ItemsOf,
) -> None:
    items = items_of(PLACED, safety_and_security="not_signed")

    assert not [rule for rule in items if rule.startswith("cop-ss-")]
    assert "art-55-1-a-model-evaluation" in items


def test_a_signatorys_model_without_systemic_risk_has_no_safety_and_security_items(
    items_of: ItemsOf,
) -> None:
    model = {"id": "small", "placed_on_market": date(2025, 9, 1), "training_compute_flop": 5e24}
    items = items_of(model)

    assert not [rule for rule in items if rule.startswith("cop-ss-")]


@pytest.mark.parametrize(
    ("threshold_known_on", "placement", "confirmed_by"),
    [
        # notification 2026-11-25 + 4 weeks = 2026-12-23, before placing - 2 weeks = 2027-06-01
        (date(2026, 11, 11), date(2027, 6, 15), date(2026, 12, 23)),
        # notification 2026-12-15 + 4 weeks = 2027-01-12, after placing - 2 weeks = 2027-01-06
        (date(2026, 12, 1), date(2027, 1, 20), date(2027, 1, 6)),
    ],
)
def test_the_framework_is_confirmed_by_the_earlier_of_notification_plus_4_weeks_and_placing_less_2(
    items_of: ItemsOf,
    threshold_known_on: date,
    placement: date,
    confirmed_by: date,
) -> None:
    model = planned(threshold_known_on, placement)
    item = items_of(model)[CONFIRM]

    assert_item(item, due=confirmed_by, verification="primary")


def test_a_recorded_notification_date_replaces_the_deadline_in_measure_1_1(
    timeline_of: TimelineOf,
) -> None:
    model = planned(date(2026, 12, 1), date(2027, 6, 15))
    timeline = timeline_of(model, notifications_sent={"titan": date(2026, 12, 3)})

    assert items_by_rule(timeline)[CONFIRM].due == date(2026, 12, 31)


def test_a_notification_marked_done_counts_the_four_weeks_from_the_day_it_was_made(
    items_of: ItemsOf,
) -> None:
    model = planned(date(2026, 12, 1), date(2027, 6, 15))
    done = {"titan/art-52-1-notification": [DoneMark(date(2026, 12, 4))]}

    assert items_of(model, done=done)[CONFIRM].due == date(2027, 1, 1)


def test_a_designated_model_without_notification_confirms_two_weeks_before_placing(
    items_of: ItemsOf,
) -> None:
    model = {
        "id": "orion",
        "planned_placement": date(2027, 6, 15),
        "training_compute_flop": 8e24,
        "systemic_risk": "designated",
        "designated_on": date(2026, 10, 1),
    }

    assert items_of(model)[CONFIRM].due == date(2027, 6, 1)


@pytest.mark.parametrize(
    "placement",
    [
        date(2027, 1, 10),  # one week after the notification due 2027-01-03
        date(2027, 1, 16),  # 13 days after
        date(2027, 1, 17),  # exactly two weeks after
        date(2027, 3, 1),
    ],
)
def test_both_limits_are_upper_bounds_so_a_placing_soon_after_notifying_is_no_finding(
    timeline_of: TimelineOf, placement: date
) -> None:
    # K1: the Framework may be confirmed before notifying; placing - 2 weeks is simply the date.
    model = planned(date(2026, 12, 20), placement)
    timeline = timeline_of(model)
    item = items_by_rule(timeline)[CONFIRM]

    assert timeline.models[0].findings == ()
    due = min(date(2027, 1, 31), placement - timedelta(weeks=2))
    assert_item(item, due=due, verification="primary")
    assert "cannot" not in item.description


LEGACY_TITAN = {
    "id": "old-titan",
    "placed_on_market": date(2025, 1, 15),
    "training_compute_flop": 3e25,
    "threshold_known_on": date(2024, 6, 1),
}


def test_a_legacy_models_framework_is_due_four_weeks_after_its_notification(
    timeline_of: TimelineOf,
) -> None:
    """L2 (K1 for legacy models): notification due 2025-08-16 (K2: two weeks from 2025-08-02),
    Framework four weeks later, 2025-09-13 (inference, 2027-08-02 the later reading); access
    five business days after that Saturday: 15, 16, 17, 18, 19 September -> 2025-09-19."""
    timeline = timeline_of(LEGACY_TITAN)
    items = items_by_rule(timeline)

    assert timeline.models[0].findings == ()
    assert_item(items[CONFIRM], due=date(2025, 9, 13), verification="inference")
    assert "2027-08-02" in items[CONFIRM].description
    assert "Art 111(3)" in items[CONFIRM].description
    assert_item(items[ACCESS], due=date(2025, 9, 19), verification="inference")


def test_a_legacy_models_recorded_notification_sets_its_four_weeks(items_of: ItemsOf) -> None:
    # notified 2025-08-10 -> Framework by 2025-09-07
    items = items_of(LEGACY_TITAN, notifications_sent={"old-titan": date(2025, 8, 10)})

    assert items[CONFIRM].due == date(2025, 9, 7)


def test_a_model_systemic_after_placing_confirms_four_weeks_after_the_notification(
    items_of: ItemsOf,
) -> None:
    # K1: placed 2025-09-01, threshold known 2026-01-10, notification due 2026-01-24.
    items = items_of(GROWN)

    assert_item(items[CONFIRM], due=date(2026, 2, 21), verification="inference")
    assert "can no longer be met or missed" in items[CONFIRM].description
    # computed from an inferred date, so inferred too
    assert items[ACCESS].verification == "inference"


def test_after_placing_the_recorded_notification_sets_the_four_weeks(
    items_of: ItemsOf,
) -> None:
    sent = {"grown": date(2026, 1, 20)}
    item = items_of(GROWN, notifications_sent=sent)[CONFIRM]

    assert item.due == date(2026, 2, 17)


def test_framework_access_is_five_business_days_after_the_confirmation_date(
    items_of: ItemsOf,
) -> None:
    items = items_of(CONFIRMS_ON_23_DECEMBER, business_calendar=BELGIUM)

    confirmed = items[CONFIRM].due
    assert confirmed is not None
    assert items[ACCESS].due == add_business_days(confirmed, 5, BELGIUM)


@pytest.mark.parametrize(
    ("confirmed_on", "belgian", "weekends_only"),
    [
        # Friday 25 December 2026 (Christmas) is a Belgian public holiday
        (date(2026, 12, 23), date(2026, 12, 31), date(2026, 12, 30)),
        # Easter Monday, 29 March 2027
        (date(2027, 3, 26), date(2027, 4, 5), date(2027, 4, 2)),
    ],
)
def test_framework_access_counts_five_business_days_over_the_configured_holiday_calendar(
    items_of: ItemsOf,
    confirmed_on: date,
    belgian: date,
    weekends_only: date,
) -> None:
    done = {f"titan/{CONFIRM}": [DoneMark(confirmed_on)]}

    in_belgium = items_of(CONFIRMS_ON_23_DECEMBER, business_calendar=BELGIUM, done=done)
    plain = items_of(CONFIRMS_ON_23_DECEMBER, business_calendar=WEEKENDS_ONLY, done=done)

    assert in_belgium[CONFIRM].status == "done"
    assert in_belgium[ACCESS].due == belgian
    assert plain[ACCESS].due == weekends_only


def test_framework_access_after_a_confirmation_due_before_christmas_skips_the_holiday(
    items_of: ItemsOf,
) -> None:
    items = items_of(CONFIRMS_ON_23_DECEMBER, business_calendar=BELGIUM)

    assert items[ACCESS].due == date(2026, 12, 31)


def test_the_framework_is_assessed_12_months_and_the_model_report_updated_6_months_after_placing(
    items_of: ItemsOf,
) -> None:
    items = items_of(PLACED, as_of=date(2025, 9, 2))

    assert items[ASSESS].due == date(2026, 9, 1)
    assert items[REPORT_UPDATE].due == date(2026, 3, 1)


@pytest.mark.parametrize(("rule", "months"), [(ASSESS, 12), (REPORT_UPDATE, 6)])
def test_a_done_occurrence_of_a_recurring_measure_is_followed_by_the_next_one(
    timeline_of: TimelineOf, items_of: ItemsOf, rule: str, months: int
) -> None:
    first = items_of(PLACED)[rule]
    assert first.due is not None
    assert first.kind == "deadline"

    done = {first.id: [DoneMark(first.due)]}
    items = [i for i in timeline_of(PLACED, done=done).models[0].items if i.rule == rule]

    closed, current = items if items[0].status == "done" else reversed(items)
    assert_item(closed, id=f"{first.id}@{first.due.isoformat()}", done_on=first.due)
    assert_item(current, id=first.id, due=add_months(first.due, months))


def test_a_chapter_v_model_designated_after_placing_does_not_cite_the_art_111_3_transition(
    items_of: ItemsOf,
) -> None:
    items = items_of(ORION)

    assert_items(items, (ASSESS, REPORT_UPDATE), due=date(2026, 10, 1), verification="primary")
    for rule in (ASSESS, REPORT_UPDATE):
        assert "Art 111(3)" not in items[rule].citation, rule


def test_recurring_measures_of_a_model_designated_after_placing_start_after_the_designation(
    items_of: ItemsOf,
) -> None:
    items = items_of(ORION)

    for rule in (ASSESS, REPORT_UPDATE):
        due = items[rule].due
        assert due is not None
        assert due >= date(2026, 5, 20), rule


def test_safety_and_security_documentation_is_kept_ten_years_after_placing(
    items_of: ItemsOf,
) -> None:
    assert_item(
        items_of(PLACED)[RETAIN],
        due=date(2035, 9, 1),
        kind="milestone",
        basis="code",
        citation="Code of Practice, Safety and Security, Measure 10.1",
    )


def test_code_deadlines_before_placing_move_to_the_day_systemic_risk_arose_after_placing(
    timeline_of: TimelineOf,
) -> None:
    timeline = timeline_of(GROWN)
    items = items_by_rule(timeline)

    before_placing = ("cop-ss-1-2-full-assessment", "cop-ss-7-model-report")
    assert_items(items, before_placing, due=date(2026, 1, 10), verification="inference")
    for rule in before_placing:
        assert "Systemic risk arose on 2026-01-10" in items[rule].description, rule
    assert timeline.models[0].findings == ()


def test_items_counted_in_business_days_name_the_calendar_they_assume(
    items_of: ItemsOf,
) -> None:
    # K9: the Commission's own holidays differ from Belgium's; the default (Belgium) gives the
    # earlier dates, and every such item says which calendar it assumed.
    item = items_of(CONFIRMS_ON_23_DECEMBER, business_calendar=BELGIUM)[ACCESS]

    assert BusinessDaySettings().country == "BE"
    assert f"Business days: {BELGIUM.name}." in item.description


SYSTEMIC_PLACED = {**PLACED, "placed_on_market": date(2026, 1, 12)}


def incident_rules(timeline: Timeline, event_id: str = "incident-1") -> set[str]:
    return {i.rule for i in timeline.all_items() if i.event == event_id}


def test_incident_clocks_run_for_a_systemic_risk_model_the_organisation_provides(
    timeline_of: TimelineOf,
) -> None:
    incident = Incident("incident-1", "titan", "death", date(2026, 11, 20))
    rules = incident_rules(timeline_of(SYSTEMIC_PLACED, events=[incident]))

    assert "cop-ss-9-3-initial-report" in rules


def test_an_incident_on_a_model_without_systemic_risk_starts_no_clock_and_says_why(
    timeline_of: TimelineOf,
) -> None:
    # K6: the chapter "is only relevant for providers of GPAI models with systemic risk".
    model = {"id": "small", "placed_on_market": date(2026, 1, 12)}
    incident = Incident("incident-1", "small", "death", date(2026, 11, 20))
    items = [
        i for i in timeline_of(model, events=[incident]).all_items() if i.event == "incident-1"
    ]

    assert [(i.rule, i.due, i.status) for i in items] == [
        ("incident-no-systemic-risk", None, "standing")
    ]
    assert "recital (b)" in items[0].citation


@pytest.mark.parametrize("signed", ["signed", "not_signed"])
def test_an_incident_on_a_model_the_organisation_only_builds_on_is_its_providers_duty(
    timeline_of: TimelineOf, signed: str
) -> None:
    bot = downstream_model(systemic_risk=True)
    incident = Incident("incident-1", "bot", "death", date(2026, 11, 20))

    rules = incident_rules(timeline_of(bot, safety_and_security=signed, events=[incident]))

    assert rules == {"incident-upstream-provider"}


def test_an_incident_before_a_model_became_systemic_starts_no_clock(
    timeline_of: TimelineOf,
) -> None:
    # K4 with K6: judged by what the model was when the provider became aware of it.
    before = Incident("incident-1", "grown", "death", date(2025, 12, 1))
    after = Incident("incident-2", "grown", "death", date(2026, 3, 1))
    timeline = timeline_of(GROWN, events=[before, after])

    assert incident_rules(timeline, "incident-1") == {"incident-no-systemic-risk"}
    assert "cop-ss-9-3-initial-report" in incident_rules(timeline, "incident-2")


RETENTION = "cop-ss-9-4-incident-retention"


def incident_items(timeline: Timeline) -> dict[str, Item]:
    return {i.rule: i for i in timeline.all_items() if i.event == "incident-1"}


def test_incident_retention_runs_five_years_from_the_final_report_as_due(
    timeline_of: TimelineOf,
) -> None:
    """L6: resolved 2026-10-10 -> final report due 2026-12-09 -> retention to 2031-12-09."""
    incident = Incident("incident-1", "titan", "other-harm", date(2026, 9, 1), date(2026, 10, 10))
    item = incident_items(timeline_of(SYSTEMIC_PLACED, events=[incident]))[RETENTION]

    assert_item(item, due=date(2031, 12, 9), verification="inference")


def test_incident_retention_runs_from_the_final_report_as_made(timeline_of: TimelineOf) -> None:
    """L6: final report made 2026-11-02 -> retention to 2031-11-02."""
    incident = Incident("incident-1", "titan", "other-harm", date(2026, 9, 1), date(2026, 10, 10))
    done = {"titan/incident-1/cop-ss-9-3-final-report": [DoneMark(date(2026, 11, 2))]}
    item = incident_items(timeline_of(SYSTEMIC_PLACED, events=[incident], done=done))[RETENTION]

    assert item.due == date(2031, 11, 2)


def test_an_unresolved_incidents_retention_stands_without_a_date(timeline_of: TimelineOf) -> None:
    """L6: never a date 5 years after awareness while the incident is unresolved."""
    incident = Incident("incident-1", "titan", "death", date(2026, 11, 20))
    item = incident_items(timeline_of(SYSTEMIC_PLACED, events=[incident]))[RETENTION]

    assert_item(item, due=None, status="standing")


# ---------------------------------------------------------------- L10: the other dated measures
def event_items(timeline: Timeline, event_id: str) -> dict[str, Item]:
    return {i.rule: i for i in timeline.all_items() if i.event == event_id}


def test_an_evaluators_findings_may_be_held_at_most_30_business_days(
    timeline_of: TimelineOf,
) -> None:
    """D5: aware Monday 2026-11-02; 30 business days (weekends only) = six weeks -> Monday
    2026-12-14."""
    findings = EvaluatorFindings("evaluator-findings-1", "titan", date(2026, 11, 2))
    item = event_items(timeline_of(SYSTEMIC_PLACED, events=[findings]), findings.id)[
        "cop-ss-3-5-evaluator-findings"
    ]

    assert_item(
        item, due=date(2026, 12, 14), citation="Code of Practice, Safety and Security, Measure 3.5"
    )


def test_evaluator_findings_on_a_model_without_systemic_risk_start_no_clock(
    timeline_of: TimelineOf,
) -> None:
    """K6: the chapter is only relevant for systemic-risk models."""
    small = {"id": "small", "placed_on_market": date(2026, 1, 12)}
    findings = EvaluatorFindings("evaluator-findings-1", "small", date(2026, 11, 2))

    assert event_items(timeline_of(small, events=[findings]), findings.id) == {}


def test_a_delayed_model_report_needs_an_interim_report_at_once_and_the_report_in_15_days(
    timeline_of: TimelineOf,
) -> None:
    """D8: placed Monday 2026-03-02; delay decided 2026-02-27 -> interim report that day;
    Model Report 15 business days after placing = three weeks -> Monday 2026-03-23."""
    model = {**PLACED, "placed_on_market": date(2026, 3, 2)}
    delayed = ModelReportDelayed("model-report-delayed-1", "titan", date(2026, 2, 27))
    items = event_items(timeline_of(model, events=[delayed]), delayed.id)

    assert items["cop-ss-7-7-interim-report"].due == date(2026, 2, 27)
    assert items["cop-ss-7-7-delayed-model-report"].due == date(2026, 3, 23)


def test_interface_access_authorisations_are_checked_every_six_months_from_placing(
    items_of: ItemsOf,
) -> None:
    """D19: placed 2025-09-01 -> first check 2026-03-01."""
    items = items_of(PLACED, as_of=date(2025, 9, 2))

    assert items["cop-ss-app-4-3-interface-access-check"].due == date(2026, 3, 1)


def test_a_lost_safe_reference_model_is_replaced_within_six_months(
    timeline_of: TimelineOf,
) -> None:
    """D20: aware 2026-05-20 -> 2026-11-20."""
    lost = ReferenceModelLost("reference-model-lost-1", "titan", date(2026, 5, 20))
    items = event_items(timeline_of(SYSTEMIC_PLACED, events=[lost]), lost.id)

    assert items["cop-ss-app-2-2-reference-model-replaced"].due == date(2026, 11, 20)


def test_the_evaluation_time_is_a_planning_note_on_the_assessment_before_placing(
    items_of: ItemsOf,
) -> None:
    """D21 (indicative): at least 20 business days for the evaluation teams, a planning note
    on the pre-placing assessment, never a deadline of its own."""
    item = items_of(planned(date(2026, 11, 11), date(2027, 6, 15)))["cop-ss-1-2-full-assessment"]

    assert item.due == date(2027, 6, 15)
    assert "at least 20 business days" in item.description
    assert "Planning note, not a deadline" in item.description


def test_the_other_dated_measures_need_the_signed_chapter(items_of: ItemsOf) -> None:
    items = items_of(PLACED, safety_and_security="not_signed")
    plan = items_of(
        planned(date(2026, 11, 11), date(2027, 6, 15)), safety_and_security="not_signed"
    )

    assert "cop-ss-app-4-3-interface-access-check" not in items
    assert "cop-ss-app-3-4-evaluation-time" not in plan
