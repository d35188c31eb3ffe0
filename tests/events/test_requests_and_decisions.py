"""Requests and decisions: Transparency Measure 1.2, Art 91 periods, Art 52(5), Code revisions."""

from __future__ import annotations

from datetime import date

from notifier.core.events import (
    CodeRevision,
    CommissionRequest,
    DesignationDecision,
    DownstreamRequest,
)
from tests.conftest import MakeRegister, MakeTimeline

MODEL = {"id": "atlas", "placed_on_market": date(2026, 1, 12)}
AS_OF = date(2026, 11, 24)


def test_a_signatory_answers_a_downstream_request_within_14_days(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    request = DownstreamRequest("downstream-request-1", "atlas", date(2026, 11, 20), "Acme")
    items = {
        i.rule: i
        for i in make_timeline(make_register(MODEL), AS_OF, events=[request]).all_items()
        if "downstream-request-1" in i.id
    }

    assert items["cop-t-1-2-downstream-request"].due == date(2026, 12, 4)
    assert items["cop-t-1-2-downstream-request"].citation == (
        "Code of Practice, Transparency, Measure 1.2"
    )


def test_a_non_signatory_of_transparency_has_no_14_day_period_only_the_standing_duty(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    request = DownstreamRequest("downstream-request-1", "atlas", date(2026, 11, 20))
    register = make_register(MODEL, transparency="not_signed")
    items = {
        i.rule: i
        for i in make_timeline(register, AS_OF, events=[request]).all_items()
        if "downstream-request-1" in i.id
    }

    assert set(items) == {"art-53-1-b-downstream-request"}
    assert items["art-53-1-b-downstream-request"].due is None


def test_a_commission_request_is_due_when_the_request_says(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    request = CommissionRequest(
        "commission-request-1", None, date(2026, 11, 2), date(2026, 12, 2), "AI-Office/2026/17"
    )
    result = make_timeline(make_register(MODEL), AS_OF, events=[request])
    (item,) = [i for i in result.organisation_items if "commission-request-1" in i.id]

    assert item.due == date(2026, 12, 2)
    assert item.citation.startswith("AI Act Art 91(4)")
    assert item.owners == ("legal",)


def test_a_designation_decision_gives_the_earliest_reassessment_request_six_months_later(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    decision = DesignationDecision("designation-1", "atlas", date(2026, 8, 31))
    items = {
        i.rule: i
        for i in make_timeline(make_register(MODEL), AS_OF, events=[decision]).all_items()
        if "designation-1" in i.id
    }

    # L9: six months end on 2027-02-28 (clamped); the request may be made from 2027-03-01
    assert items["art-52-5-reassessment-after-decision"].due == date(2027, 3, 1)
    assert items["art-52-5-reassessment-after-decision"].kind == "milestone"


def test_a_code_revision_finding_is_an_organisation_review_due_in_30_days(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    finding = CodeRevision("code-revision-1", "code-text", date(2026, 11, 20))
    result = make_timeline(make_register(MODEL), AS_OF, events=[finding])
    (item,) = [i for i in result.organisation_items if "code-revision-1" in i.id]

    assert item.id == "organisation/code-revision-1/review-code-revision-change"
    assert item.due == date(2026, 12, 20)
    assert item.status == "due-soon"


def test_the_code_revision_review_period_is_a_setting(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    finding = CodeRevision("code-revision-1", "code-text", date(2026, 11, 20))
    result = make_timeline(
        make_register(MODEL), AS_OF, events=[finding], offsets={"code_revision_review": 10}
    )
    (item,) = [i for i in result.organisation_items if "code-revision-1" in i.id]

    assert item.due == date(2026, 11, 30)


def test_updating_version_reviewed_after_the_finding_closes_the_review(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    finding = CodeRevision("code-revision-1", "code-text", date(2026, 11, 20))
    register = make_register(MODEL, version_reviewed=date(2026, 11, 22))
    result = make_timeline(register, AS_OF, events=[finding])
    (item,) = [i for i in result.organisation_items if "code-revision-1" in i.id]

    assert item.status == "done"


def test_a_signatory_list_change_makes_every_upstream_re_verification_due_at_once(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    downstream = {
        "id": "bot",
        "role": "downstream",
        "upstream": [
            {
                "provider": "Acme",
                "model": "Big-1",
                "signatory": "full",
                "last_verified": date(2026, 11, 10),
            }
        ],
    }
    register = make_register(downstream)
    before = [
        i
        for i in make_timeline(register, AS_OF).all_items()
        if i.rule == "review-upstream-signatory"
    ]
    after = [
        i
        for i in make_timeline(
            register, AS_OF, signatory_list_changed_on=date(2026, 11, 23)
        ).all_items()
        if i.rule == "review-upstream-signatory"
    ]

    assert before[0].due == date(2026, 12, 10)
    assert after[0].due == date(2026, 11, 23)
    assert after[0].status == "overdue"
    assert "signatory list changed on 2026-11-23" in after[0].description
