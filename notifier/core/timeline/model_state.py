"""What recorded events make of a model over time, as the register's keys do (L1). Pure.

A designation decision (Art 52(4)), a decision on Art 52(2) arguments, a notification sent
(Art 52(1)) and further training that takes the compute over 10^25 FLOP (Art 51(2)) change what
the model is in law from the day they happened, whatever the register says. Each such event is
laid over the model's register entry before it is classified, so every duty that depends on the
model's state follows. Where the register and an event disagree, the timeline follows the one
that gives the earlier duty and says so, naming the register line (never a silent choice). A
voided event is not loaded, so it stops counting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from notifier.core.events import (
    ArgumentsDecided,
    DesignationDecision,
    Event,
    FurtherTraining,
    NotificationSent,
)
from notifier.core.register import Model, Register
from notifier.core.register.classification import classify, systemic_risk_flop


@dataclass(frozen=True)
class _Change:
    """One field the events set, the event that set it, and what the register said."""

    field: str
    event: Event
    said: str  # what the register says, in words
    does: str  # what the event does, in words
    follows_event: bool = True  # False: the register gives the earlier (longer) duty


def with_recorded_state(
    register: Register, events: Sequence[Event]
) -> tuple[Register, dict[str, tuple[str, ...]]]:
    """The register with each model as its recorded events make it, and per model the
    warnings where the register and the events disagree."""
    by_model: dict[str, list[Event]] = {}
    for event in events:
        model_id = getattr(event, "model", None)
        if model_id is not None and changes_state(event):
            by_model.setdefault(model_id, []).append(event)
    if not by_model:
        return register, {}
    models, warnings = [], {}
    for model in register.models:
        found = by_model.get(model.id)
        if not found:
            models.append(model)
            continue
        updated, changes = _apply(model, found)
        models.append(updated)
        if changes:
            warnings[model.id] = tuple(_warning(register, model, c) for c in changes)
    return register.model_copy(update={"models": tuple(models)}), warnings


def changes_state(event: Event) -> bool:
    """Whether the event changes what its model is (not only adds its own items)."""
    if isinstance(event, FurtherTraining):
        return (event.compute_flop or 0) > systemic_risk_flop()
    return isinstance(event, DesignationDecision | ArgumentsDecided | NotificationSent)


def _apply(model: Model, events: Sequence[Event]) -> tuple[Model, list[_Change]]:
    update: dict[str, Any] = {}
    changes: list[_Change] = []
    ordered = sorted(events, key=_day)
    for event in ordered:
        current = model.model_copy(update=update)
        if isinstance(event, DesignationDecision):
            _designation(current, event, update, changes)
        elif isinstance(event, NotificationSent | FurtherTraining):
            _threshold(current, event, update, changes)
    decisions = [e for e in ordered if isinstance(e, ArgumentsDecided)]
    if decisions:
        _arguments(model.model_copy(update=update), decisions[-1], update, changes)
    return model.model_copy(update=update), changes


def _day(event: Event) -> date:
    if isinstance(event, DesignationDecision):
        return event.informed_on or event.decided_on
    if isinstance(event, NotificationSent):
        return event.sent_on
    if isinstance(event, FurtherTraining):
        return event.trained_on
    assert isinstance(event, DesignationDecision | ArgumentsDecided)
    return event.decided_on


def _designation(
    model: Model, event: DesignationDecision, update: dict[str, Any], changes: list[_Change]
) -> None:
    """Art 52(4): systemic from the day the provider is informed of the decision (K4, L1),
    else from the decision itself (the earlier reading). A later decision maintaining a
    designation already recorded changes nothing."""
    day = event.informed_on or event.decided_on
    designated = classify(model).systemic_risk == "designated"
    if designated and model.designated_on is not None and model.designated_on <= day:
        return
    if not classify(model).systemic:
        update["systemic_risk"] = "designated"
        said = _systemic_said(model)
        changes.append(_Change("systemic_risk", event, said, _designates(event)))
    elif not designated:
        # already presumed: the designation adds its date (and its Art 52(5) right)
        update["systemic_risk"] = "designated" if model.threshold_known_on is None else "presumed"
    if model.designated_on is not None and model.designated_on > day:
        said = f"gives designated_on = {model.designated_on}"
        changes.append(_Change("designated_on", event, said, _designates(event)))
    update["designated_on"] = day


def _designates(event: DesignationDecision) -> str:
    if event.informed_on is not None:
        return (
            f"designates it by a decision of {event.decided_on}, of which you were informed on "
            f"{event.informed_on}: systemic from that day"
        )
    return (
        f"designates it on {event.decided_on}: systemic from that day (the day you were "
        "informed is not recorded, so the decision's date, the earlier reading, is used)"
    )


def _threshold(
    model: Model,
    event: NotificationSent | FurtherTraining,
    update: dict[str, Any],
    changes: list[_Change],
) -> None:
    """Art 51(2), 52(1): a notification is sent, or compute passes 10^25 FLOP, only once the
    threshold is met or known to be met: the model is presumed systemic from then at the latest."""
    day = _day(event)
    what = (
        f"was sent on {day}"
        if isinstance(event, NotificationSent)
        else f"took the cumulative compute to {event.compute_flop:.2g} FLOP on {day}"
    )
    if isinstance(event, FurtherTraining) and event.compute_flop is not None:
        update["training_compute_flop"] = max(model.training_compute_flop or 0, event.compute_flop)
    known = model.threshold_known_on
    if known is not None and known <= day:
        return
    update["threshold_known_on"] = day
    if model.systemic_risk == "none" or not classify(model).systemic:
        update["systemic_risk"] = "presumed" if model.designated_on is None else "designated"
        if model.designated_on is not None and model.designated_on <= day:
            return  # designated earlier: that date already gives the earlier duty
        changes.append(_Change("systemic_risk", event, _systemic_said(model), what))
    elif known is not None:
        said = f"gives threshold_known_on = {known}"
        changes.append(_Change("threshold_known_on", event, said, what))


def _arguments(
    model: Model, event: ArgumentsDecided, update: dict[str, Any], changes: list[_Change]
) -> None:
    """Art 52(2)-(3), GL s.2.3.3 (K3): accepted arguments end the systemic-risk duties from the
    decision; rejected ones never suspended them. Where the register says otherwise, the reading
    that keeps the duties longer is followed (the earlier duty)."""
    said_decision, said_on = model.arguments_decision, model.arguments_decided_on
    decided = f"records the decision '{event.decision}' of {event.decided_on}"
    if said_decision in (None, "pending"):
        update["arguments_decision"] = event.decision
        update["arguments_decided_on"] = event.decided_on
        if said_decision == "pending":
            changes.append(_Change("arguments_decision", event, "says 'pending'", decided))
        return
    if said_decision == "rejected" or event.decision == "rejected":
        if said_decision != event.decision:
            update["arguments_decision"] = "rejected"
            said = f"says '{said_decision}'"
            follows = event.decision == "rejected"
            changes.append(_Change("arguments_decision", event, said, decided, follows))
        return
    if said_on is not None and said_on < event.decided_on:  # both accepted: the later day
        update["arguments_decided_on"] = event.decided_on
        said = f"gives arguments_decided_on = {said_on}"
        changes.append(_Change("arguments_decided_on", event, said, decided))


def _systemic_said(model: Model) -> str:
    if model.systemic_risk is None:
        return "does not mark it as a systemic-risk model"
    return f"gives systemic_risk = {model.systemic_risk!r}"


_ADVICE = {
    "designation": 'record systemic_risk = "designated" and designated_on in the register',
    "notification": "record threshold_known_on (the day the threshold was met or known to be "
    "met) in the register",
    "further-training": "record training_compute_flop and threshold_known_on in the register",
    "arguments-decision": "record arguments_decision and arguments_decided_on in the register",
}


def _warning(register: Register, model: Model, change: _Change) -> str:
    line = register.line_of(model.id, change.field)
    where = register.source if line is None else f"{register.source}:{line}"
    event = change.event
    followed = "the event" if change.follows_event else "the register"
    return (
        f"{where}: model '{model.id}': the register {change.said}, but the recorded "
        f"{event.kind} {event.id} {change.does}; the timeline follows {followed}, which gives "
        f"the earlier duty (AI Act Art 52; Commission guidelines C(2025) 5045, s.2.3). "
        f"To agree, {_ADVICE[event.kind]}, or void {event.id} if it was recorded by mistake."
    )
