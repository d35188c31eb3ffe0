"""Recurring review tasks: Code revisions, upstream signatures and documentation (Arts 53, 56)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from notifier.core.items import Item, Timeline
from notifier.core.law.model import Period
from notifier.core.register import Register
from notifier.core.timeline import DoneMark
from notifier.errors import RegisterError
from tests.support.timelines import AS_OF, TimelineOf, assert_item

MakeRegister = Callable[..., Register]
MakeTimeline = Callable[..., Timeline]

CODE = "organisation/review-code-revision"
MODEL = {"id": "m", "placed_on_market": date(2025, 9, 1)}


def upstream(provider: str, model: str, signatory: str, **fields: object) -> dict[str, object]:
    entry: dict[str, object] = {"provider": provider, "model": model, "signatory": signatory}
    entry.update(fields)
    entry.setdefault("last_verified", date(2026, 11, 2))
    return entry


def downstream(*entries: dict[str, object]) -> dict[str, object]:
    return {"id": "bot", "role": "downstream", "upstream": list(entries)}


def items_by_id(timeline: Timeline) -> dict[str, Item]:
    return {item.id: item for item in timeline.all_items()}


def test_the_code_revision_check_is_due_three_months_after_the_last_check(
    timeline_of: TimelineOf,
) -> None:
    item = items_by_id(timeline_of(MODEL, checked_on=date(2026, 10, 15)))[CODE]

    assert_item(
        item,
        due=date(2027, 1, 15),
        kind="review",
        citation="AI Act Art 56(8)",
        trigger=date(2026, 10, 15),
    )


def test_without_a_check_date_the_code_revision_check_runs_from_the_version_reviewed(
    timeline_of: TimelineOf,
) -> None:
    item = items_by_id(timeline_of(MODEL, version_reviewed=date(2025, 7, 10)))[CODE]

    assert_item(item, due=date(2025, 10, 10), status="overdue")


def test_the_cadence_setting_changes_the_code_revision_interval(timeline_of: TimelineOf) -> None:
    cadences = {"code_revision_check": Period(value=1, unit="months")}
    item = items_by_id(timeline_of(MODEL, checked_on=date(2026, 10, 15), cadences=cadences))[CODE]

    assert item.due == date(2026, 11, 15)


def test_a_done_code_revision_check_closes_that_occurrence_and_the_next_runs_from_that_day(
    timeline_of: TimelineOf,
) -> None:
    done = {CODE: [DoneMark(date(2027, 1, 20), "checked the 2027 revision")]}
    items = items_by_id(
        timeline_of(MODEL, checked_on=date(2026, 10, 15), as_of=date(2027, 1, 25), done=done)
    )

    closed = items[f"{CODE}@2027-01-15"]
    assert_item(closed, status="done", done_on=date(2027, 1, 20), due=date(2027, 1, 15))
    assert_item(items[CODE], due=date(2027, 4, 20), status="upcoming")


def test_two_done_marks_close_two_occurrences_in_order(timeline_of: TimelineOf) -> None:
    done = {CODE: [DoneMark(date(2027, 4, 18)), DoneMark(date(2027, 1, 10))]}
    timeline = timeline_of(MODEL, checked_on=date(2026, 10, 15), as_of=date(2027, 5, 1), done=done)
    occurrences = [i for i in timeline.organisation_items if i.rule == "review-code-revision"]

    assert [(i.id, i.status, i.due) for i in occurrences] == [
        (f"{CODE}@2027-01-15", "done", date(2027, 1, 15)),
        (f"{CODE}@2027-04-10", "done", date(2027, 4, 10)),
        (CODE, "upcoming", date(2027, 7, 18)),
    ]


def test_each_upstream_signature_is_re_verified_30_days_after_its_last_verification(
    timeline_of: TimelineOf,
) -> None:
    items = items_by_id(
        timeline_of(
            downstream(
                upstream("Example Upstream", "Big-1", "full", last_verified=date(2026, 11, 2)),
                upstream(
                    "Other Upstream",
                    "Open-2",
                    "partial",
                    chapters=["safety_and_security"],
                    last_verified=date(2026, 9, 15),
                ),
            )
        )
    )

    big = items["bot/review-upstream-signatory/example-upstream-big-1"]
    other = items["bot/review-upstream-signatory/other-upstream-open-2"]
    assert (big.due, big.status, big.kind) == (date(2026, 12, 2), "due-soon", "review")
    assert (other.due, other.status) == (date(2026, 10, 15), "overdue")


def test_the_upstream_cadence_setting_changes_the_re_verification_interval(
    timeline_of: TimelineOf,
) -> None:
    cadences = {"upstream_signatory_check": Period(value=7, unit="days")}
    items = items_by_id(timeline_of(downstream(upstream("Up", "Big-1", "full")), cadences=cadences))

    assert items["bot/review-upstream-signatory/up-big-1"].due == date(2026, 11, 9)


def test_a_done_upstream_check_is_followed_by_the_next_one_30_days_later(
    timeline_of: TimelineOf,
) -> None:
    item_id = "bot/review-upstream-signatory/up-big-1"
    done = {item_id: [DoneMark(date(2026, 12, 5))]}
    items = items_by_id(
        timeline_of(downstream(upstream("Up", "Big-1", "full")), as_of=date(2026, 12, 6), done=done)
    )

    assert items[f"{item_id}@2026-12-02"].status == "done"
    assert items[item_id].due == date(2027, 1, 4)


@pytest.mark.parametrize(
    ("signatory", "chapters"),
    [("partial", ["transparency", "copyright"]), ("none", None)],
)
def test_an_upstream_provider_that_has_not_signed_the_whole_code_needs_standing_evidence(
    timeline_of: TimelineOf,
    signatory: str,
    chapters: list[str] | None,
) -> None:
    item = items_by_id(
        timeline_of(downstream(upstream("Up", "Open-2", signatory, chapters=chapters)))
    )["bot/upstream-compliance-evidence/up-open-2"]

    assert item.due is None
    assert_item(item, status="standing", model="bot")


def test_upstream_evidence_is_diligence_practice_labelled_guidance_and_inference(
    timeline_of: TimelineOf,
) -> None:
    item = items_by_id(timeline_of(downstream(upstream("Up", "Open-2", "none"))))[
        "bot/upstream-compliance-evidence/up-open-2"
    ]

    assert_item(item, basis="guidance", verification="inference")


def test_no_evidence_is_asked_of_a_non_systemic_upstream_that_signed_what_matters_to_it(
    timeline_of: TimelineOf,
) -> None:
    entry = upstream(
        "Up", "Small-1", "partial", chapters=["transparency", "copyright"], systemic_risk=False
    )
    rules = {item.rule for item in timeline_of(downstream(entry)).all_items()}

    assert "upstream-compliance-evidence" not in rules


@pytest.mark.parametrize(
    ("entry", "named", "not_named"),
    [
        (
            upstream("Up", "Big-1", "partial", chapters=["transparency", "copyright"]),
            ["Safety and Security", "only if the model presents systemic risk"],
            ["Transparency:", "Copyright:"],
        ),
        (
            upstream(
                "Up", "Big-1", "partial", chapters=["safety_and_security"], systemic_risk=True
            ),
            ["Transparency", "Copyright"],
            ["Safety and Security:"],
        ),
        (
            upstream("Up", "Small-1", "none", systemic_risk=False),
            ["Transparency", "Copyright"],
            ["Safety and Security"],
        ),
    ],
)
def test_the_evidence_item_names_only_the_chapters_that_matter_and_are_not_signed(
    timeline_of: TimelineOf,
    entry: dict[str, object],
    named: list[str],
    not_named: list[str],
) -> None:
    items = timeline_of(downstream(entry)).all_items()
    (item,) = [i for i in items if i.rule == "upstream-compliance-evidence"]
    note = item.description.split("Chapters not signed that matter here:", 1)[1]

    for words in named:
        assert words in note, words
    for words in not_named:
        assert words not in note, words


def test_the_documentation_review_is_yearly_from_placing_when_never_reviewed(
    timeline_of: TimelineOf,
) -> None:
    item = items_by_id(timeline_of({"id": "m", "placed_on_market": date(2026, 3, 16)}))[
        "m/review-documentation"
    ]

    assert_item(item, due=date(2027, 3, 16), kind="review", citation="AI Act Art 53(1)(a),(b)")


def test_the_documentation_review_cadence_setting_changes_its_interval(
    timeline_of: TimelineOf,
) -> None:
    cadences = {"documentation_review": Period(value=6, unit="months")}
    item = items_by_id(
        timeline_of(
            {
                "id": "m",
                "placed_on_market": date(2025, 8, 2),
                "documentation_reviewed_on": date(2026, 7, 20),
            },
            cadences=cadences,
        )
    )["m/review-documentation"]

    assert item.due == date(2027, 1, 20)


def test_a_done_documentation_review_restarts_the_year_from_the_day_it_was_done(
    timeline_of: TimelineOf,
) -> None:
    done = {"m/review-documentation": [DoneMark(date(2027, 2, 1))]}
    items = items_by_id(
        timeline_of(
            {"id": "m", "placed_on_market": date(2026, 3, 16)}, as_of=date(2027, 2, 2), done=done
        )
    )

    assert items["m/review-documentation@2027-03-16"].status == "done"
    assert items["m/review-documentation"].due == date(2028, 2, 1)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("Acme", "Big-1"), ("Acme", "Big 1")),
        (("日本AI", "モデル"), ("中国AI", "模型")),
        (("Acme", "Big-1"), ("Acme", "Big-1")),
    ],
)
def test_two_upstream_entries_never_share_an_item_id(
    make_register: MakeRegister,
    make_timeline: MakeTimeline,
    first: tuple[str, str],
    second: tuple[str, str],
) -> None:
    try:
        register = make_register(downstream(upstream(*first, "none"), upstream(*second, "full")))
    except RegisterError as error:  # refusing the pair is right too
        refused = error.problems
    else:
        ids = [item.id for item in make_timeline(register, AS_OF).all_items()]
        assert len(ids) == len(set(ids))
        return

    assert any(p.field and p.field.startswith("upstream") for p in refused)
