"""What the pages show, worked out from the timeline and the register: a model's regime with
its reasons, and the organisation's overview. Citations come from the rule data where it holds
them; the classification's come from the provisions the register's README documents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from notifier.core.items import REGIMES, Item, ModelTimeline, Timeline
from notifier.core.law import RuleSet
from notifier.core.law.model import CHAPTER_V_APPLIES
from notifier.core.register import Model, Register
from notifier.core.register.classification import SYSTEMIC_RISK_FLOP, classify


@dataclass(frozen=True)
class Reason:
    text: str
    citation: str


@dataclass(frozen=True)
class Overview:
    overdue: list[Item]
    due_soon: list[Item]
    by_regime: list[tuple[str, list[ModelTimeline]]]
    window_days: int


def overview(result: Timeline, window_days: int) -> Overview:
    """What is overdue, what falls due within the window, and the models by regime."""
    items = result.all_items()
    horizon = result.as_of + timedelta(days=window_days)
    overdue = [i for i in items if i.status == "overdue"]
    due_soon = [
        i
        for i in items
        if i.due is not None and i.status != "done" and result.as_of <= i.due <= horizon
    ]
    by_regime = [(r, [m for m in result.models if m.regime == r]) for r in REGIMES]
    return Overview(overdue, due_soon, [(r, ms) for r, ms in by_regime if ms], window_days)


def open_counts(model: ModelTimeline) -> dict[str, int]:
    counts = {"overdue": 0, "due-soon": 0}
    for item in model.items:
        if item.status in counts:
            counts[item.status] += 1
    return counts


def regime_reasons(
    model: Model, timeline: ModelTimeline, rules: RuleSet, as_of: date
) -> list[Reason]:
    """Why the model is in its regime, each reason with its legal source."""
    law = rules.landmarks
    cls = classify(model)
    reasons: list[Reason] = []
    if model.role == "downstream":
        reasons.append(
            Reason(
                "You build on another provider's model and do not provide it: supply-chain "
                "checks only.",
                "AI Act Art 53(1)(b); Annex XII",
            )
        )
    elif model.role == "modifier":
        threshold = cls.modifier_threshold_flop or 0.0
        spent = model.modification_compute_flop or 0.0
        verdict = "above" if cls.provider else "not above"
        reasons.append(
            Reason(
                f"Modification compute {spent:.3g} FLOP is {verdict} one third of the base "
                f"model's ({threshold:.3g} FLOP): "
                + (
                    "you are the provider of the modified model."
                    if cls.provider
                    else "treated as downstream."
                ),
                "Commission guidelines C(2025) 5045, s.3.2",
            )
        )
    placing = model.placing
    chapter_v = rules.rule(CHAPTER_V_APPLIES)
    if cls.provider and placing is not None:
        if placing > as_of:
            reasons.append(
                Reason(
                    f"Not yet placed on the market (planned {placing.isoformat()}): its duties "
                    "apply from the day of placing.",
                    chapter_v.citation,
                )
            )
        elif placing < law.chapter_v_applies:
            reasons.append(
                Reason(
                    f"Placed on the market on {placing.isoformat()}, before "
                    f"{law.chapter_v_applies.isoformat()}: its duties are due by "
                    f"{law.transition_deadline.isoformat()}.",
                    law.transition_citation,
                )
            )
        else:
            reasons.append(
                Reason(
                    f"Placed on the market on {placing.isoformat()}, on or after "
                    f"{law.chapter_v_applies.isoformat()}: Chapter V duties apply from the day "
                    "of placing.",
                    chapter_v.citation,
                )
            )
    if cls.systemic_risk == "designated":
        when = f" on {model.designated_on.isoformat()}" if model.designated_on else ""
        reasons.append(
            Reason(
                f"Designated by the Commission as having systemic risk{when}.", "AI Act Art 52(4)"
            )
        )
    elif cls.systemic_risk == "presumed":
        compute = model.training_compute_flop
        basis = (
            f"training compute {compute:.3g} FLOP is above {SYSTEMIC_RISK_FLOP:.0e} FLOP"
            if compute is not None and compute > SYSTEMIC_RISK_FLOP
            else "the high-impact capabilities condition is met or known to be met"
        )
        reasons.append(Reason(f"Systemic risk presumed: {basis}.", "AI Act Art 51(1)(a), 51(2)"))
    if cls.open_source_exempt:
        reasons.append(
            Reason(
                "Free and open-source licence with public weights, without systemic risk: "
                "exempt from the documentation duties of Art 53(1)(a),(b) and from Art 54.",
                "AI Act Art 53(2), 54(6)",
            )
        )
    return reasons


def model_of(register: Register, model_id: str) -> Model | None:
    return next((m for m in register.models if m.id == model_id), None)


def find_item(result: Timeline, item_id: str) -> Item | None:
    return next((i for i in result.all_items() if i.id == item_id), None)


def people_names(register: Register, ids: tuple[str, ...]) -> list[str]:
    names = {p.id: p.name for p in register.people}
    return [names.get(i, i) for i in ids]
