"""The timeline: each model's regime and every dated item that follows. Pure and deterministic.

`timeline(register, rules, as_of)` reads no clock, file or network: the caller passes the date,
the rule data and, through TimelineOptions, the settings and the done marks from the store.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any, Literal, TypeVar

from notifier.core.allocation import collector_paused
from notifier.core.events import (
    CodeRevision,
    DesignationDecision,
    DoneMark,
    Event,
    NotificationSent,
    occurred_on,
)
from notifier.core.items import (
    Item,
    ModelTimeline,
    Regime,
    Timeline,
    Unusable,
    item_id,
    item_order,
)
from notifier.core.law.model import (
    CODE_REVISION_REVIEW,
    NOTIFICATION,
    Landmarks,
    RuleSet,
)
from notifier.core.regimes import regime_reasons
from notifier.core.register import Model, Register
from notifier.core.register.classification import Classification, classify
from notifier.core.timeline.conditions import applies
from notifier.core.timeline.due_dates import Derived, Subject
from notifier.core.timeline.item_builder import ItemBuilder
from notifier.core.timeline.lifecycle import within_life
from notifier.core.timeline.model_state import with_recorded_state
from notifier.core.timeline.options import TimelineOptions
from notifier.core.timeline.run import Run
from notifier.core.timeline.shapes import renamed


def as_date(as_of: date | datetime) -> date:
    """A date, or the calendar date of an aware datetime in its own time zone."""
    if isinstance(as_of, datetime):
        if as_of.tzinfo is None:
            raise ValueError("as_of must be a date or a time-zone-aware datetime")
        return as_of.date()
    return as_of


def regime_of(
    model: Model,
    classification: Classification,
    as_of: date,
    law: Landmarks,
    lineage_placing: date | None = None,
) -> Regime:
    """The model's regime on `as_of`; a later version of a legacy model stays in the Art 111(3)
    transition (`lineage_placing`: the first placing of its versions, K10)."""
    if not classification.provider:
        return "downstream"
    placing = model.placing
    if placing is None or placing > as_of:
        return "planned"
    first = min(placing, lineage_placing or placing)
    return "art-111-3-transition" if first < law.chapter_v_applies else "chapter-v"


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
    """Every model's regime and items as of `as_of` (the cyclic collector paused meanwhile: the
    computation makes no reference cycles, see notifier.core.allocation)."""
    with collector_paused():
        return _timeline(register, rules, as_of, options)


def _timeline(
    register: Register,
    rules: RuleSet,
    as_of: date | datetime,
    options: TimelineOptions | None,
) -> Timeline:
    options = with_event_facts(options or TimelineOptions(), register)
    registered = {m.id: m.designated_on for m in register.models}
    register, state_warnings = with_recorded_state(register, options.events)
    day = as_date(as_of)
    run = Run(
        register,
        rules,
        day,
        options,
        ItemBuilder(day, options),
        {m.id: classify(m) for m in register.models},
        registered,
    )
    org = register.organisation
    unusable = [*options.unusable]
    org_items = _isolated(unusable, "organisation", "organisation", _organisation_items, run) or []
    findings = [str(w) for w in register.warnings]
    findings += [
        warning for model in register.models for warning in state_warnings.get(model.id, ())
    ]
    for event in options.events:
        model_id = getattr(event, "model", None)
        if model_id is None:
            subject = Subject(org, run.law, event=event)
            found = _isolated(unusable, "event", event.id, _event_items, run, subject, org.contacts)
            org_items += found or []
        elif model_id not in run.models:
            findings.append(
                f"recorded event {event.id} concerns model '{model_id}', which is "
                "no longer in the register"
            )
    shown = []
    for model in register.models:
        computed = _isolated(unusable, "model", model.id, _model_timeline, run, model, unusable)
        one = computed or _without_items(run, model)
        if model.id in state_warnings:
            one = replace(one, findings=(*state_warnings[model.id], *one.findings))
        shown.append(one)
    return Timeline(
        as_of=day,
        law=rules.law,
        organisation=org.name,
        models=tuple(shown),
        organisation_items=tuple(sorted(org_items, key=lambda i: i.sort_key)),
        fine_ceiling_eur=fine_ceiling(org.annual_turnover_eur, run.law),
        fine_citation=run.law.fine_citation,
        findings=tuple(findings),
        unusable=tuple(unusable),
    )


_T = TypeVar("_T")


def _isolated(
    unusable: list[Unusable],
    kind: Literal["model", "event", "organisation"],
    identifier: str,
    compute: Callable[..., _T],
    *args: Any,
) -> _T | None:
    """One model's, event's or the organisation's items, or None when they cannot be computed:
    whatever went wrong there (a defect, a value no check foresaw) is reported, and every other
    model and event is still computed, reminded and published."""
    try:
        return compute(*args)
    except Exception as error:
        unusable.append(Unusable(kind, identifier, f"{type(error).__name__}: {error}"))
        return None


def _without_items(run: Run, model: Model) -> ModelTimeline:
    """A model whose items could not be computed: shown, with the problem, and no items."""
    return ModelTimeline(
        model.id,
        model.name,
        "planned" if model.placing is None else _safe_regime(run, model),
        model.placing,
        False,
        (),
        ("its items could not be computed; see the problems reported by notifier check",),
    )


def _safe_regime(run: Run, model: Model) -> Regime:
    try:
        return regime_of(model, run.classes[model.id], run.day, run.law, run.lineage[model.id])
    except Exception:
        return "planned"


def _organisation_items(run: Run) -> list[Item]:
    org = run.register.organisation
    subject = Subject(org, run.law)
    facts = run.facts()
    items: list[Item] = []
    for rule in run.rules.rules:
        if rule.scope == "organisation" and applies(rule.applies_to, facts):
            items += run.builder.items(rule, subject, org.contacts, {})
    return items


def _model_timeline(run: Run, model: Model, unusable: list[Unusable]) -> ModelTimeline:
    """The model's timeline: worked out, or that of an earlier model of its shape, renamed."""
    key = run.shape(model)
    seen = run.shapes.get(key) if key is not None else None
    if seen is None:
        computed = _worked_out(run, model, unusable)
        if key is not None:
            run.shapes[key] = computed
        return computed
    items = renamed(seen, model)
    return ModelTimeline(
        model.id,
        model.name,
        seen.regime,
        seen.regime_deadline,
        seen.systemic_risk,
        items,
        tuple(_unrecorded_notification(model, items)),  # it names the model
        seen.reasons,
    )


def _worked_out(run: Run, model: Model, unusable: list[Unusable]) -> ModelTimeline:
    org, model_id = run.register.organisation, model.id
    cls, lineage = run.classes[model_id], run.lineage[model_id]
    subject = Subject(
        org,
        run.law,
        model,
        notification_sent=run.options.notifications_sent.get(model_id),
        first_placing=lineage,
        classification=cls,
    )
    facts = run.facts(model)
    earlier: dict[str, Derived] = {}
    items: list[Item] = []
    owners, day, builder = model.owners, run.day, run.builder
    # Only a withdrawal or accepted arguments bound a model's life (within_life).
    bounded = model.withdrawn_on is not None or cls.systemic_until is not None
    # Model rules in rule order (a period may run from an earlier rule's date), then each
    # upstream entry's rules; the items are sorted below, so the order of the two is free.
    in_register = run.registered_designation.get(model_id) is not None
    for rule in run.rules_for(facts, in_register, model_id in run.inherits):
        found = builder.items(rule, subject, owners, earlier)
        items += within_life(found, rule, model, cls, day) if bounded else found
    for upstream in model.upstream if run.upstream_rules.rules else ():
        up = Subject(org, run.law, model, upstream, classification=cls)
        for rule in run.upstream_rules(replace(facts, upstream=upstream)):
            found = builder.items(rule, up, owners, {})
            items += within_life(found, rule, model, cls, day) if bounded else found
    for event in run.events_of.get(model_id, ()):
        if not (in_register and _duplicate(event, model)):
            event_subject = replace(subject, event=event)
            started = _isolated(
                unusable, "event", event.id, _event_items, run, event_subject, owners
            )
            items += started or []
    regime = regime_of(model, cls, day, run.law, lineage)
    deadline = {"art-111-3-transition": run.law.transition_deadline, "downstream": None}.get(
        regime, model.placing
    )
    findings = _unrecorded_notification(model, items)
    items.sort(key=item_order)
    return ModelTimeline(
        model_id,
        model.name,
        regime,
        deadline,
        cls.systemic_as_of(day),
        tuple(items),
        tuple(findings),
        regime_reasons(model, cls, day, run.rules, lineage, run.first_version(model)),
    )


def _unrecorded_notification(model: Model, items: Sequence[Item]) -> list[str]:
    """Art 52(2): arguments go with the notification, so a model with arguments was notified;
    say so while the notification is not recorded, rather than leave it silently overdue."""
    if model.arguments_decision is None:
        return []
    if any(i.rule == NOTIFICATION and i.status == "done" for i in items):
        return []
    return [
        f"arguments_decision is {model.arguments_decision!r}, and arguments go with the Art 52(1) "
        "notification (Art 52(2)): record the notification with notifier event add "
        f"notification --model {model.id} --sent-on DATE (or notifier done on it)"
    ]


def _event_items(run: Run, subject: Subject, owners: Sequence[str]) -> list[Item]:
    """The items a recorded event starts (ids like `titan-1/incident-1/<rule>`), judged by what
    the model was on the day the event happened (K4, K6, K7)."""
    event = subject.event
    assert event is not None
    facts = run.facts(subject.model, on=occurred_on(event))
    items: list[Item] = []
    earlier: dict[str, Derived] = {}
    for rule in run.rules.rules:
        if rule.scope == "event" and rule.event == event.kind and applies(rule.applies_to, facts):
            items += run.builder.items(rule, subject, owners, earlier)
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
