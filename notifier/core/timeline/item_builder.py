"""Turns one rule and one subject into items: recurring occurrences, done marks, statuses. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import NamedTuple

from notifier.core.events import DoneMark, Incident
from notifier.core.items import Item, Status, item_from, item_template
from notifier.core.law.model import Rule
from notifier.core.periods import BusinessCalendar
from notifier.core.timeline.due_dates import (
    Derived,
    Subject,
    derive,
    occurrence,
    occurrence_floor,
)
from notifier.core.timeline.event_dates import derive_event
from notifier.core.timeline.options import TimelineOptions


class ItemBuilder:
    """Turns one rule and one subject into items, with statuses as of one day."""

    def __init__(self, as_of: date, options: TimelineOptions) -> None:
        self.as_of = as_of
        self.options = options
        self.business = options.business_calendar
        self.soon_until = as_of + timedelta(days=options.due_soon_days)  # due-soon up to here
        # What every item asks of the options, read once (a timeline makes 100,000 items).
        self._done = options.done
        self._compared = options.compared_calendar
        self._cadences = options.cadences
        self._business_note = (
            f" Business days: {self.business.name}." if options.compared_calendar is None else ""
        )
        self._templates: dict[int, tuple[Rule, dict[str, object]]] = {}

    def items(
        self, rule: Rule, subject: Subject, owners: Sequence[str], earlier: dict[str, Derived]
    ) -> list[Item]:
        """The items of `rule` for `subject`; `earlier` holds the subject's rules derived before
        this one (and receives this one), since a period may run from another rule's date."""
        if subject.event is None:
            derived = derive(rule, subject, self.business, earlier)
        else:
            derived = derive_event(rule, subject, self.business, earlier, self.options.offsets)
        compared = self._compared
        if compared is not None and rule.counts_business_days and derived.due is not None:
            other = self._derive(rule, subject, earlier, compared)
            derived = earlier_of_two(derived, other, self.business, compared)
        earlier[rule.id] = derived
        head, tail = subject.id_parts  # items.item_id: the subject's part of every id
        live = _Live(
            rule, subject, owners if type(owners) is tuple else tuple(owners), head + rule.id + tail
        )
        spec = rule.due
        cadence = spec.cadence
        every = self._cadences.get(cadence, spec.every) if cadence else spec.every
        if every is None:
            marks = self._done.get(live.id)
            item = self._item(live, derived, max(marks, key=_on) if marks else None)
            if item.done_on is not None:  # a period that runs from this item counts from the fact
                earlier[rule.id] = Derived(item.done_on, derived.trigger)
            elif item.verification == "inference" and not derived.inferred:
                # a date computed from an inferred date is itself inferred
                earlier[rule.id] = derived._replace(inferred=True)
            return [item]
        # A recurring rule: each done mark closes the current occurrence; the open one follows.
        # Review tasks (with a cadence setting) restart from the day they were done; Code
        # rhythms (e.g. every 12 months from placing) keep counting from their start.
        items = []
        if derived.due is None:
            return [self._item(live, derived)]
        start = derived.due
        floor = occurrence_floor(rule, subject)
        due, k = occurrence(start, 1, every, floor, self.business)
        extra = derived.citation_extra
        law = subject.law
        if subject.legacy and spec.transition and due >= law.transition_deadline > start:
            extra = (*extra, law.transition_citation)
        for mark in sorted(self._done.get(live.id, ()), key=lambda m: m.on):
            closed = Derived(due, start, extra, note=derived.note, inferred=derived.inferred)
            items.append(self._item(live, closed, mark, occurrence_of=due))
            closed_due = due
            if cadence:
                start, k = max(mark.on, start), 1
            else:
                k += 1
            due, k = occurrence(start, k, every, floor, self.business)
            if due <= closed_due:  # an early-dated mark never moves the rhythm backwards
                start = closed_due
                due, k = occurrence(start, 1, every, floor, self.business)
        note, changed = derived.note, self.options.signatory_list_changed_on
        if spec.also_when and changed is not None and start < changed < due:
            due = changed
            note = f"The signatory list changed on {changed}: re-verify now. {note or ''}".strip()
        if self._settled(subject, due):
            return items
        current = Derived(due, start, extra, note=note, inferred=derived.inferred)
        items.append(self._item(live, current))
        return items

    def _derive(
        self, rule: Rule, subject: Subject, earlier: dict[str, Derived], business: BusinessCalendar
    ) -> Derived:
        if subject.event is not None:
            return derive_event(rule, subject, business, earlier, self.options.offsets)
        return derive(rule, subject, business, earlier)

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
        live: _Live,
        derived: Derived,
        mark: DoneMark | None = None,
        *,
        occurrence_of: date | None = None,
    ) -> Item:
        """One item; `mark`: the done mark that closes it (for a single item: its latest)."""
        rule = live.rule
        values = self._template(rule)
        due, extra, note = derived.due, derived.citation_extra, derived.note
        if extra:
            values["citation"] = "; ".join((rule.citation, *extra))
            if rule.basis == "code" and live.subject.law.transition_citation in extra:
                values["verification"] = "inference"  # the Code states no transition; Art 111(3)
        if derived.inferred:
            values["verification"] = "inference"
        if note:
            values["description"] = f"{rule.description} {note}" + (
                self._business_note if rule.counts_business_days else ""
            )
        if mark is not None:
            status: Status = "done"
            values["done_on"] = mark.on
        elif due is None:
            status = "standing"
        elif rule.right and due <= self.as_of:
            status = "open"  # a right is exercised, never met by its date passing
        elif due < self.as_of:
            status = "done" if rule.kind == "milestone" else "overdue"
        else:
            status = "due-soon" if due <= self.soon_until else "upcoming"
        if occurrence_of is None:
            values["id"] = live.id
        else:
            values["id"] = f"{live.id}@{occurrence_of.isoformat()}"
            values["occurrence"] = occurrence_of
        values["due"] = due
        values["status"] = status
        values["owners"] = live.owners
        values["model"], values["event"], values["upstream"] = live.subject.ids
        values["trigger"] = derived.trigger
        return item_from(values)

    def _template(self, rule: Rule) -> dict[str, object]:
        """A fresh copy of what every item of `rule` shares (worked out once per rule)."""
        found = self._templates.get(id(rule))
        if found is None:
            description = rule.description
            if rule.counts_business_days:
                description += self._business_note
            shared = item_template(
                rule=rule.id,
                title=rule.title,
                basis=rule.basis,
                citation=rule.citation,
                kind=rule.kind,
                verification=rule.verification,
                description=description,
                url=rule.url,
            )
            found = self._templates[id(rule)] = (rule, shared)  # the rule kept: its id stays its
        return found[1].copy()


def _on(mark: DoneMark) -> date:
    return mark.on


def earlier_of_two(
    first: Derived, second: Derived, one: BusinessCalendar, other: BusinessCalendar
) -> Derived:
    """L5: a business-day period counted on two calendars: the earlier date, the other named.
    A date that rests on the Commission's usual pattern (no adopted list) is an inference."""
    assert first.due is not None
    assert second.due is not None
    chosen, calendar, rest, rest_calendar = (
        (second, other, first, one) if second.due < first.due else (first, one, second, other)
    )
    assert chosen.due is not None
    assumed = chosen.trigger is not None and any(
        year in calendar.assumed_years for year in range(chosen.trigger.year, chosen.due.year + 1)
    )
    if rest.due == chosen.due:
        note = f"Business days: the same date on both calendars: {one.name}; {other.name}."
    else:
        note = (
            f"Business days: counted on two calendars, the earlier date is shown: {chosen.due} "
            f"on {calendar.name}; on {rest_calendar.name} it would be {rest.due}."
        )
    if assumed:
        note += (
            " The Commission has no published list of holidays for a year this period spans: "
            "its usual pattern is assumed (inference)."
        )
    joined = f"{chosen.note} {note}" if chosen.note else note
    return chosen._replace(note=joined, inferred=chosen.inferred or assumed)


class _Live(NamedTuple):
    """What every item of one rule for one subject shares: its rule, subject, owners, live id."""

    rule: Rule
    subject: Subject
    owners: tuple[str, ...]
    id: str
