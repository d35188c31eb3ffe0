"""The rule model: one entry per duty, with its legal basis and how its date is derived. Pure."""

from __future__ import annotations

import datetime
import string
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal, get_args

import tomli
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
    "open_source_exempt",  # ... and this is such a model (for events: on the event's day)
    "authorised_representative",  # Art 54(1),(6): third-country provider, not exempt
    "systemic_risk",  # a systemic-risk model (for events: on the event's day, K4, K6)
    "not_systemic_risk",
    "presumed_systemic_risk",  # must notify under Art 52(1)
    "designated",  # Art 52(4) designation
    "arguments_accepted",  # Art 52(2)-(3): the Commission accepted the provider's arguments
    "withdrawn",  # withdrawn from the Union market (K10)
    "signed:transparency",
    "signed:copyright",
    "signed:safety_and_security",
    "not_signed:transparency",
    "not_signed:copyright",
    "not_signed:safety_and_security",
    "upstream_evidence_gap",  # an upstream provider has not signed a chapter that matters to it
    "any_legacy_model",  # organisation scope: some model is in the Art 111(3) transition
    "later_version_of_systemic",  # version_of an earlier version with systemic risk (L4)
    "from_enforcement",  # an event on or after the day Arts 88-94 and 101 apply (L7)
    "before_enforcement",  # ... and before it
]

# Conditions that carry the Art 53(2) / 54(6) open-source exemption: for a free and open-source
# model the duty runs only while the model is systemic (K4).
EXEMPTION_CONDITIONS: frozenset[str] = frozenset(
    {"not_open_source_exempt", "authorised_representative"}
)

Anchor = Literal[
    "fixed",  # `date`
    "placing",  # the day of placing (recorded or planned)
    "systemic_since",  # the later of placing and the day systemic risk arose
    "threshold_known",  # Art 52(1) trigger
    "designation",  # Art 52(4) decision
    "framework_confirmation",  # CoP S&S Measure 1.1: min(notification + 4w, placing - 2w) (K1)
    "withdrawn",  # the day the model was withdrawn from the market (K10)
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
    "incident_final_report",  # the final report as made (done), else as due; none unresolved
    "request_received",  # receipt of a request
    "request_due",  # the period the request itself sets
    "decision",  # a Commission decision
    "revision_detected",  # a watcher finding
    "event_day",  # the day the event happened (occurred_on)
    "event_model_placing",  # the placing of the event's model (e.g. Measure 7.7's delay)
]


# The settings a rule may name (`cadence`, `offset_setting`): a typo fails when the rules load.
SettingName = Literal[
    "code_revision_check",  # cadences.code_revision_check_months
    "upstream_signatory_check",  # cadences.upstream_signatory_check_days
    "documentation_review",  # cadences.documentation_review_months
    "systemic_risk_review",  # cadences.systemic_risk_review_months
    "copyright_complaint",  # cadences.copyright_complaint_days (an offset, in days)
    "code_revision_review",  # watch.review_due_days
]

# Texts a rule adds to an item's description in one situation; `{name}` placeholders are filled
# from NOTE_FIELDS by the timeline (checked when the rules load).
NoteKey = Literal[
    "floor",  # the period was counted from `due.floor` (e.g. the day Chapter V applied)
    "legacy",  # a model placed before 2025-08-02: the earlier reading is shown (K2)
    "after_placing",  # systemic risk arose after placing (K1, K4)
    "designated_after_placing",  # designated after placing, so no notification (K1, K4)
    "eea",  # a provider in IS, LI or NO treated as a third-country provider (L3)
]
NOTE_FIELDS = ("since", "placing", "notified", "transition_deadline")

# The rule ids the engine's code refers to; parse_rules checks that each exists, so a renamed
# rule fails `make test` instead of silently dropping what depends on it.
CHAPTER_V_APPLIES = "aia-chapter-v-applies"  # its fixed date starts Chapter V (Art 113(b))
TRANSITION_ENDS = "art-111-3-transition-ends"  # its fixed date ends Art 111(3)
ENFORCEMENT = "art-101-enforcement"  # its fixed date starts Commission enforcement and fines
NOTIFICATION = "art-52-1-notification"
FRAMEWORK_CONFIRMATION = "cop-ss-1-1-framework-confirmation"
FRAMEWORK_ACCESS = "cop-ss-1-4-framework-access"
# L4: a later version is the same model; these are not restarted by it (GL s.2.2).
NOT_RESTARTED_BY_VERSIONS = (NOTIFICATION, FRAMEWORK_CONFIRMATION, FRAMEWORK_ACCESS)
INCIDENT_INITIAL_REPORT = "cop-ss-9-3-initial-report"
INCIDENT_FINAL_REPORT = "cop-ss-9-3-final-report"
CODE_REVISION_REVIEW = "review-code-revision-change"
UPSTREAM_REVERIFY = "review-upstream-signatory"
WITHDRAWN = "model-withdrawn"  # its item's date is the model's withdrawn_on (K10)
# Art 53(4), 55(2) (K11): the item of each chapter not signed, per model it covers.
ALTERNATIVE_MEANS: dict[str, str] = {
    "transparency": "art-53-4-alternative-means-transparency",
    "copyright": "art-53-4-alternative-means-copyright",
    "safety_and_security": "art-55-2-alternative-means-safety-security",
}
FIXED_DATE_RULES = (CHAPTER_V_APPLIES, TRANSITION_ENDS, ENFORCEMENT)
REFERENCED_RULES = (
    *FIXED_DATE_RULES,
    NOTIFICATION,
    FRAMEWORK_CONFIRMATION,
    FRAMEWORK_ACCESS,
    INCIDENT_INITIAL_REPORT,
    INCIDENT_FINAL_REPORT,
    CODE_REVISION_REVIEW,
    UPSTREAM_REVERIFY,
    WITHDRAWN,
    *ALTERNATIVE_MEANS.values(),
)
SETTING_NAMES: tuple[str, ...] = get_args(SettingName)


@dataclass(frozen=True)
class Landmarks:
    """The dates and amounts the engine reasons with, read from the rule data (never typed
    into code): the day Chapter V applies, the end of the Art 111(3) transition, fines."""

    chapter_v_applies: datetime.date
    transition_deadline: datetime.date
    transition_citation: str
    enforcement_from: datetime.date
    fine_floor_eur: int
    fine_turnover_share: float
    fine_citation: str
    eea_states: frozenset[str] = frozenset()
    eea_incorporated_on: datetime.date | None = None  # None: not incorporated yet (L3)
    chapter_v_citation: str = ""  # the citation of the rule whose date starts Chapter V


class Period(BaseModel):
    # defer_build: the schema is built at first validation, not at import; a model only ever
    # validated inside another (e.g. Rule, in RuleSet) is then never built on
    # its own (issue 22: the prompt).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    value: int
    unit: Unit


class Due(BaseModel):
    """How the due date is derived."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    anchor: Anchor
    date: datetime.date | None = None
    offset: Period | None = None
    every: Period | None = None  # recurring: repeats at this interval from the anchor
    cadence: SettingName | None = None  # the setting that overrides `every`
    after: str | None = None  # anchor = "rule": the rule id whose due date starts it
    transition: bool = False  # Art 111(3): legacy models are due 2027-08-02 at the latest
    floor: datetime.date | None = None  # never earlier than this (e.g. Chapter V application date)
    floor_citation: str | None = None
    # Legacy models (placed before 2025-08-02) where the Act does not say whether Art 111(3)
    # postpones the duty: the earlier reading is the due date, labelled inference, and the
    # rule's notes["legacy"] names the later one (K2). Cited instead of floor_citation.
    legacy_earlier: bool = False
    legacy_floor_citation: str | None = None
    systemic_floor: bool = False  # not before the day systemic risk arose (if after placing)
    days_by_type: dict[str, int] | None = None  # incident_aware: calendar days per incident type
    offset_setting: SettingName | None = None  # the setting (in days) that overrides `offset`
    also_when: Literal["signatory_list_changed"] | None = None  # due at once on this finding
    # A right that opens once a period has run (Art 52(5) "at the earliest six months after",
    # L9): the period ends at the end of its last day (Reg 1182/71 Art 3), so the date shown is
    # the day after it.
    after_period_ends: bool = False


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
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
    right: bool = False  # the date opens a right (Art 52(5)): never "done" by passing, "open"
    notes: dict[NoteKey, str] = Field(default_factory=dict)

    def note(self, key: NoteKey, **fields: object) -> str | None:
        """The rule's text for a situation, with its placeholders filled; None if it has none."""
        text = self.notes.get(key)
        return None if text is None else text.format_map(fields)

    # Facts about the rule that the timeline asks for every item; computed once per rule.
    @cached_property
    def carries_exemption(self) -> bool:
        """It applies through a condition carrying the Art 53(2) / 54(6) exemption."""
        return bool(set(self.applies_to) & EXEMPTION_CONDITIONS)

    @cached_property
    def counts_business_days(self) -> bool:
        """Its offset or interval is counted in business days."""
        periods = (self.due.offset, self.due.every)
        return any(p is not None and p.unit == "business_days" for p in periods)


class Fines(BaseModel):
    """AI Act Art 101(1): the higher of a fixed amount and a share of worldwide turnover."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    floor_eur: int = Field(gt=0)
    turnover_share: float = Field(gt=0, lt=1)
    citation: str


class RegimeCitations(BaseModel):
    """The provision behind each reason a model is in its regime (`[regime]` in rules.toml)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    downstream: str
    modifier: str
    lineage: str
    designated: str
    presumed: str
    open_source: str


class Eea(BaseModel):
    """L3: when the AI Act became part of the EEA Agreement (None: not yet, as far as the
    rule data knows); until then its EEA-only states are third countries for Art 54."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    states: tuple[str, ...]
    citation: str
    verification: Verification
    incorporated_on: datetime.date | None = None


class Thresholds(BaseModel):
    """The training-compute thresholds (FLOP) of the rule data's `[scan]` table, which the scan
    and the register's classification share: the Art 51(2) presumption (C3) and the guidelines'
    indicative GPAI criterion (G3)."""

    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)
    gpai_indicative_flop: float = Field(gt=0)
    systemic_presumption_flop: float = Field(gt=0)


def rule_data(text: str, source: str) -> dict[str, Any]:
    """Rule data's TOML, parsed once for the rules and the thresholds both."""
    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        raise InputError([Problem(source, f"rule data is invalid: {error}")]) from None


def parse_thresholds(text: str, source: str) -> Thresholds:
    """The thresholds of rule data `text`; a defect is a packaging bug, reported as bad input."""
    return thresholds_of(rule_data(text, source), source)


def thresholds_of(raw: dict[str, Any], source: str) -> Thresholds:
    """The thresholds of parsed rule data (`[scan]`)."""
    try:
        return Thresholds.model_validate(raw.get("scan"))
    except ValidationError as error:
        raise InputError([Problem(source, f"threshold rule data is invalid: {error}")]) from None


class RuleSet(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    law: str
    version: str = "unversioned"  # raised with each change; changelog.toml describes each
    fines: Fines
    regime: RegimeCitations
    eea: Eea
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
            enforcement_from=self.fixed_date(ENFORCEMENT),
            fine_floor_eur=self.fines.floor_eur,
            fine_turnover_share=self.fines.turnover_share,
            fine_citation=self.fines.citation,
            eea_states=frozenset(self.eea.states),
            eea_incorporated_on=self.eea.incorporated_on,
            chapter_v_citation=self.rule(CHAPTER_V_APPLIES).citation,
        )


def parse_rules(text: str, source: str) -> RuleSet:
    """Parse rule data; a defect here is a packaging bug, reported like any bad input."""
    return rules_of(rule_data(text, source), source)


def rules_of(raw: dict[str, Any], source: str) -> RuleSet:
    """The rule set of parsed rule data, checked as `parse_rules` says."""
    try:
        ruleset = RuleSet.model_validate(
            {
                "law": raw.get("law"),
                "version": raw.get("version", "unversioned"),
                "fines": raw.get("fines"),
                "regime": raw.get("regime"),
                "eea": raw.get("eea"),
                "rules": raw.get("rule", []),
            }
        )
    except ValidationError as error:
        raise InputError([Problem(source, f"rule data is invalid: {error}")]) from None
    ids = [r.id for r in ruleset.rules]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    dangling = [r.id for r in ruleset.rules if r.due.after is not None and r.due.after not in ids]
    missing = [rule_id for rule_id in REFERENCED_RULES if rule_id not in ids]
    undated = [
        rule_id
        for rule_id in FIXED_DATE_RULES
        if rule_id in ids and ruleset.rule(rule_id).due.anchor != "fixed"
    ]
    placeholders = [r.id for r in ruleset.rules if not _known_placeholders(r)]
    if duplicates or dangling or missing or undated or placeholders:
        raise InputError(
            [
                Problem(
                    source,
                    f"rule data: duplicate ids {duplicates}, unknown 'after' in {dangling}, "
                    f"rules the code refers to missing {missing}, not fixed dates {undated}, "
                    f"notes with placeholders other than {NOTE_FIELDS} in {placeholders}",
                )
            ]
        )
    return ruleset


def _known_placeholders(rule: Rule) -> bool:
    fields = {
        name
        for text in rule.notes.values()
        for _, name, _, _ in string.Formatter().parse(text)
        if name is not None
    }
    return fields <= set(NOTE_FIELDS)
