"""What every part of one timeline computation shares: the register, the rules, the day, the
options and the item builder, each model's classification and lineage, and what is worked out
once per computation (the rules a set of truths gets, each model's events, which versions keep
a systemic version's history, the shapes already worked out). Pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from notifier.core.events import Event
from notifier.core.items import ModelTimeline
from notifier.core.law.model import NOT_RESTARTED_BY_VERSIONS, Landmarks, Rule, RuleSet
from notifier.core.register import Model, Organisation, Register
from notifier.core.register.classification import Classification
from notifier.core.register.lineage import First, along_versions, first_placings
from notifier.core.timeline.conditions import Applicable, Facts
from notifier.core.timeline.item_builder import ItemBuilder
from notifier.core.timeline.options import TimelineOptions
from notifier.core.timeline.shapes import Known, shape


def art_54_third_country(org: Organisation, law: Landmarks, placing: date | None) -> bool:
    """Art 54(1) (L3): established in a third country when placing the model. Iceland,
    Liechtenstein and Norway count as third countries until the rule data records the AI Act's
    incorporation into the EEA Agreement, and for models placed before that day."""
    if org.third_country:
        return True
    if org.established_in not in law.eea_states:
        return False
    incorporated = law.eea_incorporated_on
    return incorporated is None or placing is None or placing < incorporated


@dataclass(frozen=True)
class Run:
    """What every part of one timeline computation shares."""

    register: Register
    rules: RuleSet
    day: date
    options: TimelineOptions
    builder: ItemBuilder
    classes: Mapping[str, Classification]
    # model id -> designated_on as the register writes it (a designation only recorded as an
    # event keeps the event's own Art 52(5) item, L1)
    registered_designation: Mapping[str, date | None]
    model_rules: Applicable = field(init=False)
    upstream_rules: Applicable = field(init=False)
    _rules_for: dict[tuple[int, bool, bool], tuple[Rule, ...]] = field(
        init=False, default_factory=dict
    )
    # shape -> the timeline of the first model of that shape (notifier.core.timeline.shapes)
    shapes: dict[tuple[Any, ...], ModelTimeline] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        for scope in ("model", "upstream"):
            rules = [rule for rule in self.rules.rules if rule.scope == scope]
            object.__setattr__(self, f"{scope}_rules", Applicable(rules))

    @property
    def law(self) -> Landmarks:
        return self.rules.landmarks

    @cached_property
    def models(self) -> dict[str, Model]:
        return {model.id: model for model in self.register.models}

    @cached_property
    def firsts(self) -> dict[str, First]:
        """Model id -> its lineage's first placing and the version placed then (lineage.py)."""
        return first_placings(self.models)

    @cached_property
    def lineage(self) -> dict[str, date | None]:
        """Model id -> the first placing of the versions it follows, its own included (K10)."""
        return {model_id: first.placing for model_id, first in self.firsts.items()}

    def first_version(self, model: Model) -> Model | None:
        """The earlier version whose placing is the model's lineage's first (the nearest of
        them placed that day), or None where the first placing is the model's own."""
        follows = model.version_of
        earlier = self.firsts.get(follows) if follows is not None else None
        if earlier is None or earlier.placing is None or earlier.placing != self.lineage[model.id]:
            return None
        return self.models[earlier.model]

    @cached_property
    def any_legacy(self) -> bool:
        """Some model the organisation provides is in the Art 111(3) transition."""
        start = self.law.chapter_v_applies
        return any(
            self.classes[model_id].provider and placing is not None and placing < start
            for model_id, placing in self.lineage.items()
        )

    def facts(self, model: Model | None = None, on: date | None = None) -> Facts:
        cls = self.classes[model.id] if model is not None else None
        org = self.register.organisation
        third = art_54_third_country(org, self.law, model.placing if model else None)
        return Facts(
            org,
            model,
            cls,
            on=on,
            any_legacy_model=self.any_legacy,
            third_country=third,
            enforcement_from=self.law.enforcement_from,
            later_version_of_systemic=model is not None and model.id in self.inherits,
            shared=self.shared_truths,
        )

    @cached_property
    def shared_truths(self) -> dict[str, bool]:
        """The truths every model's facts share (Facts.shared), worked out once."""
        org = self.register.organisation
        facts = Facts(
            org, any_legacy_model=self.any_legacy, enforcement_from=self.law.enforcement_from
        )
        return facts.shared_truths()

    def rules_for(self, facts: Facts, in_register: bool, inherits: bool) -> tuple[Rule, ...]:
        """The model rules whose items a model with these facts gets, in rule order: without
        the designation's rules where only an event records it (its items are the event's, L1)
        and without those a later version inherits (L4). The same few sets for every model."""
        applicable = self.model_rules(facts)  # one tuple per set of truths, kept by model_rules
        key = (id(applicable), in_register, inherits)
        found = self._rules_for.get(key)
        if found is None:
            found = self._rules_for[key] = tuple(
                rule
                for rule in applicable
                if (in_register or rule.due.anchor != "designation")
                and not (inherits and rule.id in NOT_RESTARTED_BY_VERSIONS)
            )
        return found

    @cached_property
    def events_of(self) -> dict[str, list[Event]]:
        """Each model's recorded events, in their order (found once, not once per model)."""
        found: dict[str, list[Event]] = {}
        for event in self.options.events:
            model_id = getattr(event, "model", None)
            if model_id is not None:
                found.setdefault(model_id, []).append(event)
        return found

    @cached_property
    def marked(self) -> frozenset[str]:
        """The models some done mark is about (an item id starts with its model's id)."""
        return frozenset(key.partition("/")[0] for key in self.options.done)

    def shape(self, model: Model) -> tuple[Any, ...] | None:
        """The model's shape, or None where its timeline is its own (done marks, events)."""
        model_id = model.id
        if not self.options.reuse_shapes or model_id in self.marked or model_id in self.events_of:
            return None
        known = Known(
            self.lineage[model_id],
            model_id in self.inherits,
            self.registered_designation.get(model_id) is not None,
            self.options.notifications_sent.get(model_id),
        )
        return shape(model, known)

    @cached_property
    def inherits(self) -> frozenset[str]:
        """The models that are later versions of an earlier version with systemic risk: they
        keep its Art 52(1) notification and Framework history (GL s.2.2, L4)."""
        classes = self.classes

        def systemic(model: Model, earlier: bool | None) -> bool:
            return classes[model.id].systemic or bool(earlier)  # it, or a version it follows

        lines = along_versions(self.models, systemic)
        return frozenset(
            model.id
            for model in self.register.models
            if model.version_of is not None and lines.get(model.version_of, False)
        )
