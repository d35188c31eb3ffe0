"""AI Act Art 101: the fine ceiling and the start of Commission enforcement."""

from __future__ import annotations

from datetime import date

import pytest

from notifier.core.law import RuleSet
from notifier.core.timeline import fine_ceiling
from tests.support.timelines import TimelineOf, assert_item

MODEL = {"id": "m", "placed_on_market": date(2025, 9, 1)}


@pytest.mark.parametrize(
    ("turnover", "ceiling"),
    [
        (820_000_000, 24_600_000),
        (420_000_000, 15_000_000),
        (500_000_000, 15_000_000),
        (500_000_001, 15_000_000),
        (1_000_000_000, 30_000_000),
        (0, 15_000_000),
        (2.5e11, 7_500_000_000),
    ],
)
def test_the_fine_ceiling_is_the_higher_of_15_million_and_3_percent_of_turnover(
    turnover: float, ceiling: int, rules: RuleSet
) -> None:
    assert fine_ceiling(turnover, rules.landmarks) == ceiling


def test_the_fine_ceiling_is_unknown_without_a_turnover(rules: RuleSet) -> None:
    assert fine_ceiling(None, rules.landmarks) is None


def test_the_timeline_carries_the_fine_ceiling_and_its_citation(timeline_of: TimelineOf) -> None:
    timeline = timeline_of(MODEL, annual_turnover_eur=820_000_000, as_of=date(2026, 11, 24))

    assert timeline.fine_ceiling_eur == 24_600_000
    assert timeline.fine_citation == "AI Act Art 101(1)"


def test_a_register_without_turnover_has_no_fine_ceiling(timeline_of: TimelineOf) -> None:
    timeline = timeline_of(MODEL, as_of=date(2026, 11, 24))

    assert timeline.fine_ceiling_eur is None
    assert timeline.fine_citation == "AI Act Art 101(1)"


@pytest.mark.parametrize(
    ("as_of", "status"),
    [
        (date(2026, 5, 1), "upcoming"),
        (date(2026, 7, 3), "due-soon"),
        (date(2026, 8, 2), "due-soon"),
        (date(2026, 8, 3), "done"),
    ],
)
def test_enforcement_and_fines_start_on_2_august_2026_as_an_organisation_milestone(
    timeline_of: TimelineOf, as_of: date, status: str
) -> None:
    timeline = timeline_of(MODEL, as_of=as_of)
    item = next(i for i in timeline.organisation_items if i.rule == "art-101-enforcement")

    assert_item(
        item,
        id="organisation/art-101-enforcement",
        due=date(2026, 8, 2),
        kind="milestone",
        status=status,
    )
    assert item.citation.startswith("AI Act Art 101(1)")


def test_chapter_v_applies_on_2_august_2025_as_an_organisation_milestone(
    timeline_of: TimelineOf,
) -> None:
    timeline = timeline_of(MODEL, as_of=date(2026, 11, 24))
    item = next(i for i in timeline.organisation_items if i.rule == "aia-chapter-v-applies")

    assert_item(item, due=date(2025, 8, 2), status="done", citation="AI Act Art 113 third para (b)")


@pytest.mark.parametrize(("turnover", "ceiling"), [(1_000_000.0, 15_000_000), (40e6, 15_000_000)])
def test_an_sme_or_small_mid_cap_gets_no_reduction_of_the_art_101_ceiling(
    rules: RuleSet, turnover: float, ceiling: int
) -> None:
    """L11: Art 101(1) is the higher of EUR 15 million and 3 % for every provider; the SME and
    SMC caps of Art 99(6), (6a) ("whichever is lower") concern Art 99 fines only. A provider
    with EUR 1 million (or 40 million) turnover: 3 % is 30 000 (1.2 million) -> EUR 15 million."""
    assert fine_ceiling(turnover, rules.landmarks) == ceiling
    assert "no reduction for SMEs" in rules.rule("art-101-enforcement").description
