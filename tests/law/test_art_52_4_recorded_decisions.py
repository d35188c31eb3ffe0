"""AI Act Art 51, 52(1)-(4), 55(1) (REFERENCE L1, K3, K4): recorded events change what a model
is, as the register's keys do. Dates worked out by hand from the rows' text."""

from __future__ import annotations

from datetime import date

from notifier.core.events import (
    ArgumentsDecided,
    DesignationDecision,
    FurtherTraining,
    NotificationSent,
)
from tests.support.registers import register_toml
from tests.support.timelines import TimelineOf, items_by_rule

ART_55 = (
    "art-55-1-a-model-evaluation",
    "art-55-1-b-systemic-risk-mitigation",
    "art-55-1-d-cybersecurity",
)
# Placed 2025-10-01 with 8e24 FLOP: not systemic by the register.
ORION = {"id": "orion", "placed_on_market": date(2025, 10, 1), "training_compute_flop": 8e24}
DESIGNATED = DesignationDecision("designation-1", "orion", date(2026, 5, 20))


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line of `text` that contains `needle` (an independent
    reading of the register text, not the notifier's)."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_a_recorded_designation_makes_an_unmarked_model_systemic_from_the_decision(
    timeline_of: TimelineOf,
) -> None:
    timeline = timeline_of(ORION, events=(DESIGNATED,))
    items = items_by_rule(timeline)

    assert timeline.models[0].systemic_risk is True
    # K4: designated after placing -> the Art 55(1) duties run from the decision, 2026-05-20
    for rule in ART_55:
        assert items[rule].due == date(2026, 5, 20), rule
    assert items["art-55-1-c-serious-incidents"].status == "standing"
    # Safety and Security signed (the test register signs every chapter): its items follow.
    assert items["cop-ss-1-1-framework-confirmation"].due == date(2026, 5, 20)
    # a designated model makes no Art 52(1) notification
    assert "art-52-1-notification" not in items
    # the event's own Art 52(5) right: decision 2026-05-20 -> from 2026-11-21 (L9)
    (right,) = [i for i in timeline.all_items() if i.event == "designation-1"]
    assert (right.rule, right.due) == ("art-52-5-reassessment-after-decision", date(2026, 11, 21))


def test_the_disagreement_is_a_warning_naming_the_register_line(
    timeline_of: TimelineOf,
) -> None:
    text = register_toml(ORION)
    timeline = timeline_of(ORION, events=(DESIGNATED,))

    expected = "test.toml:" + str(line_of(text, 'id = "orion"'))
    (warning,) = [w for w in timeline.findings if "designation-1" in w]
    assert warning.startswith(expected + ":")
    assert "2026-05-20" in warning
    assert warning in timeline.models[0].findings


def test_a_register_saying_none_is_named_at_its_systemic_risk_line(
    timeline_of: TimelineOf,
) -> None:
    model = ORION | {"systemic_risk": "none"}
    text = register_toml(model)
    timeline = timeline_of(model, events=(DESIGNATED,))

    (warning,) = timeline.findings
    assert warning.startswith(f"test.toml:{line_of(text, 'systemic_risk')}:")
    assert timeline.models[0].systemic_risk is True


def test_without_the_event_nothing_is_systemic_so_a_voided_event_stops_counting(
    timeline_of: TimelineOf,
) -> None:
    timeline = timeline_of(ORION, events=())

    assert timeline.models[0].systemic_risk is False
    assert not set(ART_55) & set(items_by_rule(timeline))
    assert timeline.findings == ()


def test_a_register_designation_later_than_the_recorded_decision_follows_the_event(
    timeline_of: TimelineOf,
) -> None:
    model = ORION | {"systemic_risk": "designated", "designated_on": date(2026, 6, 15)}
    timeline = timeline_of(model, events=(DESIGNATED,))
    items = items_by_rule(timeline)

    assert items["art-55-1-a-model-evaluation"].due == date(2026, 5, 20)
    (warning,) = timeline.findings
    assert "designated_on = 2026-06-15" in warning


def test_a_decision_maintaining_the_designation_is_no_disagreement(
    timeline_of: TimelineOf,
) -> None:
    model = ORION | {"systemic_risk": "designated", "designated_on": date(2026, 5, 20)}
    later = DesignationDecision("designation-2", "orion", date(2026, 11, 23))
    timeline = timeline_of(model, events=(later,))

    assert timeline.findings == ()
    assert items_by_rule(timeline)["art-55-1-a-model-evaluation"].due == date(2026, 5, 20)


def test_a_recorded_notification_makes_the_model_presumed_systemic_from_the_day_sent(
    timeline_of: TimelineOf,
) -> None:
    sent = NotificationSent("notification-1", "orion", date(2026, 3, 10))
    timeline = timeline_of(ORION, events=(sent,))
    items = items_by_rule(timeline)

    assert timeline.models[0].systemic_risk is True
    # a notification is made once the threshold is met or known: systemic from 2026-03-10
    assert items["art-55-1-a-model-evaluation"].due == date(2026, 3, 10)
    assert items["art-52-1-notification"].status == "done"
    # K1: became systemic after placing -> Framework four weeks after the notification
    assert items["cop-ss-1-1-framework-confirmation"].due == date(2026, 4, 7)
    assert any("notification-1" in w for w in timeline.findings)


def test_further_training_over_1e25_flop_starts_the_art_52_1_clock(
    timeline_of: TimelineOf,
) -> None:
    trained = FurtherTraining("further-training-1", "orion", date(2026, 6, 1), 1.3e25)
    timeline = timeline_of(ORION, events=(trained,))
    items = items_by_rule(timeline)

    assert timeline.models[0].systemic_risk is True
    # Art 52(1): two weeks after the threshold is met -> 2026-06-15
    assert items["art-52-1-notification"].due == date(2026, 6, 15)
    assert items["art-55-1-d-cybersecurity"].due == date(2026, 6, 1)
    assert any("further-training-1" in w for w in timeline.findings)


def test_further_training_below_the_threshold_changes_no_state(
    timeline_of: TimelineOf,
) -> None:
    trained = FurtherTraining("further-training-1", "orion", date(2026, 6, 1), 9e24)
    timeline = timeline_of(ORION, events=(trained,))

    assert timeline.models[0].systemic_risk is False
    assert timeline.findings == ()


def test_recorded_accepted_arguments_end_the_systemic_duties_from_the_decision(
    timeline_of: TimelineOf,
) -> None:
    titan = {
        "id": "titan",
        "placed_on_market": date(2025, 9, 1),
        "training_compute_flop": 2.4e25,
        "threshold_known_on": date(2025, 3, 1),
    }
    accepted = ArgumentsDecided("arguments-decision-1", "titan", "accepted", date(2026, 2, 2))
    timeline = timeline_of(titan, events=(accepted,))

    # GL s.2.3.3 (K3): no longer systemic from the acceptance; the re-notification duty stands
    assert timeline.models[0].systemic_risk is False
    assert "art-52-3-renotification" in items_by_rule(timeline)


def test_a_register_rejection_outweighs_a_recorded_acceptance(
    timeline_of: TimelineOf,
) -> None:
    titan = {
        "id": "titan",
        "placed_on_market": date(2025, 9, 1),
        "training_compute_flop": 2.4e25,
        "threshold_known_on": date(2025, 3, 1),
        "arguments_decision": "rejected",
        "arguments_decided_on": date(2026, 2, 2),
    }
    accepted = ArgumentsDecided("arguments-decision-1", "titan", "accepted", date(2026, 2, 2))
    timeline = timeline_of(titan, events=(accepted,))

    assert timeline.models[0].systemic_risk is True
    (warning,) = [w for w in timeline.findings if "arguments-decision-1" in w]
    assert "follows the register" in warning


def test_duties_run_from_the_day_the_provider_was_informed_the_right_from_the_decision(
    timeline_of: TimelineOf,
) -> None:
    """K4, L1: decided 2026-05-20, informed 2026-05-26 -> Art 55(1) from 2026-05-26; the
    Art 52(5) request still counts from the decision: from 2026-11-21 (L9)."""
    informed = DesignationDecision(
        "designation-1", "orion", date(2026, 5, 20), informed_on=date(2026, 5, 26)
    )
    timeline = timeline_of(ORION, events=(informed,))
    items = items_by_rule(timeline)

    for rule in ART_55:
        assert items[rule].due == date(2026, 5, 26), rule
    (right,) = [i for i in timeline.all_items() if i.event == "designation-1"]
    assert right.due == date(2026, 11, 21)
    (warning,) = timeline.findings
    assert "informed on 2026-05-26" in warning
