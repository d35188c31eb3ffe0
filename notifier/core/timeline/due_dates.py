"""How a rule's due date follows from the register: one derivation per anchor. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from notifier.core.chapters import evidence_note
from notifier.core.events import Event
from notifier.core.items import item_id_parts
from notifier.core.law.model import (
    NOTE_FIELDS,
    NOTIFICATION,
    Landmarks,
    NoteKey,
    Period,
    Rule,
)
from notifier.core.periods import BusinessCalendar, shift
from notifier.core.register import Model, Organisation, Upstream
from notifier.core.register.classification import Classification, classify, systemic_since


class Derived(NamedTuple):
    """A due date with what it was derived from. (A named tuple: immutable, and made in a
    third of a frozen dataclass's time; a large timeline makes two per item.)"""

    due: date | None
    trigger: date | None = None
    citation_extra: tuple[str, ...] = ()
    note: str | None = None  # appended to the item's description
    inferred: bool = False  # the date rests on an inference, not on the text read


@dataclass(frozen=True)
class Subject:
    """What a rule is evaluated for: the organisation, a model, or one upstream entry of a model.

    What every rule asks of the subject (legacy or not, the parts of its items' ids, when
    systemic risk arose, when an open-source exemption ended) is worked out once per subject,
    not once per rule: a timeline of 10,000 models asks it 130,000 times."""

    organisation: Organisation
    law: Landmarks
    model: Model | None = None
    upstream: Upstream | None = None
    notification_sent: date | None = None  # a recorded Art 52(1) notification, if any
    event: Event | None = None  # for rules of scope "event"
    first_placing: date | None = None  # the lineage's first placing (version_of, K10)
    classification: Classification | None = None
    # Placed before Chapter V applied, or a later version of such a model (Art 111(3)).
    legacy: bool = field(init=False, repr=False, compare=False)
    # The parts of its items' ids: the model id, the event id, the upstream entry's slug.
    ids: tuple[str | None, str | None, str | None] = field(init=False, repr=False, compare=False)
    # What comes before and after the rule id in its items' ids (items.item_id_parts).
    id_parts: tuple[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        model, event, upstream = self.model, self.event, self.upstream
        placing = self.first_placing or (model.placing if model else None)
        _set(self, "legacy", placing is not None and placing < self.law.chapter_v_applies)
        ids = (
            model.id if model is not None else None,
            event.id if event is not None else None,
            upstream.slug if upstream is not None else None,
        )
        _set(self, "ids", ids)
        _set(self, "id_parts", item_id_parts(*ids))

    @property
    def cls(self) -> Classification:
        assert self.model is not None
        return self.classification or classify(self.model)

    @property
    def since(self) -> date:
        """The day the model's systemic-risk duties began (`systemic_since`), worked out once."""
        found: date | None = self.__dict__.get("_since")
        if found is None:
            assert self.model is not None
            found = self.__dict__["_since"] = systemic_since(self.model)
        return found

    @property
    def exemption_end(self) -> date | None:
        """K4: for a free and open-source model that became systemic after placing, the day its
        Art 53(2) / 54(6) exemption ended (for the rules that carry that exemption)."""
        if "_exemption_end" not in self.__dict__:
            model, ends = self.model, None
            if model is not None and model.placing is not None:
                cls = self.cls
                if cls.open_source and cls.systemic and self.since > model.placing:
                    ends = self.since
            self.__dict__["_exemption_end"] = ends
        found: date | None = self.__dict__["_exemption_end"]
        return found


_set = object.__setattr__


def move(start: date, period: Period | None, business: BusinessCalendar) -> date:
    return start if period is None else shift(start, period.value, period.unit, business)


def derive(
    rule: Rule, subject: Subject, business: BusinessCalendar, earlier: dict[str, Derived]
) -> Derived:
    """The due date of `rule` for `subject` (for a recurring rule: the day its rhythm starts).

    `earlier` holds the rules of the same subject derived before this one.
    """
    spec = rule.due
    anchor_kind = spec.anchor
    model = subject.model
    derived: Derived
    if anchor_kind == "none":
        return Derived(None, note=evidence_note(subject.upstream) if subject.upstream else None)
    if anchor_kind == "fixed":
        assert spec.date is not None
        return Derived(spec.date)
    if anchor_kind == "code_checked":
        cop = subject.organisation.code_of_practice
        anchor = cop.checked_on or cop.version_reviewed
        return Derived(anchor, anchor)
    if anchor_kind == "upstream_verified":
        assert subject.upstream is not None
        anchor = subject.upstream.last_verified
        return Derived(anchor, anchor)

    assert model is not None
    placing = model.placing
    assert placing is not None
    if anchor_kind == "placing":
        offset = spec.offset
        if offset is None:
            derived = Derived(placing, placing)
        else:
            trigger = placing if offset.value >= 0 else None
            derived = Derived(move(placing, offset, business), trigger)
    elif anchor_kind == "withdrawn":
        assert model.withdrawn_on is not None
        derived = Derived(model.withdrawn_on, model.withdrawn_on)
    elif anchor_kind == "documentation_reviewed":
        # Without a recorded review, the rhythm starts when the documentation was due.
        due_from = subject.law.transition_deadline if subject.legacy else placing
        ends = exemption_ends(rule, subject)
        inferred = ends is not None and ends > due_from and model.documentation_reviewed_on is None
        due_from = max(due_from, ends or due_from)
        anchor = model.documentation_reviewed_on or due_from
        derived = Derived(anchor, anchor, inferred=inferred)
    elif anchor_kind == "systemic_since":
        since = subject.since
        derived = Derived(since, since)
    elif anchor_kind == "designation":
        assert model.designated_on is not None
        due = move(model.designated_on, spec.offset, business)
        due = due + timedelta(days=1) if spec.after_period_ends else due
        derived = Derived(due, model.designated_on)
    elif anchor_kind == "threshold_known":
        derived = _after_threshold(rule, subject, business)
    elif anchor_kind == "framework_confirmation":
        derived = _framework_confirmation(rule, subject, earlier)
        if subject.legacy:
            return derived  # L2: counted from the notification (no Art 111(3) transition)
    else:  # "rule": a date computed from an inferred date is itself inferred
        assert spec.after is not None
        before = earlier.get(spec.after)
        if before is None or before.due is None:
            return Derived(None)
        due = move(before.due, spec.offset, business)
        derived = Derived(due, before.due, inferred=before.inferred)
    if spec.every is not None:  # recurring rules keep their rhythm (occurrence_floor)
        return derived
    # Each bound below leaves most dates as they are: asked only where it can move one.
    if spec.systemic_floor:
        derived = _not_before_systemic(model, subject.since, derived)
    if rule.carries_exemption and subject.exemption_end is not None:
        derived = _not_before_exemption_ends(rule, subject, derived)
    if spec.transition and subject.legacy:
        derived = _transition(rule, subject, derived)
    return _eea_reading(rule, subject, derived) if "eea" in rule.notes else derived


def _eea_reading(rule: Rule, subject: Subject, derived: Derived) -> Derived:
    """L3: a provider in Iceland, Liechtenstein or Norway has the Art 54 duties only on the
    reading that the AI Act is not yet part of the EEA Agreement: inference, the other named."""
    org = subject.organisation
    if (
        "eea" not in rule.notes
        or org.third_country
        or org.established_in not in subject.law.eea_states
    ):
        return derived
    note = _note(rule, "eea", subject)
    return derived._replace(note=_joined(derived.note, note), inferred=True)


def note_fields(subject: Subject, notified: date | None = None) -> dict[str, str]:
    """The values a rule's note may name (NOTE_FIELDS), as text."""
    model = subject.model
    values = {
        "since": systemic_since(model) if model and model.placing else None,
        "placing": model.placing if model else None,
        "notified": notified,
        "transition_deadline": subject.law.transition_deadline,
    }
    assert set(values) == set(NOTE_FIELDS)
    return {k: v.isoformat() if v is not None else "(not recorded)" for k, v in values.items()}


def _note(rule: Rule, key: NoteKey, subject: Subject, notified: date | None = None) -> str | None:
    return rule.note(key, **note_fields(subject, notified))


def _joined(*notes: str | None) -> str | None:
    return " ".join(n for n in notes if n) or None


def _not_before_systemic(model: Model, since: date, derived: Derived) -> Derived:
    """Where systemic risk arose after placing (`since`), periods that ran from placing start
    then (K4)."""
    if derived.due is None or derived.due >= since or since == model.placing:
        return derived
    note = (
        f"Systemic risk arose on {since}, after the Code's period had run from placing; "
        "the item is due from that day (inference: the Code states no rule for this case)."
    )
    noted = _joined(derived.note, note)
    return derived._replace(due=since, trigger=since, note=noted, inferred=True)


def exemption_ends(rule: Rule, subject: Subject) -> date | None:
    """K4: for a free and open-source model that became systemic after placing, the day its
    Art 53(2) / 54(6) exemption ended; None where the rule carries no such exemption."""
    return subject.exemption_end if rule.carries_exemption else None


def _not_before_exemption_ends(rule: Rule, subject: Subject, derived: Derived) -> Derived:
    ends = subject.exemption_end if rule.carries_exemption else None
    if ends is None or derived.due is None or derived.due >= ends:
        return derived
    note = (
        f"Free and open-source model: the Art 53(2) and 54(6) exemptions ended on {ends}, when "
        "systemic risk arose, so this duty attaches from that day, not from placing "
        "(inference: the texts give the moment systemic risk starts, not this date)."
    )
    return derived._replace(due=ends, trigger=ends, note=_joined(derived.note, note), inferred=True)


def _after_threshold(rule: Rule, subject: Subject, business: BusinessCalendar) -> Derived:
    """Art 52(1): two weeks from the threshold, from 2025-08-02 at the earliest. For a legacy
    model the earlier of two readings, labelled inference (K2)."""
    spec = rule.due
    assert subject.model is not None
    assert subject.model.threshold_known_on is not None
    trigger = subject.model.threshold_known_on
    floored = spec.floor is not None and trigger < spec.floor
    if floored:
        assert spec.floor is not None
        trigger = spec.floor
    due = move(trigger, spec.offset, business)
    if subject.legacy and spec.legacy_earlier:
        extra = (spec.legacy_floor_citation,) if floored and spec.legacy_floor_citation else ()
        return Derived(due, trigger, extra, note=_note(rule, "legacy", subject), inferred=True)
    if floored:
        extra = (spec.floor_citation,) if spec.floor_citation else ()
        return Derived(due, trigger, extra, note=_note(rule, "floor", subject))
    return Derived(due, trigger)


def _framework_confirmation(rule: Rule, subject: Subject, earlier: dict[str, Derived]) -> Derived:
    """CoP S&S Measure 1.1 (K1): the earlier of notification + 4 weeks and placing - 2 weeks,
    both upper bounds; for a model that became systemic after placing, notification + 4 weeks."""
    model = subject.model
    assert model is not None
    assert model.placing is not None
    notified, inferred = subject.notification_sent, False
    if notified is None and NOTIFICATION in earlier:
        notified, inferred = earlier[NOTIFICATION].due, earlier[NOTIFICATION].inferred
    since = subject.since
    if subject.legacy and notified is not None:
        # L2: K1 governs legacy models too; placing - 2 weeks lies in the past and can no
        # longer be met or missed; 2027-08-02 (Art 111(3)) is the later reading.
        legacy = _note(rule, "legacy", subject, notified)
        return Derived(shift(notified, 4, "weeks"), notified, note=legacy, inferred=True)
    if since > model.placing:
        if notified is None:
            note = _note(rule, "designated_after_placing", subject)
            return Derived(since, since, note=note, inferred=True)
        note = _note(rule, "after_placing", subject, notified)
        return Derived(shift(notified, 4, "weeks"), notified, note=note, inferred=True)
    before_placing = shift(model.placing, -2, "weeks")
    if notified is not None and shift(notified, 4, "weeks") < before_placing:
        return Derived(shift(notified, 4, "weeks"), notified, inferred=inferred)
    return Derived(before_placing)


def _transition(rule: Rule, subject: Subject, derived: Derived) -> Derived:
    """Art 111(3): a legacy model's duties are due by 2027-08-02 at the latest, not earlier."""
    if not (rule.due.transition and subject.legacy and derived.due is not None):
        return derived
    law = subject.law
    if derived.due >= law.transition_deadline:
        return derived
    extra = (*derived.citation_extra, law.transition_citation)
    return derived._replace(due=law.transition_deadline, citation_extra=extra, inferred=False)


def occurrence_floor(rule: Rule, subject: Subject) -> date:
    """The day before which a recurring rule has no occurrence: the end of the transition, the
    day systemic risk arose, or the day an open-source exemption ended."""
    floor = date.min
    if rule.due.transition and subject.legacy:
        floor = subject.law.transition_deadline
    if rule.due.systemic_floor and subject.model is not None:
        floor = max(floor, subject.since)
    return max(floor, exemption_ends(rule, subject) or floor)


def occurrence(
    start: date, k: int, every: Period, floor: date, business: BusinessCalendar
) -> tuple[date, int]:
    """The k-th interval after `start` (or a later one, past `floor`), and its index.

    Counted from `start` each time, never step by step, so month ends do not drift.
    """
    due = shift(start, k * every.value, every.unit, business)
    if due < floor:
        k = max(k, _first_reaching(start, every, floor))
        due = shift(start, k * every.value, every.unit, business)
    while due < floor:
        k += 1
        due = shift(start, k * every.value, every.unit, business)
    return due, k


def _first_reaching(start: date, every: Period, floor: date) -> int:
    """An index no later than the first whose interval ends on or after `floor`: every earlier
    one ends before it (an interval of j months ends in the month j after `start`'s, so before
    `floor`'s month while j is short of the months between). Saves counting a model placed
    years ago past a floor interval by interval; 0 where no such bound is known."""
    value, unit = every.value, every.unit
    if value <= 0 or floor <= start:
        return 0
    if unit in ("months", "years"):
        months = (floor.year - start.year) * 12 + floor.month - start.month
        step = value * 12 if unit == "years" else value
        return -(-months // step)  # ceil: every j below ends in a month before floor's
    if unit in ("days", "weeks"):
        days = (floor - start).days
        step = value * 7 if unit == "weeks" else value
        return -(-days // step)  # ceil: every j below ends before floor
    return 0  # business days: counted one by one
