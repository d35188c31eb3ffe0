"""AI Act Art 54: third-country providers appoint an authorised representative before placing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from notifier.core.items import Item, Timeline
from notifier.core.law import RuleSet
from notifier.core.register import Register
from notifier.core.timeline import timeline
from tests.support.timelines import AS_OF, ItemsOf, assert_item, items_by_rule

MakeRegister = Callable[..., Register]
MakeTimeline = Callable[..., Timeline]

APPOINT = "art-54-1-authorised-representative"
RETAIN = "art-54-3-b-representative-retention"

# Open source, below the systemic-risk threshold, placed on 2025-11-20.
FAR_OPEN = {
    "id": "far-open",
    "placed_on_market": date(2025, 11, 20),
    "training_compute_flop": 1e24,
    "open_source": True,
}


def abroad(items_of: ItemsOf, planned_placement: date) -> dict[str, Item]:
    """The items of a model a provider established in the US plans to place on that day."""
    return items_of({"id": "far", "planned_placement": planned_placement}, established_in="US")


def test_a_third_country_provider_appoints_its_representative_the_day_before_placing(
    items_of: ItemsOf,
) -> None:
    items = items_of({"id": "far-2", "planned_placement": date(2027, 5, 3)}, established_in="US")

    # trigger None: the period runs backwards from placing
    assert_item(
        items[APPOINT],
        due=date(2027, 5, 2),
        citation="AI Act Art 54(1)",
        status="upcoming",
        trigger=None,
    )


def test_a_representative_for_a_model_placed_on_the_first_of_a_month_is_due_the_month_before(
    items_of: ItemsOf,
) -> None:
    assert abroad(items_of, date(2028, 3, 1))[APPOINT].due == date(2028, 2, 29)


def test_a_third_country_legacy_model_has_its_representative_due_on_2_august_2027(
    items_of: ItemsOf,
) -> None:
    items = items_of({"id": "far-1", "placed_on_market": date(2025, 3, 1)}, established_in="US")

    assert_item(
        items[APPOINT], due=date(2027, 8, 2), citation="AI Act Art 54(1); AI Act Art 111(3)"
    )


def test_a_third_country_model_placed_without_a_representative_is_overdue(
    items_of: ItemsOf,
) -> None:
    items = items_of({"id": "far-3", "placed_on_market": date(2025, 11, 20)}, established_in="US")

    assert_item(items[APPOINT], due=date(2025, 11, 19), status="overdue")


def test_an_open_source_model_without_systemic_risk_needs_no_representative(
    items_of: ItemsOf,
) -> None:
    items = items_of(FAR_OPEN, established_in="US")

    assert APPOINT not in items
    assert RETAIN not in items


def test_an_open_source_model_with_systemic_risk_still_needs_a_representative(
    items_of: ItemsOf,
) -> None:
    model = {
        "id": "far-open-xl",
        "placed_on_market": date(2026, 2, 10),
        "training_compute_flop": 1.5e25,
        "threshold_known_on": date(2025, 9, 1),
        "open_source": True,
    }
    items = items_of(model, established_in="US")

    assert items[APPOINT].due == date(2026, 2, 9)
    assert items[RETAIN].due == date(2036, 2, 10)


@pytest.mark.parametrize("country", ["FR", "DE", "IE"])
def test_a_provider_established_in_the_eu_has_no_representative_duty(
    make_register: MakeRegister, make_timeline: MakeTimeline, country: str
) -> None:
    register = make_register(
        {"id": "m", "placed_on_market": date(2025, 11, 20)}, established_in=country
    )
    items = items_by_rule(make_timeline(register, AS_OF))

    assert register.organisation.third_country is False
    assert APPOINT not in items
    assert RETAIN not in items


@pytest.mark.parametrize("country", ["NO", "IS", "LI"])
def test_an_eea_provider_outside_the_eu_has_the_representative_duty_as_an_inference(
    items_of: ItemsOf, country: str
) -> None:
    """L3: until the rule data records the AI Act's incorporation into the EEA Agreement, IS,
    LI and NO are third countries for Art 54; placed 2026-02-28 -> mandate by 2026-02-27."""
    items = items_of({"id": "m", "placed_on_market": date(2026, 2, 28)}, established_in=country)

    appoint = items[APPOINT]
    assert appoint.due == date(2026, 2, 27)
    assert appoint.verification == "inference"
    assert "EEA Agreement" in appoint.description
    assert "later reading" in appoint.description
    assert items[RETAIN].due == date(2036, 2, 28)
    assert items[RETAIN].verification == "inference"


def test_the_norwegian_example_against_the_same_register_in_france(items_of: ItemsOf) -> None:
    model = {"id": "m", "placed_on_market": date(2026, 2, 28)}

    assert APPOINT in items_of(model, established_in="NO")
    assert APPOINT not in items_of(model, established_in="FR")


def test_once_the_rule_data_records_the_eea_incorporation_norway_is_no_third_country(
    make_register: MakeRegister, rules: RuleSet
) -> None:
    eea = rules.eea.model_copy(update={"incorporated_on": date(2026, 1, 1)})
    incorporated = RuleSet(
        law=rules.law, fines=rules.fines, regime=rules.regime, eea=eea, rules=rules.rules
    )
    register = make_register(
        {"id": "m", "placed_on_market": date(2026, 2, 28)}, established_in="NO"
    )

    items = items_by_rule(timeline(register, incorporated, AS_OF))

    assert APPOINT not in items


@pytest.mark.parametrize("country", ["US", "CH", "GB", "CN"])
def test_a_provider_established_outside_the_eu_and_eea_is_a_third_country_provider(
    make_register: MakeRegister, make_timeline: MakeTimeline, country: str
) -> None:
    register = make_register(
        {"id": "m", "placed_on_market": date(2025, 11, 20)}, established_in=country
    )

    assert register.organisation.third_country is True
    assert APPOINT in items_by_rule(make_timeline(register, AS_OF))


def test_the_representatives_ten_year_retention_ends_ten_years_after_placing(
    items_of: ItemsOf,
) -> None:
    items = items_of({"id": "far-1", "placed_on_market": date(2025, 3, 1)}, established_in="US")

    assert_item(
        items[RETAIN], due=date(2035, 3, 1), kind="milestone", citation="AI Act Art 54(3)(b)"
    )


def test_the_retention_of_a_model_placed_on_a_leap_day_ends_on_28_february(
    items_of: ItemsOf,
) -> None:
    assert abroad(items_of, date(2028, 2, 29))[RETAIN].due == date(2038, 2, 28)


def test_an_open_source_model_that_becomes_systemic_needs_its_representative_from_that_day(
    items_of: ItemsOf,
) -> None:
    # K4: "prior to placing" can no longer be met; the duty attaches when Art 54(6) ends.
    designated = FAR_OPEN | {"systemic_risk": "designated", "designated_on": date(2026, 6, 3)}
    items = items_of(designated, established_in="US")

    assert_item(items[APPOINT], due=date(2026, 6, 3), verification="inference", status="overdue")
    assert items[RETAIN].due == date(2035, 11, 20)  # ten years after placing, unchanged
