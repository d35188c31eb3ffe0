"""Why a model is in its regime: each reason with the provision it rests on. Pure.

The one home of this reasoning: the timeline carries the reasons (`ModelTimeline.reasons`), the
timeline JSON publishes them (`regime_reasons`), the pages show them. The dates come from the
rules (`RuleSet.landmarks`), the citations from the rule data (`[regime]` in rules.toml and the
rules' own citations); nothing here types a date or a provision.
"""

from __future__ import annotations

from datetime import date

from notifier.core.items import RegimeReason
from notifier.core.law import RuleSet
from notifier.core.register import Model
from notifier.core.register.classification import Classification, systemic_risk_flop


def regime_reasons(
    model: Model,
    cls: Classification,
    as_of: date,
    rules: RuleSet,
    lineage_placing: date | None = None,
    first_version: Model | None = None,
) -> tuple[RegimeReason, ...]:
    """Why `model` is in the regime `regime_of` gives it on `as_of` (`lineage_placing`: the
    first placing of the versions it follows, K10, and `first_version` the version placed
    then), then its systemic-risk standing and exemption."""
    cited = rules.regime
    reasons: list[RegimeReason] = []
    if model.role == "downstream":
        reasons.append(
            RegimeReason(
                "You build on another provider's model and do not provide it: supply-chain "
                "checks only.",
                cited.downstream,
            )
        )
    elif model.role == "modifier":
        threshold = cls.modifier_threshold_flop or 0.0
        spent = model.modification_compute_flop or 0.0
        verdict = "above" if cls.provider else "not above"
        outcome = (
            "you are the provider of the modified model."
            if cls.provider
            else "treated as downstream."
        )
        reasons.append(
            RegimeReason(
                f"Modification compute {spent:.3g} FLOP is {verdict} one third of the base "
                f"model's ({threshold:.3g} FLOP): {outcome}",
                cited.modifier,
            )
        )
    if cls.provider and model.placing is not None:
        reasons.append(
            _placing_reason(model, model.placing, as_of, rules, lineage_placing, first_version)
        )
    reasons += _systemic_reasons(model, cls, rules)
    return tuple(reasons)


def _placing_reason(
    model: Model,
    placing: date,
    as_of: date,
    rules: RuleSet,
    lineage_placing: date | None,
    first_version: Model | None,
) -> RegimeReason:
    law = rules.landmarks
    start, deadline = law.chapter_v_applies.isoformat(), law.transition_deadline.isoformat()
    chapter_v = law.chapter_v_citation
    if placing > as_of:
        return RegimeReason(
            f"Not yet placed on the market (planned {placing.isoformat()}): its duties apply "
            "from the day of placing.",
            chapter_v,
        )
    if placing < law.chapter_v_applies:
        return RegimeReason(
            f"Placed on the market on {placing.isoformat()}, before {start}: its duties are "
            f"due by {deadline}.",
            law.transition_citation,
        )
    if lineage_placing is not None and lineage_placing < law.chapter_v_applies:
        earlier = (
            f"{first_version.name} ({first_version.id})"
            if first_version is not None
            else model.version_of or "an earlier model"
        )
        return RegimeReason(
            f"Placed on the market on {placing.isoformat()}, but a later version of {earlier}, "
            f"first placed on {lineage_placing.isoformat()}, before {start}: a new version of "
            f"a model from the same pre-training run is the same model, so it stays in the "
            f"transition and its duties are due by {deadline}.",
            rules.regime.lineage,
        )
    return RegimeReason(
        f"Placed on the market on {placing.isoformat()}, on or after {start}: Chapter V duties "
        "apply from the day of placing.",
        chapter_v,
    )


def _systemic_reasons(model: Model, cls: Classification, rules: RuleSet) -> list[RegimeReason]:
    cited = rules.regime
    reasons: list[RegimeReason] = []
    if cls.systemic_risk == "designated":
        when = f" on {model.designated_on.isoformat()}" if model.designated_on else ""
        reasons.append(
            RegimeReason(
                f"Designated by the Commission as having systemic risk{when}.", cited.designated
            )
        )
    elif cls.systemic_risk == "presumed":
        compute = model.training_compute_flop
        basis = (
            f"training compute {compute:.3g} FLOP is above {systemic_risk_flop():.0e} FLOP"
            if compute is not None and compute > systemic_risk_flop()
            else "the high-impact capabilities condition is met or known to be met"
        )
        reasons.append(RegimeReason(f"Systemic risk presumed: {basis}.", cited.presumed))
    if cls.open_source_exempt:
        reasons.append(
            RegimeReason(
                "Free and open-source licence with public weights, without systemic risk: "
                "exempt from the documentation duties of Art 53(1)(a),(b) and from Art 54.",
                cited.open_source,
            )
        )
    return reasons
