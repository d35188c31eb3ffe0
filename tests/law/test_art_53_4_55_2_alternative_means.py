"""AI Act Art 53(4), 55(2): a provider that does not rely on a chapter of the Code demonstrates
alternative adequate means of compliance, model by model (reference K11)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from notifier.core.advice import advise
from notifier.core.items import Item, Timeline
from notifier.core.law import RuleSet
from notifier.core.register import Register
from notifier.core.timeline import DoneMark
from tests.support.timelines import AS_OF, TimelineOf, assert_item

MakeRegister = Callable[..., Register]
MakeTimeline = Callable[..., Timeline]

TRANSPARENCY = "art-53-4-alternative-means-transparency"
COPYRIGHT = "art-53-4-alternative-means-copyright"
SAFETY = "art-55-2-alternative-means-safety-security"
NOT_SIGNED = {
    "transparency": "not_signed",
    "copyright": "not_signed",
    "safety_and_security": "not_signed",
}
PLAIN = {"id": "plain", "placed_on_market": date(2025, 9, 1)}
OPEN = {"id": "open", "placed_on_market": date(2025, 9, 1), "open_source": True}
LEGACY = {"id": "legacy", "placed_on_market": date(2024, 11, 5)}
BIG = {
    "id": "big",
    "planned_placement": date(2027, 6, 15),
    "training_compute_flop": 3e25,
    "threshold_known_on": date(2026, 12, 1),
}


def by_model(timeline: Timeline) -> dict[str, dict[str, Item]]:
    return {m.id: {i.rule: i for i in m.items} for m in timeline.models}


def test_each_chapter_not_signed_gives_each_covered_model_an_item_due_at_placing(
    timeline_of: TimelineOf,
) -> None:
    items = by_model(timeline_of(PLAIN, OPEN, BIG, **NOT_SIGNED))

    assert items["plain"][TRANSPARENCY].due == date(2025, 9, 1)
    assert items["plain"][TRANSPARENCY].citation == "AI Act Art 53(4)"
    assert items["plain"][COPYRIGHT].due == date(2025, 9, 1)
    assert SAFETY not in items["plain"]  # not a systemic-risk model
    assert TRANSPARENCY not in items["open"]  # Art 53(2): no Art 53(1)(a),(b) duty
    assert items["open"][COPYRIGHT].due == date(2025, 9, 1)
    assert items["big"][SAFETY].due == date(2027, 6, 15)
    assert items["big"][SAFETY].citation == "AI Act Art 55(2)"
    for item in (items["plain"][TRANSPARENCY], items["big"][SAFETY]):
        assert (item.basis, item.kind, item.status != "standing") == ("law", "deadline", True)
        assert "Document the alternative adequate means of compliance" in item.title


def test_a_legacy_models_alternative_means_are_due_on_2_august_2027(
    timeline_of: TimelineOf,
) -> None:
    items = by_model(timeline_of(LEGACY, **NOT_SIGNED))["legacy"]

    assert items[TRANSPARENCY].due == date(2027, 8, 2)
    assert_item(
        items[COPYRIGHT], due=date(2027, 8, 2), citation="AI Act Art 53(4); AI Act Art 111(3)"
    )


def test_a_signed_chapter_needs_no_alternative(timeline_of: TimelineOf) -> None:
    items = by_model(timeline_of(PLAIN, BIG, copyright="not_signed"))

    assert COPYRIGHT in items["plain"]
    assert TRANSPARENCY not in items["plain"]
    assert SAFETY not in items["big"]


def test_a_model_systemic_only_after_placing_documents_its_alternative_from_that_day(
    timeline_of: TimelineOf,
) -> None:
    grown = {**PLAIN, "training_compute_flop": 1.2e25, "threshold_known_on": date(2026, 4, 1)}
    items = by_model(timeline_of(grown, **NOT_SIGNED))["plain"]

    assert items[SAFETY].due == date(2026, 4, 1)
    assert items[TRANSPARENCY].due == date(2025, 9, 1)


def test_notifier_done_closes_the_alternative_means_item(timeline_of: TimelineOf) -> None:
    done = {f"plain/{COPYRIGHT}": [DoneMark(date(2025, 10, 1), "policy documented")]}
    item = by_model(timeline_of(PLAIN, copyright="not_signed", done=done))["plain"][COPYRIGHT]

    assert_item(item, status="done", done_late_days=30)


@pytest.mark.parametrize(
    ("done_models", "expected"),
    [
        ((), "sign-or-document-alternative"),
        (("plain",), "sign-or-document-alternative"),
        (("plain", "open"), "keep-alternative-current"),
    ],
)
def test_the_advice_follows_the_open_alternative_means_items(
    make_register: MakeRegister,
    make_timeline: MakeTimeline,
    rules: RuleSet,
    done_models: tuple[str, ...],
    expected: str,
) -> None:
    register = make_register(PLAIN, OPEN, copyright="not_signed")
    done = {f"{m}/{COPYRIGHT}": [DoneMark(date(2026, 1, 5))] for m in done_models}
    advice = advise(register, make_timeline(register, AS_OF, done=done), rules.landmarks)
    copyright_advice = next(c for c in advice.chapters if c.chapter == "copyright")

    assert copyright_advice.models == ("plain", "open")
    assert copyright_advice.recommendation == expected
