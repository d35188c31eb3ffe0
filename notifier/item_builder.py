"""Turns one rule and one subject into items: recurring occurrences, done marks, statuses. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from notifier.due_dates import (
    TRANSITION_CITATION,
    TRANSITION_DEADLINE,
    Derived,
    Subject,
    derive,
    occurrence,
)
from notifier.event_dates import derive_event
from notifier.events import Incident
from notifier.items import Item, Status
from notifier.law.model import Rule
from notifier.register import Register
from notifier.timeline_options import DoneMark, TimelineOptions


class ItemBuilder:
    """Turns one rule and one subject into items, with statuses as of one day."""

    def __init__(self, register: Register, as_of: date, options: TimelineOptions) -> None:
        self.as_of = as_of
        self.options = options
        self.business = options.business_calendar

    def items(
        self,
        rule: Rule,
        subject: Subject,
        prefix: str,
        owners: Sequence[str],
        earlier: dict[str, Derived],
        suffix: str | None = None,
    ) -> list[Item]:
        if subject.event is not None:
            derived = derive_event(rule, subject, self.business, earlier, self.options.offsets)
        else:
            derived = derive(rule, subject, self.business, earlier)
        earlier[rule.id] = derived
        item_id = f"{prefix}/{rule.id}" + (f"/{suffix}" if suffix else "")
        model_id = subject.model.id if subject.model else None
        every = self.options.cadences.get(rule.due.cadence or "", rule.due.every)
        if every is None:
            item = self._item(rule, item_id, derived, owners, model_id)
            if item.done_on is not None:  # a period that runs from this item counts from the fact
                earlier[rule.id] = Derived(item.done_on, derived.trigger)
            return [item]
        # A recurring rule: each done mark closes the current occurrence; the open one follows.
        # Review tasks (with a cadence setting) restart from the day they were done; Code
        # rhythms (e.g. every 12 months from placing) keep counting from their start.
        items = []
        if derived.due is None:
            return [self._item(rule, item_id, derived, owners, model_id, recurring=True)]
        start = derived.due
        due, k = occurrence(rule.due, start, 1, every, subject, self.business)
        extra = derived.citation_extra
        if subject.legacy and rule.due.transition and due >= TRANSITION_DEADLINE > start:
            extra = (*extra, TRANSITION_CITATION)
        for mark in sorted(self.options.done.get(item_id, ()), key=lambda m: m.on):
            closed = Derived(due, start, extra, note=derived.note, inferred=derived.inferred)
            occurrence_id = f"{item_id}@{due.isoformat()}"
            items.append(self._item(rule, occurrence_id, closed, owners, model_id, mark))
            closed_due = due
            if rule.due.cadence:
                start, k = max(mark.on, start), 1
            else:
                k += 1
            due, k = occurrence(rule.due, start, k, every, subject, self.business)
            if due <= closed_due:  # an early-dated mark never moves the rhythm backwards
                start = closed_due
                due, k = occurrence(rule.due, start, 1, every, subject, self.business)
        note, changed = derived.note, self.options.signatory_list_changed_on
        if rule.due.also_when and changed is not None and start < changed < due:
            due = changed
            note = f"The signatory list changed on {changed}: re-verify now. {note or ''}".strip()
        if self._settled(subject, due):
            return items
        current = Derived(due, start, extra, note=note, inferred=derived.inferred)
        items.append(self._item(rule, item_id, current, owners, model_id, recurring=True))
        return items

    @staticmethod
    def _settled(subject: Subject, due: date) -> bool:
        """An incident's reports stop once it is resolved: no open occurrence after that."""
        event = subject.event
        return (
            isinstance(event, Incident)
            and event.resolved_on is not None
            and due > event.resolved_on
        )

    def _item(
        self,
        rule: Rule,
        item_id: str,
        derived: Derived,
        owners: Sequence[str],
        model_id: str | None,
        mark: DoneMark | None = None,
        recurring: bool = False,
    ) -> Item:
        if mark is None and not recurring:
            marks = self.options.done.get(item_id, ())
            mark = max(marks, key=lambda m: m.on) if marks else None
        citation = "; ".join((rule.citation, *derived.citation_extra))
        verification = rule.verification
        description = rule.description
        if rule.basis == "code" and TRANSITION_CITATION in derived.citation_extra:
            verification = "inference"  # the Code states no transition; Art 111(3) by analogy
        if derived.inferred:
            verification = "inference"
        if derived.note:
            description = f"{description} {derived.note}"
        if any(
            p is not None and p.unit == "business_days" for p in (rule.due.offset, rule.due.every)
        ):
            description = f"{description} Business days: {self.business.name}."
        return Item(
            id=item_id,
            rule=rule.id,
            title=rule.title,
            due=derived.due,
            status=self._status(rule, derived.due, mark),
            basis=rule.basis,
            citation=citation,
            kind=rule.kind,
            verification=verification,
            description=description,
            owners=tuple(owners),
            model=model_id,
            trigger=derived.trigger,
            url=rule.url,
            done_on=mark.on if mark else None,
        )

    def _status(self, rule: Rule, due: date | None, mark: DoneMark | None) -> Status:
        if mark is not None:
            return "done"
        if due is None:
            return "standing"
        if due < self.as_of:
            return "done" if rule.kind == "milestone" else "overdue"
        if due <= self.as_of + timedelta(days=self.options.due_soon_days):
            return "due-soon"
        return "upcoming"
