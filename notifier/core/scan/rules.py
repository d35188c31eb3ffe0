"""The scan's rule data: thresholds and reasons from the `[scan]` block of the rule data
(core/law/rules.toml), so that no threshold, citation or legal sentence is typed into code; the
EEA EFTA states and their incorporation date (reference L3) from its `[eea]` table, the one the
timeline reads. Pure apart from reading the package's own data in `load_scan_rules`."""

from __future__ import annotations

import string
from datetime import date
from functools import cache
from importlib import resources
from typing import Literal

import tomli
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from notifier.core.law.model import Eea
from notifier.errors import InputError, Problem

Verification = Literal["primary", "secondary", "inference", "unverified"]

# The reason ids the decision refers to; a missing one fails when the rules load.
REASON_IDS = (
    "gpai-indicative-met",
    "not-gpai-compute",
    "not-gpai-modality",
    "compute-unknown",
    "modalities-unknown",
    "provider",
    "not-placed",
    "placement-unknown",
    "trainer-unknown",
    "systemic-presumed",
    "systemic-designated",
    "not-systemic",
    "open-source-exempt",
    "open-source-systemic",
    "modifier-provider",
    "modifier-below",
    "modifier-base-unknown",
    "modifier-unknown",
    "modifier-systemic",
    "own-version",
    "downstream",
    "upstream-diligence",
    "upstream-unknown",
    "value-chain",
    "deployer",
    "art-54-third-country",
    "art-54-eea-efta",
    "art-54-union",
    "art-54-unknown",
    "art-54-open-source",
    "chapters",
)
PLACEHOLDERS = frozenset(
    {
        "compute",
        "gpai_flop",
        "systemic_flop",
        "modalities",
        "modification",
        "base",
        "threshold",
        "fallback",
        "fallback_basis",
        "uses",
        "chapters",
        "country",
    }
)


class ScanReason(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    citation: str = Field(min_length=1)
    verification: Verification
    text: str = Field(min_length=1)


class ScanRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    gpai_indicative_flop: float = Field(gt=0)
    gpai_modalities: tuple[str, ...]
    systemic_presumption_flop: float = Field(gt=0)
    modifier_numerator: int = Field(gt=0)
    modifier_denominator: int = Field(gt=0)
    eea: Eea  # the rule data's `[eea]` table (L3), shared with the timeline
    code_version: date
    reason: tuple[ScanReason, ...]

    def text(self, reason_id: str) -> ScanReason:
        return next(r for r in self.reason if r.id == reason_id)

    def one_third(self, compute: float) -> float:
        """The share of the original's compute above which a modifier becomes the provider."""
        return compute * self.modifier_numerator / self.modifier_denominator


def parse_scan_rules(text: str, source: str) -> ScanRules:
    """The `[scan]` table of the rule data, with its `[eea]` table; a defect is a packaging bug,
    reported as bad input."""
    try:
        raw = tomli.loads(text)
        scan = raw.get("scan")
        given = (
            {**scan, "eea": raw.get("eea")}
            if isinstance(scan, dict) and "eea" not in scan
            else scan
        )
        rules = ScanRules.model_validate(given)
    except (tomli.TOMLDecodeError, ValidationError) as error:
        raise InputError([Problem(source, f"scan rule data is invalid: {error}")]) from None
    ids = [r.id for r in rules.reason]
    missing = [i for i in REASON_IDS if i not in ids]
    unknown = sorted({i for i in ids if i not in REASON_IDS or ids.count(i) > 1})
    odd = [r.id for r in rules.reason if not _placeholders(r.text) <= PLACEHOLDERS]
    if missing or unknown or odd:
        raise InputError(
            [
                Problem(
                    source,
                    f"scan rule data: reasons missing {missing}, unknown or repeated {unknown}, "
                    f"placeholders other than {sorted(PLACEHOLDERS)} in {odd}",
                )
            ]
        )
    return rules


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@cache
def load_scan_rules() -> ScanRules:
    """Read the scan's block of the rule data shipped with the package (once per process)."""
    text = resources.files("notifier.core.law").joinpath("rules.toml").read_text(encoding="utf-8")
    return parse_scan_rules(text, "notifier/core/law/rules.toml [scan]")
