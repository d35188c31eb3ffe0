"""AI Act Art 52(2)-(3): arguments that a model exceptionally presents no systemic risk, and the
Commission's decision on them (Commission guidelines C(2025) 5045, s.2.3.3; reference K3)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from notifier.core.events import Incident
from notifier.core.register import Register
from notifier.core.timeline import DoneMark
from notifier.errors import RegisterError
from tests.support.timelines import ItemsOf, TimelineOf, assert_item

MakeRegister = Callable[..., Register]

NOTIFY = "art-52-1-notification"
RENOTIFY = "art-52-3-renotification"
EVALUATE = "art-55-1-a-model-evaluation"
INCIDENTS = "art-55-1-c-serious-incidents"


def frontier(**fields: object) -> dict[str, object]:
    """Planned for 2027-06-15, threshold known 2026-06-01: notify by 2026-06-15."""
    model: dict[str, object] = {
        "id": "frontier",
        "planned_placement": date(2027, 6, 15),
        "training_compute_flop": 3e25,
        "threshold_known_on": date(2026, 6, 1),
    }
    model.update(fields)
    return model


ACCEPTED = {"arguments_decision": "accepted", "arguments_decided_on": date(2026, 9, 1)}


def test_accepted_arguments_end_systemic_risk_from_the_decision_day(
    timeline_of: TimelineOf,
) -> None:
    assert (
        timeline_of(frontier(**ACCEPTED), as_of=date(2026, 8, 31)).models[0].systemic_risk is True
    )
    assert (
        timeline_of(frontier(**ACCEPTED), as_of=date(2026, 9, 1)).models[0].systemic_risk is False
    )
    assert timeline_of(frontier(**ACCEPTED)).models[0].systemic_risk is False


def test_after_accepted_arguments_no_systemic_risk_item_falls_due_but_the_notification_stays(
    items_of: ItemsOf,
) -> None:
    items = items_of(frontier(**ACCEPTED))

    assert items[NOTIFY].due == date(2026, 6, 15)  # it was mandatory: history
    # Framework confirmed by notification + 4 weeks, before the decision: history too
    assert items["cop-ss-1-1-framework-confirmation"].due == date(2026, 7, 13)
    assert EVALUATE not in items  # due at placing (2027-06-15), after the decision
    assert "cop-ss-7-model-report" not in items
    assert "cop-ss-10-1-documentation-retention" not in items  # counts from that placing
    assert INCIDENTS not in items


def test_systemic_items_due_before_the_decision_stay_as_history(items_of: ItemsOf) -> None:
    items = items_of(
        frontier(
            planned_placement=None,
            placed_on_market=date(2026, 7, 1),
            arguments_decision="accepted",
            arguments_decided_on=date(2026, 10, 1),
        )
    )

    assert_item(items[EVALUATE], due=date(2026, 7, 1), status="overdue")
    assert items["cop-ss-7-model-report"].due == date(2026, 7, 1)
    # the 6-monthly Model Report update would fall due 2027-01-01: after the decision, gone
    assert "cop-ss-7-6-model-report-update" not in items


def test_accepted_arguments_bring_a_standing_duty_to_re_notify(items_of: ItemsOf) -> None:
    item = items_of(frontier(**ACCEPTED))[RENOTIFY]

    assert_item(
        item,
        status="standing",
        basis="law",
        citation="AI Act Art 52(2)-(3); Commission guidelines C(2025) 5045, s.2.3.3",
    )
    assert "substantial change in the facts" in item.description


@pytest.mark.parametrize(
    "decision",
    [
        {"arguments_decision": "pending"},
        {"arguments_decision": "rejected", "arguments_decided_on": date(2026, 9, 1)},
    ],
)
def test_pending_or_rejected_arguments_suspend_nothing(
    items_of: ItemsOf, decision: dict[str, object]
) -> None:
    with_arguments = items_of(frontier(**decision))
    without = items_of(frontier())

    assert {r: i.due for r, i in with_arguments.items()} == {r: i.due for r, i in without.items()}
    assert RENOTIFY not in with_arguments


def test_an_incident_after_the_acceptance_starts_no_systemic_risk_clock(
    timeline_of: TimelineOf,
) -> None:
    before = Incident("incident-1", "frontier", "death", date(2026, 8, 20))
    after = Incident("incident-2", "frontier", "death", date(2026, 11, 20))
    items = timeline_of(
        frontier(planned_placement=None, placed_on_market=date(2026, 7, 1), **ACCEPTED),
        events=[before, after],
    ).all_items()

    assert {i.rule for i in items if i.event == "incident-1"} >= {"cop-ss-9-3-initial-report"}
    assert {i.rule for i in items if i.event == "incident-2"} == {"incident-no-systemic-risk"}


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"arguments_decision": "accepted"}, "arguments_decided_on", "needs arguments_decided_on"),
        ({"arguments_decided_on": date(2026, 9, 1)}, "arguments_decided_on", "arguments_decision"),
        (
            {"arguments_decision": "pending", "arguments_decided_on": date(2026, 9, 1)},
            "arguments_decided_on",
            "no date yet",
        ),
        (
            {"arguments_decision": "accepted", "arguments_decided_on": date(2026, 5, 1)},
            "arguments_decided_on",
            "before threshold_known_on",
        ),
        (
            {"arguments_decision": "rejected", "arguments_decided_on": date(2026, 12, 1)},
            "arguments_decided_on",
            "later than today",
        ),
    ],
)
def test_an_incomplete_or_impossible_decision_is_a_register_error(
    make_register: MakeRegister, fields: dict[str, object], field: str, words: str
) -> None:
    with pytest.raises(RegisterError) as caught:
        make_register(frontier(**fields))

    assert any(p.field == field and words in p.message for p in caught.value.problems), [
        str(p) for p in caught.value.problems
    ]


@pytest.mark.parametrize(
    "model",
    [
        {"id": "small", "placed_on_market": date(2025, 9, 1), "training_compute_flop": 5e24},
        {
            "id": "orion",
            "placed_on_market": date(2025, 9, 1),
            "systemic_risk": "designated",
            "designated_on": date(2026, 1, 5),
        },
    ],
)
def test_arguments_are_only_for_a_model_presumed_to_present_systemic_risk(
    make_register: MakeRegister, model: dict[str, object]
) -> None:
    with pytest.raises(RegisterError) as caught:
        make_register({**model, **ACCEPTED})

    (problem,) = [p for p in caught.value.problems if p.field == "arguments_decision"]
    assert "Art 52(2)" in problem.message


def test_arguments_without_a_recorded_notification_are_a_finding_until_it_is_recorded(
    timeline_of: TimelineOf,
) -> None:
    before = timeline_of(frontier(arguments_decision="pending")).models[0].findings
    sent = {"frontier/art-52-1-notification": [DoneMark(date(2026, 6, 10))]}
    after = timeline_of(frontier(arguments_decision="pending"), done=sent).models[0].findings

    (finding,) = before
    assert "notifier event add notification --model frontier" in finding
    assert after == ()
