"""AI Act Art 52(1): notify the Commission within two weeks of the systemic-risk threshold."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from notifier.core.items import Timeline
from notifier.core.register import Register
from tests.support.timelines import AS_OF, ItemsOf, assert_item, items_by_rule

MakeRegister = Callable[..., Register]
MakeTimeline = Callable[..., Timeline]

RULE = "art-52-1-notification"


def big_model(threshold_known_on: date, **fields: object) -> dict[str, object]:
    model: dict[str, object] = {
        "id": "big",
        "planned_placement": date(2027, 6, 15),
        "training_compute_flop": 2.4e25,
        "threshold_known_on": threshold_known_on,
    }
    model.update(fields)
    return model


def placed_big_model(threshold_known_on: date, placed_on_market: date) -> dict[str, object]:
    return big_model(threshold_known_on, planned_placement=None, placed_on_market=placed_on_market)


def test_the_notification_is_due_14_days_after_the_threshold_became_known(
    items_of: ItemsOf,
) -> None:
    assert_item(
        items_of(big_model(date(2026, 12, 1)))[RULE],
        due=date(2026, 12, 15),
        trigger=date(2026, 12, 1),
        citation="AI Act Art 52(1)",
        basis="law",
        status="due-soon",
    )


def test_a_threshold_known_on_a_friday_is_notified_by_the_friday_two_weeks_later(
    items_of: ItemsOf,
) -> None:
    friday = date(2026, 1, 9)
    assert friday.weekday() == 4
    items = items_of(big_model(friday, planned_placement=date(2027, 1, 15)), as_of=friday)

    assert items[RULE].due == date(2026, 1, 23)


def test_a_threshold_known_before_2_august_2025_counts_from_2_august_2025(
    items_of: ItemsOf,
) -> None:
    assert_item(
        items_of(placed_big_model(date(2025, 3, 1), date(2025, 10, 1)))[RULE],
        due=date(2025, 8, 16),
        trigger=date(2025, 8, 2),
        citation="AI Act Art 52(1); Commission guidelines C(2025) 5045, s.5.3",
    )


def test_a_threshold_known_on_2_august_2025_itself_is_not_moved(items_of: ItemsOf) -> None:
    item = items_of(placed_big_model(date(2025, 8, 2), date(2025, 10, 1)))[RULE]

    assert_item(item, due=date(2025, 8, 16), citation="AI Act Art 52(1)")


def test_a_threshold_expected_in_the_future_is_accepted_and_dated(items_of: ItemsOf) -> None:
    item = items_of(big_model(date(2027, 2, 1)))[RULE]

    assert_item(item, due=date(2027, 2, 15), status="upcoming")


def test_a_legacy_models_notification_shows_the_earlier_reading_as_an_inference(
    items_of: ItemsOf,
) -> None:
    # K2: whether Art 111(3) lets a legacy model's notification wait is not stated; the earlier
    # reading (two weeks from 2025-08-02) is the due date, the later one named, never GL s.5.3.
    item = items_of(placed_big_model(date(2024, 6, 1), date(2025, 1, 15)))[RULE]

    assert_item(
        item,
        due=date(2025, 8, 16),
        trigger=date(2025, 8, 2),
        verification="inference",
        status="overdue",
        citation="AI Act Art 52(1); AI Act Art 113 third para (b)",
    )
    assert "s.5.3" not in item.description
    assert "later reading is 2027-08-02 (AI Act Art 111(3))" in item.description


def test_a_legacy_model_whose_threshold_became_known_later_notifies_two_weeks_after_it(
    items_of: ItemsOf,
) -> None:
    item = items_of(placed_big_model(date(2026, 2, 2), date(2025, 1, 15)))[RULE]

    assert_item(item, due=date(2026, 2, 16), citation="AI Act Art 52(1)", verification="inference")
    assert "2027-08-02" in item.description


def test_a_later_version_of_a_legacy_model_does_not_restart_its_notification(
    items_of: ItemsOf,
) -> None:
    """L4: a later version is the same model; the legacy model's notification (K2: threshold
    2024-06-01, counted from 2025-08-02 -> 2025-08-16, inference) is the only one."""
    old = placed_big_model(date(2024, 6, 1), date(2025, 1, 15))
    new = placed_big_model(date(2024, 6, 1), date(2026, 3, 1)) | {
        "id": "big-2",
        "version_of": "big",
    }
    item = items_of(old, new, model_id="big")[RULE]

    assert_item(item, due=date(2025, 8, 16), verification="inference")
    assert "s.5.3" not in item.citation
    assert RULE not in items_of(old, new, model_id="big-2")


def test_a_notification_due_on_a_saturday_is_shown_unextended_and_says_so(
    items_of: ItemsOf,
) -> None:
    # K8: 2025-08-16 is a Saturday; Reg 1182/71 Art 3(4) would end the period on the Monday.
    item = items_of(placed_big_model(date(2025, 8, 2), date(2025, 10, 1)))[RULE]

    assert item.due == date(2025, 8, 16)
    assert item.due.weekday() == 5
    assert "1182/71 Art 3(4)" in item.description


def test_a_model_given_a_threshold_date_below_1e25_flop_is_presumed_and_must_notify(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register(big_model(date(2026, 12, 1), training_compute_flop=8e24))
    timeline = make_timeline(register, AS_OF)

    assert timeline.models[0].systemic_risk is True
    assert items_by_rule(timeline)[RULE].due == date(2026, 12, 15)


def test_a_designated_model_has_no_art_52_1_notification_to_make(items_of: ItemsOf) -> None:
    model = {
        "id": "designated",
        "placed_on_market": date(2025, 10, 1),
        "training_compute_flop": 8e24,
        "systemic_risk": "designated",
        "designated_on": date(2026, 5, 20),
    }

    assert RULE not in items_of(model)


def test_a_model_below_the_threshold_has_no_notification(items_of: ItemsOf) -> None:
    model = {"id": "small", "placed_on_market": date(2025, 10, 1), "training_compute_flop": 9e24}

    assert RULE not in items_of(model)
