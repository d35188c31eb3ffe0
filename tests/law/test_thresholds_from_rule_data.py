"""The compute thresholds the register's classification uses (Art 51(2): 10^25 FLOP, reference
C3; the guidelines' indicative GPAI criterion: 10^23 FLOP, G3) come from the rule data, the
same `[scan]` values the exposure scan reads: no FLOP figure is typed into the code."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import notifier.core.register.classification as classification
from notifier.core.law import load_thresholds
from notifier.core.law.model import parse_thresholds
from notifier.core.scan import load_scan_rules

SOURCES = [
    Path(classification.__file__),
    Path(classification.__file__).parent / "lifecycle_checks.py",
]
TEXT = resources.files("notifier.core.law").joinpath("rules.toml").read_text("utf-8")


def test_the_classification_reads_the_scans_thresholds() -> None:
    scan = load_scan_rules()
    assert load_thresholds().systemic_presumption_flop == scan.systemic_presumption_flop == 1e25
    assert load_thresholds().gpai_indicative_flop == scan.gpai_indicative_flop == 1e23
    assert classification.systemic_risk_flop() == 1e25
    assert classification.gpai_indicative_flop() == 1e23


def test_a_threshold_changed_in_the_rule_data_is_the_one_read() -> None:
    changed = TEXT.replace("systemic_presumption_flop = 1e25", "systemic_presumption_flop = 2e25")
    assert parse_thresholds(changed, "rules.toml").systemic_presumption_flop == 2e25


def test_no_flop_threshold_is_typed_into_the_classification() -> None:
    for source in SOURCES:
        code = source.read_text(encoding="utf-8")
        assert not re.search(r"\b1e2[35]\b", code), source
