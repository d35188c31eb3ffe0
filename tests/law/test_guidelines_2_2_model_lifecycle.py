"""Commission guidelines C(2025) 5045, s.2.2 (the model's lifecycle) with Art 111(3) and
Art 54(3)(b): later versions of one model, and a model withdrawn from the market (K10)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from notifier.core.items import Item, Timeline
from notifier.core.register import Register
from notifier.core.timeline import DoneMark
from notifier.errors import RegisterError

MakeRegister = Callable[..., Register]
MakeTimeline = Callable[..., Timeline]

AS_OF = date(2026, 11, 24)
LEGACY = {"id": "atlas-1", "placed_on_market": date(2024, 11, 5)}
UPSTREAM = {"provider": "Up", "model": "Base", "signatory": "full", "last_verified": AS_OF}


def items_of(timeline: Timeline, model_id: str) -> dict[str, Item]:
    model = next(m for m in timeline.models if m.id == model_id)
    return {item.rule: item for item in model.items}


# ---------------------------------------------------------------- versions


def test_a_new_version_of_a_legacy_model_stays_under_art_111_3(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    version = {"id": "atlas-2", "placed_on_market": date(2026, 3, 1), "version_of": "atlas-1"}
    timeline = make_timeline(make_register(LEGACY, version), AS_OF)
    model = next(m for m in timeline.models if m.id == "atlas-2")
    docs = items_of(timeline, "atlas-2")["art-53-1-a-technical-documentation"]

    assert model.regime == "art-111-3-transition"
    assert model.regime_deadline == date(2027, 8, 2)
    assert docs.due == date(2027, 8, 2)
    assert docs.citation.endswith("AI Act Art 111(3)")


def test_a_version_of_a_version_follows_the_lineages_first_placing(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    second = {"id": "atlas-2", "placed_on_market": date(2026, 3, 1), "version_of": "atlas-1"}
    third = {"id": "atlas-3", "planned_placement": date(2027, 3, 1), "version_of": "atlas-2"}
    timeline = make_timeline(make_register(LEGACY, second, third), date(2027, 3, 2))

    assert next(m for m in timeline.models if m.id == "atlas-3").regime == ("art-111-3-transition")


def test_a_version_of_a_chapter_v_model_is_chapter_v(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    first = {"id": "nimbus-1", "placed_on_market": date(2025, 9, 1)}
    second = {"id": "nimbus-2", "placed_on_market": date(2026, 3, 1), "version_of": "nimbus-1"}
    timeline = make_timeline(make_register(first, second), AS_OF)

    assert items_of(timeline, "nimbus-2")["art-53-1-a-technical-documentation"].due == date(
        2026, 3, 1
    )
    assert timeline.models[1].regime == "chapter-v"


@pytest.mark.parametrize(
    ("models", "words"),
    [
        ([{"id": "a", "placed_on_market": date(2025, 9, 1), "version_of": "zz"}], "not the id"),
        ([{"id": "a", "placed_on_market": date(2025, 9, 1), "version_of": "a"}], "itself"),
        (
            [
                {"id": "a", "placed_on_market": date(2026, 1, 1)},
                {"id": "b", "placed_on_market": date(2025, 9, 1), "version_of": "a"},
            ],
            "after this version",
        ),
        (
            [
                {"id": "a", "placed_on_market": date(2025, 9, 1), "version_of": "b"},
                {"id": "b", "placed_on_market": date(2025, 9, 1), "version_of": "a"},
            ],
            "loop",
        ),
        (
            [
                {"id": "a", "role": "downstream", "upstream": [UPSTREAM]},
                {"id": "b", "placed_on_market": date(2025, 9, 1), "version_of": "a"},
            ],
            "not a model you provide",
        ),
    ],
)
def test_a_version_of_that_names_no_earlier_own_model_is_a_register_error(
    make_register: MakeRegister, models: list[dict[str, object]], words: str
) -> None:
    with pytest.raises(RegisterError) as caught:
        make_register(*models)

    assert any(p.field == "version_of" and words in p.message for p in caught.value.problems)


def test_a_version_of_a_systemic_risk_model_that_is_not_systemic_is_a_warning(
    make_register: MakeRegister,
) -> None:
    big = {
        "id": "big-1",
        "placed_on_market": date(2025, 9, 1),
        "training_compute_flop": 3e25,
        "threshold_known_on": date(2025, 6, 1),
    }
    register = make_register(
        big, {"id": "big-2", "placed_on_market": date(2026, 3, 1), "version_of": "big-1"}
    )

    (warning,) = register.warnings
    assert (warning.model, warning.field) == ("big-2", "version_of")
    assert "same model" in warning.message


# ---------------------------------------------------------------- withdrawal

WITHDRAWN = {
    "id": "gone",
    "placed_on_market": date(2025, 9, 1),
    "withdrawn_on": date(2026, 6, 30),
    "training_compute_flop": 3e25,
    "threshold_known_on": date(2025, 6, 1),
}


def test_after_withdrawal_no_review_or_deadline_falls_due_and_retention_stays(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    timeline = make_timeline(make_register(WITHDRAWN), AS_OF)
    items = items_of(timeline, "gone")

    assert timeline.models[0].withdrawn_on == date(2026, 6, 30)
    for item in items.values():
        if item.due is not None and item.due > date(2026, 6, 30):
            assert item.kind == "milestone", item
    assert "review-documentation" not in items  # due 2026-09-01
    assert "cop-ss-1-3-framework-assessment" not in items  # due 2026-09-01
    assert items["cop-ss-7-6-model-report-update"].due == date(2026, 3, 1)  # before: history
    assert items["cop-ss-10-1-documentation-retention"].due == date(2035, 9, 1)
    assert items["cop-t-1-1-documentation-retention"].due == date(2035, 9, 1)
    assert items["art-55-1-c-serious-incidents"].status == "standing"


def test_the_withdrawal_is_a_milestone_that_says_what_ends_and_what_stays(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    item = items_of(make_timeline(make_register(WITHDRAWN), AS_OF), "gone")["model-withdrawn"]

    assert (item.due, item.kind, item.status) == (date(2026, 6, 30), "milestone", "done")
    assert item.verification == "inference"
    assert "retention duties continue" in item.description


def test_done_occurrences_after_withdrawal_stay_as_records(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register({**WITHDRAWN, "withdrawn_on": date(2026, 8, 15)})
    done = {"gone/review-documentation": [DoneMark(date(2026, 9, 1))]}
    items = [
        i
        for i in make_timeline(register, AS_OF, done=done).models[0].items
        if i.rule == "review-documentation"
    ]

    assert [(i.id, i.status) for i in items] == [("gone/review-documentation@2026-09-01", "done")]


def test_the_upstream_re_verification_of_a_withdrawn_modifier_stops(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    modifier = {
        "id": "tune",
        "role": "modifier",
        "placed_on_market": date(2025, 9, 1),
        "withdrawn_on": date(2026, 6, 30),
        "base_model": "Base by Up",
        "base_compute_flop": 6e24,
        "modification_compute_flop": 2.5e24,
        "upstream": [{**UPSTREAM, "last_verified": date(2026, 6, 1)}],
    }
    items = items_of(make_timeline(make_register(modifier), AS_OF), "tune")

    assert "review-upstream-signatory" not in items  # would fall due 2026-07-01


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"planned_placement": date(2027, 3, 1), "withdrawn_on": date(2026, 6, 1)}, "placed"),
        (
            {"placed_on_market": date(2025, 9, 1), "withdrawn_on": date(2025, 8, 1)},
            "before placed_on_market",
        ),
        (
            {"placed_on_market": date(2025, 9, 1), "withdrawn_on": date(2026, 12, 1)},
            "later than today",
        ),
    ],
)
def test_an_impossible_withdrawal_is_a_register_error(
    make_register: MakeRegister, fields: dict[str, object], words: str
) -> None:
    with pytest.raises(RegisterError) as caught:
        make_register({"id": "m", **fields})

    assert any(p.field == "withdrawn_on" and words in p.message for p in caught.value.problems)


@pytest.mark.parametrize(
    "key",
    [
        ("withdrawn_on", date(2026, 1, 1)),
        ("version_of", "m"),
        ("arguments_decision", "pending"),
        ("arguments_decided_on", date(2026, 1, 1)),
    ],
)
def test_lifecycle_keys_do_not_apply_to_a_downstream_model(
    make_register: MakeRegister, key: tuple[str, object]
) -> None:
    with pytest.raises(RegisterError) as caught:
        make_register({"id": "bot", "role": "downstream", "upstream": [UPSTREAM], key[0]: key[1]})

    (problem,) = caught.value.problems
    assert problem.field == key[0]
    assert "does not apply to a downstream model" in problem.message


# ---------------------------------------------------------------- versions of a systemic model (L4)
BIG_1 = {
    "id": "big-1",
    "placed_on_market": date(2025, 9, 1),
    "training_compute_flop": 3e25,
    "threshold_known_on": date(2025, 6, 1),
}
BIG_2 = BIG_1 | {"id": "big-2", "placed_on_market": date(2026, 3, 1), "version_of": "big-1"}
NOT_RESTARTED = (
    "art-52-1-notification",
    "cop-ss-1-1-framework-confirmation",
    "cop-ss-1-4-framework-access",
)
VERSION_UPDATE = "cop-ss-7-6-version-update"


def test_a_later_version_of_a_systemic_model_does_not_restart_notification_or_framework(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    timeline = make_timeline(make_register(BIG_1, BIG_2), AS_OF)
    first, later = items_of(timeline, "big-1"), items_of(timeline, "big-2")

    for rule in NOT_RESTARTED:
        assert rule in first, rule
        assert rule not in later, rule
    # the earlier version's clocks are untouched: threshold 2025-06-01 -> notified by 2025-08-16
    assert first["art-52-1-notification"].due == date(2025, 8, 16)


def test_a_later_version_brings_the_model_report_update_due_the_day_before_its_placing(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    timeline = make_timeline(make_register(BIG_1, BIG_2), AS_OF)
    item = items_of(timeline, "big-2")[VERSION_UPDATE]

    # placed 2026-03-01 -> update and full assessment completed by 2026-02-28
    assert item.due == date(2026, 2, 28)
    assert item.citation == "Code of Practice, Safety and Security, Measures 7.6, 1.2"
    assert VERSION_UPDATE not in items_of(timeline, "big-1")


def test_no_version_update_item_without_the_safety_and_security_chapter(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register(BIG_1, BIG_2, safety_and_security="not_signed")

    assert VERSION_UPDATE not in items_of(make_timeline(register, AS_OF), "big-2")
