"""docs/law-coverage.md: every row of the legal reference maps to rules or to a reason, every
rule is pinned by a test, and the committed page is the one the rule data generates."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from notifier import law_coverage
from notifier.core.law import RuleSet
from notifier.core.law.coverage import Row, coverage_notes, coverage_problems, reference_rows

REFERENCE = Path(os.environ.get("NOTIFIER_LEGAL_REFERENCE", law_coverage.DEFAULT_REFERENCE))
needs_reference = pytest.mark.skipif(
    not REFERENCE.is_file(),
    reason=f"the legal reference is not at {REFERENCE} (set NOTIFIER_LEGAL_REFERENCE)",
)


def notes() -> dict[str, str]:
    text = (law_coverage.REPO / "notifier/core/law/coverage.toml").read_text(encoding="utf-8")
    return coverage_notes(text)


def test_every_rule_is_named_by_a_test(rules: RuleSet) -> None:
    assert coverage_problems(rules, {}, [], law_coverage.pinning_texts()) == []


def test_the_committed_page_names_every_rule(rules: RuleSet) -> None:
    page = law_coverage.PAGE.read_text(encoding="utf-8")

    assert [r.id for r in rules.rules if f"`{r.id}`" not in page] == []


def test_a_row_the_map_does_not_name_is_a_problem(rules: RuleSet) -> None:
    rows = [Row("L1", "5", "events"), Row("L99", "5", "a new row")]

    problems = coverage_problems(rules, {"L1": notes()["L1"]}, rows, law_coverage.pinning_texts())

    assert problems == [
        "L99: no rule names it in `reference` and coverage.toml has no entry for it"
    ]


def test_a_rule_without_a_test_is_a_problem(rules: RuleSet) -> None:
    tests = {
        k: v.replace("art-111-4-generative-marking", "x")
        for k, v in law_coverage.pinning_texts().items()
    }

    assert coverage_problems(rules, {}, [], tests) == [
        "rule art-111-4-generative-marking: no test names it"
    ]


@needs_reference
def test_every_row_of_the_reference_is_implemented_or_explained(rules: RuleSet) -> None:
    rows = reference_rows(REFERENCE.read_text(encoding="utf-8"))

    assert {"A1", "C4", "K1", "L1", "L11"} <= {row.id for row in rows}
    assert coverage_problems(rules, notes(), rows, law_coverage.pinning_texts()) == []


@needs_reference
def test_the_committed_page_is_the_one_the_rule_data_generates() -> None:
    generated, _ = law_coverage.page(REFERENCE)

    assert law_coverage.PAGE.read_text(encoding="utf-8") == generated, (
        f"docs/law-coverage.md is stale: run {law_coverage.COMMAND}"
    )


def test_every_row_on_the_committed_page_is_implemented_or_explained() -> None:
    """Without the reference at hand, the committed page still shows no row left open."""
    rows = [
        line.split("|")
        for line in law_coverage.PAGE.read_text(encoding="utf-8").splitlines()
        if line.startswith("| ") and line.split("|")[1].strip()[:1] in "ABCDEFGHIKL"
    ]
    open_rows = [cells[1].strip() for cells in rows if cells[3].strip() == "—"]

    assert len(rows) > 100
    assert open_rows == []
