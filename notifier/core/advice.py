"""Should we sign the Code of Practice, chapter by chapter? The guide's decision, from the
register and the timeline (whose items carry the done marks). Pure: plain values in and out.

A chapter covers the models whose duties it operationalises: Transparency the Art 53(1)(a),(b)
duties (not for free and open-source models without systemic risk, Art 53(2), K7), Copyright
the Art 53(1)(c) policy of every model provided, Safety and Security the Art 55 duties of
systemic-risk models (recital (b), K6). Models withdrawn by `as_of` are no longer covered.
A chapter not signed leaves, per covered model, an item to document alternative adequate means
(Art 53(4), 55(2), K11): open items mean "sign or document", all closed "keep it current".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from notifier.core.chapters import ALTERNATIVE_BASIS, TITLES, evidence_to_request
from notifier.core.items import Item, Timeline
from notifier.core.law.model import ALTERNATIVE_MEANS, Landmarks
from notifier.core.register import CHAPTERS, Chapter, Model, Register, Upstream
from notifier.core.register.classification import Classification, classify

Recommendation = Literal[
    "operate-per-code", "sign-or-document-alternative", "keep-alternative-current", "not-relevant"
]
RECOMMENDATIONS: tuple[Recommendation, ...] = (
    "operate-per-code",
    "sign-or-document-alternative",
    "keep-alternative-current",
    "not-relevant",
)

# What each signed chapter asks of you, in a few words (the measures, not their full text).
MEASURES: dict[Chapter, str] = {
    "transparency": (
        "its Measures 1.1 and 1.2 (the Model Documentation Form information, kept up to date; "
        "information to downstream providers within 14 days of a request, to the AI Office "
        "within the period it sets)"
    ),
    "copyright": "its Measures 1.1-1.5 (copyright policy, lawful crawling, opt-outs, complaints)",
    "safety_and_security": (
        "its commitments (Framework, systemic-risk assessment before placing, Model Report, "
        "serious-incident reports within 2 to 15 days, documentation kept 10 years)"
    ),
}


@dataclass(frozen=True)
class ChapterAdvice:
    chapter: Chapter
    status: Literal["signed", "not_signed"]
    models: tuple[str, ...]
    recommendation: Recommendation
    reasons: tuple[str, ...]  # the chapter's own reasons; the standards reason is Advice's


@dataclass(frozen=True)
class UpstreamAdvice:
    model: str
    provider: str
    signatory: str
    evidence_to_request: tuple[str, ...]


@dataclass(frozen=True)
class Advice:
    as_of: date
    organisation: str
    chapters: tuple[ChapterAdvice, ...]
    upstream: tuple[UpstreamAdvice, ...]
    standards: str  # why not to wait for harmonised standards (for every relevant chapter)

    def reasons(self, chapter: ChapterAdvice) -> tuple[str, ...]:
        """All reasons of a chapter: its own, then, where it matters, the standards reason."""
        if chapter.recommendation == "not-relevant":
            return chapter.reasons
        return (*chapter.reasons, self.standards)


def advise(register: Register, timeline: Timeline, law: Landmarks) -> Advice:
    as_of = timeline.as_of
    classes = {m.id: classify(m) for m in register.models}
    items = {(i.model, i.rule): i for i in timeline.all_items() if i.occurrence is None}
    chapters = tuple(_chapter(chapter, register, classes, items, as_of) for chapter in CHAPTERS)
    return Advice(
        as_of,
        register.organisation.name,
        chapters,
        _upstream(register),
        _standards(law),
    )


def covers(chapter: Chapter, model: Model, cls: Classification, as_of: date) -> bool:
    """Whether the chapter's duties bind this model on `as_of` or later."""
    if not cls.provider or (model.withdrawn_on is not None and model.withdrawn_on <= as_of):
        return False
    systemic = cls.systemic and (cls.systemic_until is None or as_of < cls.systemic_until)
    if chapter == "safety_and_security":
        return systemic
    if chapter == "transparency":
        return not cls.open_source or systemic
    return True


def _chapter(
    chapter: Chapter,
    register: Register,
    classes: dict[str, Classification],
    items: dict[tuple[str | None, str], Item],
    as_of: date,
) -> ChapterAdvice:
    signed = register.organisation.code_of_practice.signed(chapter)
    models = tuple(m.id for m in register.models if covers(chapter, m, classes[m.id], as_of))
    title, basis = TITLES[chapter], ALTERNATIVE_BASIS[chapter]
    found = [items.get((model_id, ALTERNATIVE_MEANS[chapter])) for model_id in models]
    open_items = [i for i in found if i is not None and i.status != "done"]
    reasons: list[str]
    if not models:
        recommendation: Recommendation = "not-relevant"
        reasons = [_not_relevant(chapter, register, classes, as_of)]
        if signed:
            reasons.append(
                f"You signed the {title} chapter: its commitments bind you once a model it "
                f"covers exists (Code of Practice, {title})."
            )
    elif signed:
        recommendation = "operate-per-code"
        reasons = [
            f"You signed the {title} chapter: follow {MEASURES[chapter]} for every model it "
            f"covers; relying on the Code is how you demonstrate compliance ({basis}), and "
            "adherence to it counts when the Commission sets a fine (AI Act Art 101(1)).",
        ]
    elif open_items:
        recommendation = "sign-or-document-alternative"
        still = "; ".join(f"{i.id} ({_when(i)})" for i in open_items)
        reasons = [
            f"You have not signed the {title} chapter: for each model it covers you must "
            "demonstrate alternative adequate means of compliance for assessment by the "
            f"Commission ({basis}).",
            f"Not yet documented: {still}. Close each with notifier done ITEM_ID once the "
            "documentation is in place.",
            "Signing remains possible at any time: the Commission sets no deadline for later "
            "signatures (Commission FAQ 'Signing the GPAI code of practice').",
        ]
    else:
        recommendation = "keep-alternative-current"
        reasons = [
            f"You have not signed the {title} chapter and the alternative adequate means are "
            f"documented for every model it covers ({basis}).",
            "Keep them current as the models and their documentation change, ready for the "
            f"Commission's assessment ({basis}); signing remains possible at any time.",
        ]
    return ChapterAdvice(
        chapter,
        "signed" if signed else "not_signed",
        models,
        recommendation,
        tuple(reasons),
    )


def _when(item: Item) -> str:
    due = f"due {item.due}" if item.due else "no date"
    return f"{due}, {item.status}"


def _not_relevant(
    chapter: Chapter, register: Register, classes: dict[str, Classification], as_of: date
) -> str:
    on_market = [
        m
        for m in register.models
        if classes[m.id].provider and (m.withdrawn_on is None or m.withdrawn_on > as_of)
    ]
    if not on_market:
        return (
            "You provide no general-purpose AI model on the market (you build on others' "
            "models or have withdrawn yours): the chapter's duties bind providers (AI Act Art "
            "53, 55)."
        )
    if chapter == "safety_and_security":
        return (
            "No model you have on the market presents systemic risk: the chapter 'is only "
            "relevant for providers of general-purpose AI models with systemic risk' (Code of "
            "Practice, "
            "Safety and Security, recital (b)). Revisit when a model's training compute is "
            "expected to exceed 1e25 FLOP (AI Act Art 51(2), 52(1)) or the Commission "
            "designates one (Art 52(4))."
        )
    # Copyright covers every model on the market, so only Transparency is left here.
    return (
        "Every model you provide is free and open-source without systemic risk: the "
        "Art 53(1)(a),(b) duties the chapter operationalises do not apply to them (AI Act "
        "Art 53(2))."
    )


def _standards(law: Landmarks) -> str:
    return (
        "Do not wait for harmonised standards: they give a presumption of conformity only once "
        "published and the Act sets no date for them, while these duties already apply (from "
        f"placing; by {law.transition_deadline} for models placed before "
        f"{law.chapter_v_applies}, AI Act Art 111(3)) and the Commission can fine "
        f"from {law.enforcement_from} (AI Act Art 101(1), Art 113). Until a standard is "
        "published, the Code or documented alternative adequate means is how compliance is "
        "shown (AI Act Art 53(4), 55(2))."
    )


def _upstream(register: Register) -> tuple[UpstreamAdvice, ...]:
    """Each upstream model once (the latest verified entry where several models list it)."""
    latest: dict[tuple[str, str], Upstream] = {}
    for model in register.models:
        for entry in model.upstream:
            key = (entry.provider, entry.model)
            if key not in latest or entry.last_verified > latest[key].last_verified:
                latest[key] = entry
    return tuple(
        UpstreamAdvice(
            entry.model,
            entry.provider,
            entry.signatory,
            tuple(evidence_to_request(entry)),
        )
        for _, entry in sorted(latest.items())
    )
