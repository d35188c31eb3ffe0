"""The timeline: each model's regime and every dated item that follows. Pure and deterministic.

`timeline(register, rules, as_of)` reads no clock, file or network: the caller passes the date,
the rule data and, through TimelineOptions, the settings and the done marks from the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

from notifier.core.events import (
    CodeRevision,
    DesignationDecision,
    DoneMark,
    Event,
    NotificationSent,
)
from notifier.core.items import Item, ModelTimeline, Regime, Timeline, item_id
from notifier.core.law.model import (
    CODE_REVISION_REVIEW,
    NOTIFICATION,
    Condition,
    Landmarks,
    RuleSet,
)
from notifier.core.register import Model, Register, Upstream
from notifier.core.register.classification import Classification, classify
from notifier.core.timeline.due_dates import Derived, Subject
from notifier.core.timeline.item_builder import ItemBuilder
from notifier.core.timeline.options import TimelineOptions


def as_date(as_of: date | datetime) -> date:
    """A date, or the calendar date of an aware datetime in its own time zone."""
    if isinstance(as_of, datetime):
        if as_of.tzinfo is None:
            raise ValueError("as_of must be a date or a time-zone-aware datetime")
        return as_of.date()
    return as_of


def regime_of(model: Model, classification: Classification, as_of: date, law: Landmarks) -> Regime:
    if not classification.provider:
        return "downstream"
    placing = model.placing
    if placing is None or placing > as_of:
        return "planned"
    return "art-111-3-transition" if placing < law.chapter_v_applies else "chapter-v"


def fine_ceiling(annual_turnover_eur: float | None, law: Landmarks) -> int | None:
    if annual_turnover_eur is None:
        return None
    return max(law.fine_floor_eur, round(annual_turnover_eur * law.fine_turnover_share))


def timeline(
    register: Register,
    rules: RuleSet,
    as_of: date | datetime,
    options: TimelineOptions | None = None,
) -> Timeline:
    options = with_event_facts(options or TimelineOptions(), register)
    day = as_date(as_of)
    law = rules.landmarks
    org = register.organisation
    builder = ItemBuilder(day, options)
    classes = {m.id: classify(m) for m in register.models}
    legacy_any = any(
        c.provider and m.placing is not None and m.placing < law.chapter_v_applies
        for m, c in ((m, classes[m.id]) for m in register.models)
    )

    org_subject = Subject(org, law)
    org_items: list[Item] = []
    for rule in rules.rules:
        if rule.scope == "organisation" and (
            "any_legacy_model" not in rule.applies_to or legacy_any
        ):
            org_items += builder.items(rule, org_subject, org.contacts, {})
    models_by_id = {m.id: m for m in register.models}
    findings = [str(w) for w in register.warnings]
    for event in options.events:
        model_id = getattr(event, "model", None)
        if model_id is None:
            subject = Subject(org, law, event=event)
            org_items += _event_items(builder, rules, subject, org.contacts, register)
        elif model_id not in models_by_id:
            findings.append(
                f"recorded event {event.id} concerns model '{model_id}', which is "
                "no longer in the register"
            )

    models = []
    for model in register.models:
        cls = classes[model.id]
        subject = Subject(
            org, law, model, notification_sent=options.notifications_sent.get(model.id)
        )
        earlier: dict[str, Derived] = {}
        items: list[Item] = []
        for rule in rules.rules:
            if rule.scope == "model" and _applies(rule.applies_to, model, cls, register):
                items += builder.items(rule, subject, model.owners, earlier)
            elif rule.scope == "upstream":
                for upstream in model.upstream:
                    if _applies_upstream(rule.applies_to, upstream):
                        up = Subject(org, law, model, upstream)
                        items += builder.items(rule, up, model.owners, {})
        for event in options.events:
            if getattr(event, "model", None) == model.id and not _duplicate(event, model):
                event_subject = Subject(org, law, model, event=event)
                items += _event_items(builder, rules, event_subject, model.owners, register)
        regime = regime_of(model, cls, day, law)
        deadline = {"art-111-3-transition": law.transition_deadline, "downstream": None}.get(
            regime, model.placing
        )
        model_findings = tuple(d.finding for d in earlier.values() if d.finding)
        models.append(
            ModelTimeline(
                model.id,
                model.name,
                regime,
                deadline,
                cls.systemic,
                tuple(sorted(items, key=lambda i: i.sort_key)),
                model_findings,
            )
        )

    return Timeline(
        as_of=day,
        law=rules.law,
        organisation=org.name,
        models=tuple(models),
        organisation_items=tuple(sorted(org_items, key=lambda i: i.sort_key)),
        fine_ceiling_eur=fine_ceiling(org.annual_turnover_eur, law),
        fine_citation=law.fine_citation,
        findings=tuple(findings),
    )


def _event_items(
    builder: ItemBuilder,
    rules: RuleSet,
    subject: Subject,
    owners: Sequence[str],
    register: Register,
) -> list[Item]:
    """The items a recorded event starts: ids like `titan-1/incident-1/<rule>`."""
    assert subject.event is not None
    cop = register.organisation.code_of_practice
    signed: dict[Condition, bool] = {
        "signed:transparency": cop.signed("transparency"),
        "not_signed:transparency": not cop.signed("transparency"),
        "signed:safety_and_security": cop.signed("safety_and_security"),
        "not_signed:safety_and_security": not cop.signed("safety_and_security"),
    }
    items: list[Item] = []
    earlier: dict[str, Derived] = {}
    for rule in rules.rules:
        if (
            rule.scope == "event"
            and rule.event == subject.event.kind
            and all(signed.get(condition, True) for condition in rule.applies_to)
        ):
            items += builder.items(rule, subject, owners, earlier)
    return items


def _duplicate(event: Event, model: Model) -> bool:
    """A designation already in the register (designated_on) has its Art 52(5) item there."""
    return isinstance(event, DesignationDecision) and event.decided_on == model.designated_on


def with_event_facts(options: TimelineOptions, register: Register) -> TimelineOptions:
    """Facts that events establish: a recorded notification meets Art 52(1) and moves the
    Framework confirmation; a Code review is met once the register says it was reviewed."""
    done = {key: tuple(marks) for key, marks in options.done.items()}
    sent = dict(options.notifications_sent)
    cop = register.organisation.code_of_practice
    reviewed = max(cop.version_reviewed, cop.checked_on or cop.version_reviewed)
    for event in options.events:
        if isinstance(event, NotificationSent):
            sent[event.model] = min(event.sent_on, sent.get(event.model, event.sent_on))
            key = item_id(NOTIFICATION, event.model)
            done[key] = (*done.get(key, ()), DoneMark(event.sent_on, f"{event.id} recorded"))
        elif isinstance(event, CodeRevision) and reviewed >= event.detected_on:
            key = item_id(CODE_REVISION_REVIEW, None, event=event.id)
            done[key] = (*done.get(key, ()), DoneMark(reviewed, "version_reviewed updated"))
    return replace(options, done=done, notifications_sent=sent)


def _applies(
    conditions: Sequence[Condition], model: Model, cls: Classification, register: Register
) -> bool:
    org = register.organisation
    checks: dict[Condition, bool] = {
        "provider": cls.provider,
        "not_downstream": model.role != "downstream",
        "downstream": not cls.provider,
        "not_open_source_exempt": not cls.open_source_exempt,
        "authorised_representative": org.third_country and not cls.open_source_exempt,
        "systemic_risk": cls.systemic,
        "presumed_systemic_risk": cls.systemic_risk == "presumed",
        "designated": cls.systemic_risk == "designated",
        "signed:transparency": org.code_of_practice.signed("transparency"),
        "signed:copyright": org.code_of_practice.signed("copyright"),
        "signed:safety_and_security": org.code_of_practice.signed("safety_and_security"),
        "upstream_not_full": False,
        "any_legacy_model": False,
    }
    return all(checks[c] for c in conditions)


def _applies_upstream(conditions: Sequence[Condition], upstream: Upstream) -> bool:
    return all(c != "upstream_not_full" or upstream.signatory != "full" for c in conditions)
