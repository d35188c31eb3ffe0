"""Whether a rule applies to a subject: the meaning of each condition of the rule data. Pure.

Model rules ask about the model's whole life (a model systemic at some time gets its systemic
items, which the lifecycle then bounds); event rules ask about the day the event happened (an
incident starts clocks only if the model was systemic that day, K4, K6).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from notifier.core.chapters import evidence_gap
from notifier.core.law.model import Condition, Rule
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
    # Art 54: established outside the Union for this model (IS, LI, NO too until the AI Act is
    # part of the EEA Agreement, L3); None: the register's EU/EEA reading
    third_country: bool | None = None
    enforcement_from: date | None = None  # the day Arts 88-94 and 101 apply (L7)
    later_version_of_systemic: bool = False  # an earlier version had systemic risk (L4)
    # The truths that depend neither on the model nor on a day (`shared_truths` of facts with
    # the same organisation and any_legacy_model), when the caller worked them out once.
    shared: Mapping[str, bool] | None = field(default=None, repr=False, compare=False)

    @property
    def truths(self) -> dict[str, bool]:
        """Every condition's value for these facts, computed once (always the same conditions
        in the same order, so the values alone tell two sets of truths apart)."""
        found: dict[str, bool] | None = self.__dict__.get("_truths")
        if found is None:
            found = self.__dict__["_truths"] = self._truths()
        return found

    def shared_truths(self) -> dict[str, bool]:
        """The first truths, which a model's facts share with the organisation's (on no day)."""
        cop = self.organisation.code_of_practice
        truths: dict[str, bool] = {"any_legacy_model": self.any_legacy_model}
        on, start = self.on, self.enforcement_from
        truths["from_enforcement"] = on is not None and start is not None and on >= start
        truths["before_enforcement"] = on is not None and start is not None and on < start
        for chapter, signed_key, not_signed_key in _CHAPTER_KEYS:
            signed = cop.signed(chapter)
            truths[signed_key] = signed
            truths[not_signed_key] = not signed
        return truths

    def _truths(self) -> dict[str, bool]:
        shared = self.shared
        truths = dict(shared) if shared is not None and self.on is None else self.shared_truths()
        upstream = self.upstream
        truths["upstream_evidence_gap"] = upstream is not None and bool(evidence_gap(upstream))
        truths.update(self._model_truths())
        return truths

    def _model_truths(self) -> dict[str, bool]:
        model, cls = self.model, self.cls
        names = (
            "provider",
            "not_downstream",
            "downstream",
            "not_open_source_exempt",
            "open_source_exempt",
            "authorised_representative",
            "systemic_risk",
            "not_systemic_risk",
            "presumed_systemic_risk",
            "designated",
            "arguments_accepted",
            "withdrawn",
            "later_version_of_systemic",
        )
        if model is None or cls is None:  # an organisation subject: no model condition holds
            return dict.fromkeys(names, False)
        if self.on is None:
            systemic, exempt = cls.systemic, cls.open_source_exempt
        else:
            systemic, exempt = cls.systemic_on(self.on), cls.exempt_on(self.on)
        return {
            "provider": cls.provider,
            "not_downstream": model.role != "downstream",
            "downstream": not cls.provider,
            "not_open_source_exempt": not exempt,
            "open_source_exempt": exempt,
            "authorised_representative": self._third_country and not exempt,
            "systemic_risk": systemic,
            "not_systemic_risk": not systemic,
            "presumed_systemic_risk": cls.systemic_risk == "presumed",
            "designated": cls.systemic_risk == "designated",
            "arguments_accepted": cls.systemic_until is not None,
            "withdrawn": model.withdrawn_on is not None,
            "later_version_of_systemic": self.later_version_of_systemic,
        }

    @property
    def _third_country(self) -> bool:
        found = self.third_country
        return self.organisation.third_country if found is None else found


_CHAPTER_KEYS = tuple((c, f"signed:{c}", f"not_signed:{c}") for c in CHAPTERS)


def applies(conditions: Sequence[Condition], facts: Facts) -> bool:
    truths = facts.truths
    return all(truths[condition] for condition in conditions)


class Applicable:
    """The rules of a list that apply to given facts, in the list's order. Facts with the same
    truths get the same rules, so each distinct set of truths is judged once (a register of
    thousands of models has a handful)."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        self._known: dict[tuple[bool, ...], tuple[Rule, ...]] = {}

    def __call__(self, facts: Facts) -> tuple[Rule, ...]:
        truths = facts.truths
        key = tuple(truths.values())  # Facts.truths: the same conditions in the same order
        found = self._known.get(key)
        if found is None:
            found = tuple(rule for rule in self.rules if applies(rule.applies_to, facts))
            self._known[key] = found
        return found
