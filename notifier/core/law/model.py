"""The rule model: one entry per duty, with its legal basis and how its date is derived. Pure."""

from __future__ import annotations

import datetime
import tomllib
from dataclasses import dataclass
from functools import cached_property
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from notifier.core.events import EventKind
from notifier.errors import InputError, Problem

Basis = Literal["law", "code", "guidance"]
Kind = Literal["deadline", "review", "milestone"]
Verification = Literal["primary", "secondary", "inference", "unverified"]
Unit = Literal["days", "weeks", "months", "years", "business_days"]

# Conditions a rule may require; the timeline knows what each means for a model.
Condition = Literal[
    "provider",  # the organisation provides the model (incl. modifiers over 1/3)
    "not_downstream",
    "downstream",  # supply-chain checks only
    "not_open_source_exempt",  # Art 53(2): (a),(b) do not apply to qualifying open-source models
    "authorised_representative",  # Art 54(1),(6): third-country provider, not exempt
    "systemic_risk",
    "presumed_systemic_risk",  # must notify under Art 52(1)
    "designated",  # Art 52(4) designation
    "signed:transparency",
    "signed:copyright",
    "signed:safety_and_security",
    "not_signed:transparency",
    "not_signed:safety_and_security",
    "upstream_not_full",  # an upstream provider has not signed the whole Code
    "any_legacy_model",  # organisation scope: some model is in the Art 111(3) transition
]

Anchor = Literal[
    "fixed",  # `date`
    "placing",  # the day of placing (recorded or planned)
    "systemic_since",  # the later of placing and the day systemic risk arose
    "threshold_known",  # Art 52(1) trigger
    "designation",  # Art 52(4) decision
    "framework_confirmation",  # CoP S&S Measure 1.1: min(notification + 4w, placing - 2w)
    "rule",  # the due date of another rule of the same model (`after`)
    "code_checked",  # last Code revision check (organisation)
    "upstream_verified",  # last verification of an upstream provider's signature
    "documentation_reviewed",  # last documentation review, else placing
    "none",  # standing duty, no date
    # anchors of recorded events (scope "event")
    "incident_aware",  # awareness of the model's involvement (+ days_by_type)
    "incident_initial",  # the initial report (as made, else as due)
    "incident_resolved",  # resolution of the incident
    "incident_documented",  # the later of awareness and resolution
    "request_received",  # receipt of a request
    "request_due",  # the period the request itself sets
    "decision",  # a Commission decision
    "revision_detected",  # a watcher finding
]


# The settings a rule may name (`cadence`, `offset_setting`): a typo fails when the rules load.
SettingName = Literal[
    "code_revision_check",  # cadences.code_revision_check_months
    "upstream_signatory_check",  # cadences.upstream_signatory_check_days
    "documentation_review",  # cadences.documentation_review_months
    "code_revision_review",  # watch.review_due_days
]

# The rule ids the engine's code refers to; parse_rules checks that each exists, so a renamed
# rule fails `make test` instead of silently dropping what depends on it.
CHAPTER_V_APPLIES = "aia-chapter-v-applies"  # its fixed date starts Chapter V (Art 113(b))
TRANSITION_ENDS = "art-111-3-transition-ends"  # its fixed date ends Art 111(3)
NOTIFICATION = "art-52-1-notification"
INCIDENT_INITIAL_REPORT = "cop-ss-9-3-initial-report"
CODE_REVISION_REVIEW = "review-code-revision-change"
UPSTREAM_REVERIFY = "review-upstream-signatory"
REFERENCED_RULES = (
    CHAPTER_V_APPLIES,
    TRANSITION_ENDS,
    NOTIFICATION,
    INCIDENT_INITIAL_REPORT,
    CODE_REVISION_REVIEW,
    UPSTREAM_REVERIFY,
)
SETTING_NAMES: tuple[str, ...] = get_args(SettingName)


@dataclass(frozen=True)
class Landmarks:
    """The dates and amounts the engine reasons with, read from the rule data (never typed
    into code): the day Chapter V applies, the end of the Art 111(3) transition, fines."""

    chapter_v_applies: datetime.date
    transition_deadline: datetime.date
    transition_citation: str
    fine_floor_eur: int
    fine_turnover_share: float
    fine_citation: str


class Period(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    value: int
    unit: Unit


class Due(BaseModel):
    """How the due date is derived."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    anchor: Anchor
    date: datetime.date | None = None
    offset: Period | None = None
    every: Period | None = None  # recurring: repeats at this interval from the anchor
    cadence: SettingName | None = None  # the setting that overrides `every`
    after: str | None = None  # anchor = "rule": the rule id whose due date starts it
    transition: bool = False  # Art 111(3): legacy models are due 2027-08-02 at the latest
    floor: datetime.date | None = None  # never earlier than this (e.g. Chapter V application date)
    floor_citation: str | None = None
    systemic_floor: bool = False  # not before the day systemic risk arose (if after placing)
    days_by_type: dict[str, int] | None = None  # incident_aware: calendar days per incident type
    offset_setting: SettingName | None = None  # the setting (in days) that overrides `offset`
    also_when: Literal["signatory_list_changed"] | None = None  # due at once on this finding


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    basis: Basis
    kind: Kind
    scope: Literal["model", "organisation", "upstream", "event"]
    event: EventKind | None = None  # scope "event": the kind of event the rule follows
    citation: str
    verification: Verification
    description: str
    reference: str = ""  # rows of the project's legal reference this rule rests on
    applies_to: tuple[Condition, ...] = ()
    due: Due
    url: str | None = None


class Fines(BaseModel):
    """AI Act Art 101(1): the higher of a fixed amount and a share of worldwide turnover."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    floor_eur: int = Field(gt=0)
    turnover_share: float = Field(gt=0, lt=1)
    citation: str


class RuleSet(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    law: str
    fines: Fines
    rules: tuple[Rule, ...]

    def rule(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)

    def fixed_date(self, rule_id: str) -> datetime.date:
        found = self.rule(rule_id).due.date
        assert found is not None  # parse_rules checks every referenced date rule is fixed
        return found

    @cached_property
    def landmarks(self) -> Landmarks:
        return Landmarks(
            chapter_v_applies=self.fixed_date(CHAPTER_V_APPLIES),
            transition_deadline=self.fixed_date(TRANSITION_ENDS),
            transition_citation=self.rule(TRANSITION_ENDS).citation,
            fine_floor_eur=self.fines.floor_eur,
            fine_turnover_share=self.fines.turnover_share,
            fine_citation=self.fines.citation,
        )


def parse_rules(text: str, source: str) -> RuleSet:
    """Parse rule data; a defect here is a packaging bug, reported like any bad input."""
    try:
        raw = tomllib.loads(text)
        ruleset = RuleSet.model_validate(
            {"law": raw.get("law"), "fines": raw.get("fines"), "rules": raw.get("rule", [])}
        )
    except (tomllib.TOMLDecodeError, ValidationError) as error:
        raise InputError([Problem(source, f"rule data is invalid: {error}")]) from None
    ids = [r.id for r in ruleset.rules]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    dangling = [r.id for r in ruleset.rules if r.due.after is not None and r.due.after not in ids]
    missing = [rule_id for rule_id in REFERENCED_RULES if rule_id not in ids]
    undated = [
        rule_id
        for rule_id in (CHAPTER_V_APPLIES, TRANSITION_ENDS)
        if rule_id in ids and ruleset.rule(rule_id).due.anchor != "fixed"
    ]
    if duplicates or dangling or missing or undated:
        raise InputError(
            [
                Problem(
                    source,
                    f"rule data: duplicate ids {duplicates}, unknown 'after' in {dangling}, "
                    f"rules the code refers to missing {missing}, not fixed dates {undated}",
                )
            ]
        )
    return ruleset
