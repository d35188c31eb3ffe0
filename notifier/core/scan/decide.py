"""The decision: what the organisation is under the Act for one model, with the reasons and
citations of the rule data. Pure.

Where an answer is missing the decision takes the reading that triggers duties (the project's
rule for ambiguous law: never let a duty that may apply go unreminded) and lists, in
`unknowns`, what to find out to settle it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from notifier.core.register.schema import CHAPTERS, EU_EEA, Chapter
from notifier.core.scan.answers import Answers, ModelAnswers, OrganisationAnswers
from notifier.core.scan.rules import ScanRules, Verification

Role = Literal[
    "not-gpai", "provider", "provider-systemic", "modifier-provider", "downstream", "deployer"
]
ROLES: tuple[Role, ...] = (
    "not-gpai",
    "provider",
    "provider-systemic",
    "modifier-provider",
    "downstream",
    "deployer",
)
CHAPTER_NAMES: dict[Chapter, str] = {
    "transparency": "Transparency",
    "copyright": "Copyright",
    "safety_and_security": "Safety and Security",
}

# What to find out when an answer is missing (the key, then the question that settles it).
FIND_OUT = {
    "training_compute_flop": "estimate the cumulative training compute in FLOP, to two "
    "significant figures (the Commission guidelines' Annex A gives the methods)",
    "modalities": "say what the model generates: text, audio, image, video or other",
    "placed_on_union_market": "say whether the model is made available on the Union market "
    "under your name (API, download, hub, app, or internal use essential to services for others)",
    "trained_by": "say who trained the model: us or third-party",
    "open_source": "say whether it is released under a free and open-source licence with "
    "public weights, architecture and usage information",
    "established_in": "give the country where the organisation is established (ISO code)",
    "base_compute_flop": "ask the original model's provider for its training compute (FLOP)",
    "modification_compute_flop": "measure the compute used for your modification (FLOP)",
    "uses": "name the provider and the model your system calls or embeds",
    "uses_signatory": "check on the AI Office's list whether the upstream provider signed the Code",
    "uses_systemic_risk": "ask whether the upstream model has systemic risk",
    "signed_chapters": "say which Code of Practice chapters the organisation signed",
}


@dataclass(frozen=True)
class Reason:
    text: str
    citation: str
    verification: Verification


@dataclass(frozen=True)
class Outcome:
    id: str
    name: str
    role: Role
    systemic_risk: bool
    art_54: bool
    chapters: tuple[Chapter, ...]
    reasons: tuple[Reason, ...]
    unknowns: tuple[str, ...]
    modifier_threshold_flop: float | None = None  # for the starter register's comments

    @property
    def registered(self) -> bool:
        """A role with duties the register tracks (providers, modifiers, downstream)."""
        return self.role not in ("not-gpai", "deployer")


@dataclass
class _Notes:
    rules: ScanRules
    reasons: list[Reason] = field(default_factory=list)
    unknowns: list[str] = field(default_factory=list)

    def add(self, reason_id: str, **values: object) -> None:
        found = self.rules.text(reason_id)
        filled = {
            "gpai_flop": flop(self.rules.gpai_indicative_flop),
            "systemic_flop": flop(self.rules.systemic_presumption_flop),
            **values,
        }
        self.reasons.append(
            Reason(found.text.format_map(filled), found.citation, found.verification)
        )

    def unknown(self, key: str) -> None:
        self.unknowns.append(f"{key}: {FIND_OUT[key]}")


def flop(value: float) -> str:
    """A compute figure as the Act writes it, two significant figures: 3e24, 3.3e24."""
    return f"{value:.2g}".replace("e+", "e")


def listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def scan(answers: Answers, rules: ScanRules) -> tuple[Outcome, ...]:
    """Every model's outcome, in the order the answers give them."""
    return tuple(decide(answers.organisation, model, rules) for model in answers.models)


def decide(org: OrganisationAnswers, model: ModelAnswers, rules: ScanRules) -> Outcome:
    notes = _Notes(rules)
    if model.base is not None and model.base_by != "us":
        outcome = _modifier(org, model, notes)
    else:
        if model.base is not None:
            notes.add("own-version")
        trainer = model.trained_by
        if trainer is None and model.uses is not None:
            trainer = "third-party"
        elif trainer is None:
            notes.add("trainer-unknown")
            notes.unknown("trained_by")
        if trainer == "third-party":
            outcome = _integrator(model, notes, model.uses)
        else:
            outcome = _own(org, model, notes)
    imported = [*org.imported.items(), *model.imported.items()]
    unknowns = [*outcome.unknowns, *(f"{k}: imported from {w}; confirm it" for k, w in imported)]
    return _replace_unknowns(outcome, unknowns)


def _own(org: OrganisationAnswers, model: ModelAnswers, notes: _Notes) -> Outcome:
    rules = notes.rules
    compute = model.training_compute_flop
    if compute is None:
        notes.add("compute-unknown")
        notes.unknown("training_compute_flop")
    elif compute <= rules.gpai_indicative_flop:
        notes.add("not-gpai-compute", compute=flop(compute))
        return _outcome(model, "not-gpai", notes)
    elif model.modalities is None:
        notes.add("modalities-unknown")
        notes.unknown("modalities")
    elif not set(model.modalities) & set(rules.gpai_modalities):
        notes.add(
            "not-gpai-modality", compute=flop(compute), modalities=listed(list(model.modalities))
        )
        return _outcome(model, "not-gpai", notes)
    if compute is not None:
        shown = listed(list(model.modalities or ("language, images or video",)))
        notes.add("gpai-indicative-met", compute=flop(compute), modalities=shown)
    _placement(model, notes)
    notes.add("provider")
    if model.designated:
        notes.add("systemic-designated")
        systemic = True
    elif compute is None:
        systemic = True  # the compute-unknown reason says why
    elif compute > rules.systemic_presumption_flop:
        notes.add("systemic-presumed", compute=flop(compute))
        systemic = True
    else:
        notes.add("not-systemic", compute=flop(compute))
        systemic = False
    role: Role = "provider-systemic" if systemic else "provider"
    return _provider(org, model, notes, role, systemic)


def _modifier(org: OrganisationAnswers, model: ModelAnswers, notes: _Notes) -> Outcome:
    rules = notes.rules
    base = model.base_compute_flop
    base_systemic = bool(model.base_systemic_risk) or (
        base is not None and base > rules.systemic_presumption_flop
    )
    if base is None:
        fallback = rules.systemic_presumption_flop if base_systemic else rules.gpai_indicative_flop
        basis = (
            "the original model has systemic risk"
            if base_systemic
            else "the original model is not known to have systemic risk"
        )
        notes.add("modifier-base-unknown", fallback=flop(fallback), fallback_basis=basis)
        notes.unknown("base_compute_flop")
        compared = fallback
    else:
        compared = base
    threshold = rules.one_third(compared)
    spent = model.modification_compute_flop
    values = {"base": flop(compared), "threshold": flop(threshold)}
    if spent is None:
        notes.add("modifier-unknown", **values)
        notes.unknown("modification_compute_flop")
    elif spent > threshold:
        notes.add("modifier-provider", modification=flop(spent), **values)
    else:
        notes.add("modifier-below", modification=flop(spent), **values)
        return _integrator(model, notes, model.uses or model.base)
    _placement(model, notes)
    systemic = base_systemic or bool(model.designated)
    if base_systemic:
        notes.add("modifier-systemic")
    elif model.designated:
        notes.add("systemic-designated")
    outcome = _provider(org, model, notes, "modifier-provider", systemic)
    return _with_threshold(outcome, threshold)


def _integrator(model: ModelAnswers, notes: _Notes, upstream: str | None) -> Outcome:
    """Someone else's model in the organisation's system: downstream provider or deployer."""
    placed = placed_answer(model)
    if placed is None:
        notes.add("placement-unknown")
        notes.unknown("placed_on_union_market")
    if placed is False:
        notes.add("deployer")
        return _outcome(model, "deployer", notes)
    notes.add("downstream", uses=upstream or "not named")
    if upstream is None:
        notes.add("upstream-unknown")
        notes.unknown("uses")
    chapters: list[Chapter] = ["transparency", "copyright"]
    if model.uses_systemic_risk is not False:
        chapters.append("safety_and_security")  # unknown: ask (the reading with more to check)
    if model.uses_systemic_risk is None:
        notes.unknown("uses_systemic_risk")
    if model.uses_signatory is None:
        notes.unknown("uses_signatory")
    notes.add("upstream-diligence", chapters=listed([CHAPTER_NAMES[c] for c in chapters]))
    notes.add("value-chain")
    return _outcome(model, "downstream", notes, chapters=tuple(chapters))


def placed_answer(model: ModelAnswers) -> bool | None:
    """Placed on the Union market: as answered, else as a placing date says (a date of first
    placing means yes, a planned one no), else not known."""
    if model.placed_on_union_market is not None:
        return model.placed_on_union_market
    if model.placed_on is not None:
        return True
    return False if model.planned_placement is not None else None


def _placement(model: ModelAnswers, notes: _Notes) -> None:
    placed = placed_answer(model)
    if placed is None:
        notes.add("placement-unknown")
        notes.unknown("placed_on_union_market")
    elif not placed:
        notes.add("not-placed")


def _provider(
    org: OrganisationAnswers, model: ModelAnswers, notes: _Notes, role: Role, systemic: bool
) -> Outcome:
    """What every provider shares: the open-source exemption, Art 54, the Code chapters."""
    rules = notes.rules
    if model.open_source is None:
        notes.unknown("open_source")
    exempt = bool(model.open_source) and not systemic
    if model.open_source and systemic:
        notes.add("open-source-systemic")
    elif exempt:
        notes.add("open-source-exempt")
    country = org.established_in
    eea_efta = set(rules.eea.states) if rules.eea.incorporated_on is None else set()
    if exempt:
        notes.add("art-54-open-source")
        art_54 = False
    elif country is None:
        notes.add("art-54-unknown")
        notes.unknown("established_in")
        art_54 = True
    elif country in eea_efta:
        notes.add("art-54-eea-efta", country=country)
        art_54 = True
    elif country in EU_EEA:
        notes.add("art-54-union", country=country)
        art_54 = False
    else:
        notes.add("art-54-third-country", country=country)
        art_54 = True
    chapters = tuple(
        c
        for c in CHAPTERS
        if (c != "transparency" or not exempt) and (c != "safety_and_security" or systemic)
    )
    notes.add("chapters", chapters=listed([CHAPTER_NAMES[c] for c in chapters]))
    if org.signed_chapters is None:
        notes.unknown("signed_chapters")
    return _outcome(model, role, notes, systemic=systemic, art_54=art_54, chapters=chapters)


def _outcome(
    model: ModelAnswers,
    role: Role,
    notes: _Notes,
    *,
    systemic: bool = False,
    art_54: bool = False,
    chapters: tuple[Chapter, ...] = (),
) -> Outcome:
    return Outcome(
        model.id,
        model.title,
        role,
        systemic,
        art_54,
        chapters,
        tuple(notes.reasons),
        tuple(dict.fromkeys(notes.unknowns)),
    )


def _with_threshold(outcome: Outcome, threshold: float) -> Outcome:
    return replace(outcome, modifier_threshold_flop=threshold)


def _replace_unknowns(outcome: Outcome, unknowns: list[str]) -> Outcome:
    return replace(outcome, unknowns=tuple(dict.fromkeys(unknowns)))
