"""How a rule's due date follows from the register: one derivation per anchor. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from notifier.core.events import Event
from notifier.core.law.model import NOTIFICATION, Due, Landmarks, Period, Rule
from notifier.core.periods import BusinessCalendar, shift
from notifier.core.register import Model, Organisation, Upstream


@dataclass(frozen=True)
class Derived:
    """A due date with what it was derived from."""

    due: date | None
    trigger: date | None = None
    citation_extra: tuple[str, ...] = ()
    finding: str | None = None
    note: str | None = None  # appended to the item's description
    inferred: bool = False  # the date rests on an inference, not on the text read


@dataclass(frozen=True)
class Subject:
    """What a rule is evaluated for: the organisation, a model, or one upstream entry of a model."""

    organisation: Organisation
    law: Landmarks
    model: Model | None = None
    upstream: Upstream | None = None
    notification_sent: date | None = None  # a recorded Art 52(1) notification, if any
    event: Event | None = None  # for rules of scope "event"

    @property
    def legacy(self) -> bool:
        placing = self.model.placing if self.model else None
        return placing is not None and placing < self.law.chapter_v_applies


def move(start: date, period: Period | None, business: BusinessCalendar) -> date:
    return start if period is None else shift(start, period.value, period.unit, business)


def derive(
    rule: Rule, subject: Subject, business: BusinessCalendar, earlier: dict[str, Derived]
) -> Derived:
    """The due date of `rule` for `subject` (for a recurring rule: the day its rhythm starts).

    `earlier` holds the rules of the same subject derived before this one.
    """
    spec = rule.due
    model = subject.model
    derived: Derived
    if spec.anchor == "none":
        return Derived(None)
    if spec.anchor == "fixed":
        assert spec.date is not None
        return Derived(spec.date)
    if spec.anchor == "code_checked":
        cop = subject.organisation.code_of_practice
        anchor = cop.checked_on or cop.version_reviewed
        return Derived(anchor, anchor)
    if spec.anchor == "upstream_verified":
        assert subject.upstream is not None
        anchor = subject.upstream.last_verified
        return Derived(anchor, anchor)

    assert model is not None
    assert model.placing is not None
    placing = model.placing
    if spec.anchor == "placing":
        due = move(placing, spec.offset, business)
        trigger = placing if (spec.offset is None or spec.offset.value >= 0) else None
        derived = Derived(due, trigger)
    elif spec.anchor == "documentation_reviewed":
        # Without a recorded review, the rhythm starts when the documentation was due.
        due_from = subject.law.transition_deadline if subject.legacy else placing
        anchor = model.documentation_reviewed_on or due_from
        derived = Derived(anchor, anchor)
    elif spec.anchor == "systemic_since":
        since = systemic_since(model)
        derived = Derived(since, since)
    elif spec.anchor == "designation":
        assert model.designated_on is not None
        derived = Derived(move(model.designated_on, spec.offset, business), model.designated_on)
    elif spec.anchor == "threshold_known":
        derived = _after_threshold(spec, model, business)
    elif spec.anchor == "framework_confirmation":
        derived = _framework_confirmation(model, subject, business, earlier)
    else:  # "rule"
        assert spec.after is not None
        before = earlier.get(spec.after)
        if before is None or before.due is None:
            return Derived(None)
        derived = Derived(move(before.due, spec.offset, business), before.due)
    if spec.systemic_floor and spec.every is None:
        derived = _not_before_systemic(model, derived)
    # Recurring rules keep their rhythm past the transition instead (first_occurrence).
    return derived if spec.every is not None else _transition(spec, subject, derived)


def systemic_since(model: Model) -> date:
    """The day the model's systemic-risk duties began: placing, or later threshold/designation."""
    assert model.placing is not None
    return max(
        model.placing,
        model.threshold_known_on or model.placing,
        model.designated_on or model.placing,
    )


def _not_before_systemic(model: Model, derived: Derived) -> Derived:
    """Where systemic risk arose after placing, periods that ran from placing start then."""
    since = systemic_since(model)
    if derived.due is None or derived.due >= since or since == model.placing:
        return derived
    note = (
        f"Systemic risk arose on {since}, after the Code's period had run from placing; "
        "the item is due from that day (inference: the Code states no rule for this case)."
    )
    return Derived(since, since, derived.citation_extra, derived.finding, note, inferred=True)


def _after_threshold(spec: Due, model: Model, business: BusinessCalendar) -> Derived:
    assert model.threshold_known_on is not None
    trigger = model.threshold_known_on
    extra: tuple[str, ...] = ()
    if spec.floor is not None and trigger < spec.floor:
        trigger = spec.floor
        extra = (spec.floor_citation,) if spec.floor_citation else ()
    return Derived(move(trigger, spec.offset, business), trigger, extra)


def _framework_confirmation(
    model: Model, subject: Subject, business: BusinessCalendar, earlier: dict[str, Derived]
) -> Derived:
    """CoP S&S Measure 1.1: the earlier of notification + 4 weeks and placing - 2 weeks."""
    assert model.placing is not None
    before_placing = shift(model.placing, -2, "weeks")
    notification = subject.notification_sent
    if notification is None and NOTIFICATION in earlier:
        notification = earlier[NOTIFICATION].due
    if notification is None:
        return Derived(before_placing)
    after_notification = shift(notification, 4, "weeks")
    finding = None
    if before_placing < notification:
        finding = (
            f"the Art 52(1) notification ({notification}) does not come at least two weeks "
            f"before placing ({model.placing}): the Framework cannot be confirmed two weeks "
            "before placing (Code of Practice, Safety and Security, Measure 1.1)"
        )
    del business
    return Derived(min(after_notification, before_placing), None, (), finding)


def _transition(spec: Due, subject: Subject, derived: Derived) -> Derived:
    """Art 111(3): a legacy model's duties are due by 2027-08-02 at the latest, not earlier."""
    if not (spec.transition and subject.legacy and derived.due is not None):
        return derived
    law = subject.law
    if derived.due >= law.transition_deadline:
        return derived
    return Derived(
        law.transition_deadline,
        derived.trigger,
        (*derived.citation_extra, law.transition_citation),
        derived.finding,
        derived.note,
    )


def occurrence(
    spec: Due, start: date, k: int, every: Period, subject: Subject, business: BusinessCalendar
) -> tuple[date, int]:
    """The k-th interval after `start` (or a later one, past any floor), and its index.

    Counted from `start` each time, never step by step, so month ends do not drift.
    """
    floor = date.min
    if spec.transition and subject.legacy:
        floor = subject.law.transition_deadline
    if spec.systemic_floor and subject.model is not None:
        floor = max(floor, systemic_since(subject.model))
    due = shift(start, k * every.value, every.unit, business)
    while due < floor:
        k += 1
        due = shift(start, k * every.value, every.unit, business)
    return due, k
