"""Properties of the timeline over generated registers (hypothesis).

Registers vary placement (2023-2030, placed or planned), compute, systemic risk, open source,
role (provider, modifier, downstream), upstream signatures, establishment and Code signatures,
and the model's later life: the Commission's answer to Art 52(2) arguments and withdrawal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notifier.core.items import Item, Timeline
from notifier.core.law import load_ruleset
from notifier.core.register import Register

from .support.strategies import as_ofs, build, done_marks, placing, provides, registers

MakeRegister = Callable[..., Register]
MakeTimeline = Callable[..., Timeline]

# Module-level, not the `rules` fixture: hypothesis prints a failing example's arguments, and
# the rule set's repr is too long to print (a warning, which the suite turns into an error).
RULES = load_ruleset()
TRANSITION_DEADLINE = date(2027, 8, 2)
PROPERTY = settings(max_examples=75, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def every_item(timeline: Timeline) -> list[Item]:
    return timeline.all_items()


@PROPERTY
@given(spec=registers(), as_of=as_ofs)
def test_no_item_is_due_before_the_event_its_period_runs_from(
    make_register: MakeRegister, make_timeline: MakeTimeline, spec: dict[str, Any], as_of: date
) -> None:
    timeline = make_timeline(build(make_register, spec), as_of)

    for item in every_item(timeline):
        if item.trigger is not None and item.due is not None:
            assert item.due >= item.trigger, item


@PROPERTY
@given(spec=registers(), as_of=as_ofs, data=st.data())
def test_no_item_is_due_before_its_trigger_when_items_are_marked_done(
    make_register: MakeRegister,
    make_timeline: MakeTimeline,
    spec: dict[str, Any],
    as_of: date,
    data: st.DataObject,
) -> None:
    register = build(make_register, spec)
    ids = sorted(item.id for item in every_item(make_timeline(register, as_of)))
    done = data.draw(done_marks(ids, 4))

    timeline = make_timeline(register, as_of, done=done)

    for item in every_item(timeline):
        if item.trigger is not None and item.due is not None:
            assert item.due >= item.trigger, item
        if item.status == "done" and item.kind != "milestone":
            assert item.done_on is not None, item
    assert len({item.id for item in every_item(timeline)}) == len(every_item(timeline))


@PROPERTY
@given(spec=registers(), as_of=as_ofs)
def test_the_timeline_is_deterministic(
    make_register: MakeRegister, make_timeline: MakeTimeline, spec: dict[str, Any], as_of: date
) -> None:
    first = make_timeline(build(make_register, spec), as_of)
    again = make_timeline(build(make_register, spec), as_of)

    assert first == again


@PROPERTY
@given(spec=registers(), as_of=as_ofs)
def test_items_are_sorted_by_due_date_with_undated_items_last_then_by_id(
    make_register: MakeRegister, make_timeline: MakeTimeline, spec: dict[str, Any], as_of: date
) -> None:
    timeline = make_timeline(build(make_register, spec), as_of)

    def key(item: Item) -> tuple[bool, date, str]:
        return (item.due is None, item.due or date.max, item.id)

    for items in (timeline.organisation_items, *(m.items for m in timeline.models)):
        assert list(items) == sorted(items, key=key)
        undated = [item.due is None for item in items]
        assert undated == sorted(undated)


@PROPERTY
@given(spec=registers(), as_of=as_ofs)
def test_every_item_has_a_citation_a_known_basis_and_a_unique_id(
    make_register: MakeRegister, make_timeline: MakeTimeline, spec: dict[str, Any], as_of: date
) -> None:
    items = every_item(make_timeline(build(make_register, spec), as_of))

    for item in items:
        assert item.citation.strip(), item
        assert item.basis in {"law", "code", "guidance"}, item
        assert item.kind in {"deadline", "review", "milestone"}, item
    assert len({item.id for item in items}) == len(items)


@PROPERTY
@given(spec=registers(), as_of=as_ofs, window=st.integers(min_value=0, max_value=90))
def test_each_status_agrees_with_the_due_date_and_the_due_soon_window(
    make_register: MakeRegister,
    make_timeline: MakeTimeline,
    spec: dict[str, Any],
    as_of: date,
    window: int,
) -> None:
    timeline = make_timeline(build(make_register, spec), as_of, due_soon_days=window)
    soon = as_of + timedelta(days=window)

    for item in every_item(timeline):
        if item.due is None:
            assert item.status == "standing", item
        elif RULES.rule(item.rule).right and item.due <= as_of:
            assert item.status == "open", item  # a right is never "done" by its date passing
        elif item.status == "overdue":
            assert item.due < as_of, item
            assert item.kind != "milestone", item
        elif item.status == "due-soon":
            assert as_of <= item.due <= soon, item
        elif item.status == "upcoming":
            assert item.due > soon, item
        else:
            assert item.status == "done"
            assert item.due < as_of, item
            assert item.kind == "milestone", item


@PROPERTY
@given(spec=registers(), as_of=as_ofs)
def test_a_legacy_models_transitional_duties_are_never_due_before_2_august_2027(
    make_register: MakeRegister,
    make_timeline: MakeTimeline,
    spec: dict[str, Any],
    as_of: date,
) -> None:
    register = build(make_register, spec)
    day = max(as_of, date(2025, 8, 1))
    timeline = make_timeline(register, day)

    for model_spec, model in zip(spec["models"], timeline.models, strict=True):
        legacy = provides(model_spec) and placing(model_spec) < date(2025, 8, 2)
        if not legacy or placing(model_spec) > day:  # decided from the input, not the output
            continue
        assert model.regime == "art-111-3-transition"
        assert model.regime_deadline == TRANSITION_DEADLINE
        for item in model.items:
            if item.due is not None and RULES.rule(item.rule).due.transition:
                assert item.due >= TRANSITION_DEADLINE, item


@PROPERTY
@given(spec=registers(), as_of=as_ofs)
def test_regimes_follow_the_placing_date_and_the_role(
    make_register: MakeRegister, make_timeline: MakeTimeline, spec: dict[str, Any], as_of: date
) -> None:
    register = build(make_register, spec)
    timeline = make_timeline(register, as_of)

    for model_spec, shown in zip(spec["models"], timeline.models, strict=True):
        assert shown.id == model_spec["id"]
        if not provides(model_spec):  # decided from the input, not the output
            assert shown.regime == "downstream"
        elif placing(model_spec) > as_of:
            assert shown.regime == "planned"
        elif placing(model_spec) < date(2025, 8, 2):
            assert shown.regime == "art-111-3-transition"
        else:
            assert shown.regime == "chapter-v"


@PROPERTY
@given(spec=registers(), as_of=as_ofs)
def test_after_a_withdrawal_only_milestones_records_and_standing_duties_remain(
    make_register: MakeRegister, make_timeline: MakeTimeline, spec: dict[str, Any], as_of: date
) -> None:
    timeline = make_timeline(build(make_register, spec), as_of)

    for model_spec, model in zip(spec["models"], timeline.models, strict=True):
        withdrawn = model_spec.get("withdrawn_on")
        if withdrawn is None or not provides(model_spec):
            continue
        assert model.withdrawn_on == withdrawn
        for item in model.items:
            if item.due is not None and item.due > withdrawn and item.event is None:
                assert item.kind == "milestone" or item.status == "done", item


@PROPERTY
@given(spec=registers(), as_of=as_ofs)
def test_after_accepted_arguments_no_systemic_risk_duty_falls_due(
    make_register: MakeRegister,
    make_timeline: MakeTimeline,
    spec: dict[str, Any],
    as_of: date,
) -> None:
    timeline = make_timeline(build(make_register, spec), as_of)

    for model_spec, model in zip(spec["models"], timeline.models, strict=True):
        if model_spec.get("arguments_decision") != "accepted":
            continue
        decided = model_spec["arguments_decided_on"]
        assert model.systemic_risk is (as_of < decided)
        for item in model.items:
            rule = RULES.rule(item.rule)
            if "systemic_risk" in rule.applies_to and rule.scope == "model":
                assert item.kind == "milestone" or item.due is None or item.due <= decided, item
                assert item.due is not None or as_of < decided, item
        if "withdrawn_on" not in model_spec:  # a withdrawal may come before the notification
            assert "art-52-1-notification" in {i.rule for i in model.items}
        assert "art-52-3-renotification" in {i.rule for i in model.items}
