"""Whether a rule applies to a subject: the meaning of each condition of the rule data. Pure.

Model rules ask about the model's whole life (a model systemic at some time gets its systemic
items, which the lifecycle then bounds); event rules ask about the day the event happened (an
incident starts clocks only if the model was systemic that day, K4, K6).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from notifier.core.chapters import evidence_gap
from notifier.core.law.model import Condition
from notifier.core.register import CHAPTERS, Model, Organisation, Upstream
from notifier.core.register.classification import Classification


@dataclass(frozen=True)
class Facts:
    """What the conditions are judged against."""

    organisation: Organisation
    model: Model | None = None
    cls: Classification | None = None
    upstream: Upstream | None = None
    on: date | None = None  # for an event: the day it happened
    any_legacy_model: bool = False


def applies(conditions: Sequence[Condition], facts: Facts) -> bool:
    return all(_holds(condition, facts) for condition in conditions)


def _holds(condition: Condition, facts: Facts) -> bool:
    cop = facts.organisation.code_of_practice
    for chapter in CHAPTERS:
        if condition == f"signed:{chapter}":
            return cop.signed(chapter)
        if condition == f"not_signed:{chapter}":
            return not cop.signed(chapter)
    if condition == "any_legacy_model":
        return facts.any_legacy_model
    if condition == "upstream_evidence_gap":
        return facts.upstream is not None and bool(evidence_gap(facts.upstream))
    model, cls = facts.model, facts.cls
    if model is None or cls is None:
        return False
    if facts.on is None:
        systemic, exempt = cls.systemic, cls.open_source_exempt
    else:
        systemic, exempt = cls.systemic_on(facts.on), cls.exempt_on(facts.on)
    checks: dict[str, bool] = {
        "provider": cls.provider,
        "not_downstream": model.role != "downstream",
        "downstream": not cls.provider,
        "not_open_source_exempt": not exempt,
        "open_source_exempt": exempt,
        "authorised_representative": facts.organisation.third_country and not exempt,
        "systemic_risk": systemic,
        "not_systemic_risk": not systemic,
        "presumed_systemic_risk": cls.systemic_risk == "presumed",
        "designated": cls.systemic_risk == "designated",
        "arguments_accepted": cls.systemic_until is not None,
        "withdrawn": model.withdrawn_on is not None,
    }
    return checks[condition]
