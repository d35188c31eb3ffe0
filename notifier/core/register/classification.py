"""What a model is in law: provider or not, systemic risk, open-source exemption. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from notifier.core.register.schema import Model

SYSTEMIC_RISK_FLOP = 1e25  # AI Act Art 51(2)

# Commission guidelines C(2025) 5045, s.2.1: indicative GPAI criterion, used here only as the
# fallback base compute in the modifier rule of s.3.2.
GPAI_INDICATIVE_FLOP = 1e23

SystemicRisk = Literal["presumed", "designated", "none"]


@dataclass(frozen=True)
class Classification:
    provider: bool
    systemic_risk: SystemicRisk
    open_source_exempt: bool
    modifier_threshold_flop: float | None = None

    @property
    def systemic(self) -> bool:
        return self.systemic_risk != "none"


def modifier_threshold(model: Model) -> float:
    """One third of the base model's compute; if unknown, one third of 1e25 or 1e23 (GL s.3.2)."""
    if model.base_compute_flop is not None:
        return model.base_compute_flop / 3
    return (SYSTEMIC_RISK_FLOP if model.base_systemic_risk else GPAI_INDICATIVE_FLOP) / 3


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
    elif model.systemic_risk is not None:
        systemic = model.systemic_risk
    elif (
        (model.training_compute_flop or 0) > SYSTEMIC_RISK_FLOP
        or model.threshold_known_on is not None
        or (model.role == "modifier" and model.base_systemic_risk)
    ):
        # Art 51(2) presumption; GL s.3.2.2: a modifier of a systemic-risk model that becomes
        # its provider is presumed to provide a systemic-risk model.
        systemic = "presumed"
    else:
        systemic = "none"
    # Art 53(2) and Art 54(6): the open-source exemptions never cover systemic-risk models.
    exempt = provider and model.open_source and systemic == "none"
    return Classification(provider, systemic, exempt, threshold)
