"""What a model is in law, and from when: provider or not, systemic risk, open-source exemption
(where it stands among its versions: lineage.py). Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from notifier.core.law import load_thresholds

if TYPE_CHECKING:
    from notifier.core.register.schema import Model


def systemic_risk_flop() -> float:
    """AI Act Art 51(2): the presumption of high-impact capabilities above this training compute
    (the rule data's `[scan] systemic_presumption_flop`)."""
    return load_thresholds().systemic_presumption_flop


def flop_text(value: float) -> str:
    """A threshold as the messages write it: no "+" in the exponent."""
    return f"{value:g}".replace("e+", "e")


def gpai_indicative_flop() -> float:
    """Commission guidelines C(2025) 5045, s.2.1: the indicative GPAI criterion (the rule data's
    `[scan] gpai_indicative_flop`), used here only as the fallback base compute in the modifier
    rule of s.3.2."""
    return load_thresholds().gpai_indicative_flop


SystemicRisk = Literal["presumed", "designated", "none"]


@dataclass(frozen=True)
class Classification:
    provider: bool
    systemic_risk: SystemicRisk  # "none" never hides a presumption (the register checks see to it)
    open_source: bool  # a free and open-source model the organisation provides
    modifier_threshold_flop: float | None = None
    systemic_known_on: date | None = None  # when it was known to be a systemic-risk model
    systemic_until: date | None = None  # accepted Art 52(2) arguments: not systemic from this day

    @property
    def systemic(self) -> bool:
        """A systemic-risk model at some time of its life."""
        return self.systemic_risk != "none"

    @property
    def open_source_exempt(self) -> bool:
        """Art 53(2), 54(6): exempt for its whole life (open source and never systemic)."""
        return self.open_source and not self.systemic

    def systemic_as_of(self, day: date) -> bool:
        """What the timeline reports on `day`: systemic, unless the Commission accepted the
        provider's arguments before (GL s.2.3.3: not systemic from the acceptance decision)."""
        return self.systemic and (self.systemic_until is None or day < self.systemic_until)

    def systemic_on(self, day: date) -> bool:
        """Systemic on `day` itself: known to be (K4: threshold met or known, or designation)
        and not yet relieved by accepted arguments. Events (incidents) are judged by this."""
        started = self.systemic_known_on is None or self.systemic_known_on <= day
        return started and self.systemic_as_of(day)

    def exempt_on(self, day: date) -> bool:
        """The open-source exemption holds on `day` (it ends while the model is systemic)."""
        return self.provider and self.open_source and not self.systemic_on(day)


def base_systemic(model: Model) -> bool:
    """GL Annex A.1, s.3.2.2 (K5): a base known to exceed the Art 51(2) threshold is systemic,
    flag or not."""
    return model.base_systemic_risk or (model.base_compute_flop or 0) > systemic_risk_flop()


def modifier_threshold(model: Model) -> float:
    """One third of the base model's compute; if unknown, one third of the Art 51(2) threshold
    or of the indicative GPAI criterion (GL s.3.2)."""
    if model.base_compute_flop is not None:
        return model.base_compute_flop / 3
    return (systemic_risk_flop() if model.base_systemic_risk else gpai_indicative_flop()) / 3


def presumed(model: Model) -> bool:
    """Art 51(2) presumption; GL s.3.2.2: a modifier of a systemic-risk model that becomes its
    provider is presumed to provide a systemic-risk model."""
    return (
        (model.training_compute_flop or 0) > systemic_risk_flop()
        or model.threshold_known_on is not None
        or (model.role == "modifier" and base_systemic(model))
    )


def classify(model: Model) -> Classification:
    threshold: float | None = None
    if model.role == "downstream":
        provider = False
    elif model.role == "modifier":
        threshold = modifier_threshold(model)
        provider = (model.modification_compute_flop or 0) > threshold
    else:
        provider = True

    systemic: SystemicRisk
    if not provider:
        systemic = "none"
    elif model.systemic_risk in ("designated", "presumed"):
        systemic = model.systemic_risk
    elif presumed(model):
        # "none" over the threshold holds only after accepted arguments (Art 52(2)-(3)); until
        # that decision the model was presumed systemic (GL s.2.3.3), so its history stays.
        systemic = "presumed"
    else:
        systemic = "none"
    known_on = systemic_trigger(model) if systemic != "none" else None
    until = None
    if systemic == "presumed" and model.arguments_decision == "accepted":
        until = model.arguments_decided_on
    return Classification(
        provider, systemic, provider and model.open_source, threshold, known_on, until
    )


def systemic_trigger(model: Model) -> date | None:
    """K4: when systemic risk arose: the threshold met or known to be met, or the designation,
    whichever came first (a model designated for failing to notify owes its duties from the
    day it met the threshold, GL s.2.3.4)."""
    threshold, designated = model.threshold_known_on, model.designated_on
    if threshold is None or designated is None:
        return threshold if designated is None else designated
    return min(threshold, designated)


def systemic_since(model: Model) -> date:
    """The day the model's systemic-risk duties began (K4): placing, or the later day systemic
    risk arose; nothing is backdated to placing."""
    assert model.placing is not None
    return max(model.placing, systemic_trigger(model) or model.placing)
