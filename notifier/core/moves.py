"""What moved (issue 23): the open items people were last shown, compared with the timeline
now, give moves (an item's due date earlier or later, a duty added or removed), each with its
cause: the rule data's version, the register (file and line) or a recorded event. Pure: the
snapshots and the register come in, moves go out; the store keeps the snapshots.

A change with none of these causes (time passing: a status, a new occurrence; a done mark
recorded or corrected) is not a move: the snapshot simply follows it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, NamedTuple

from notifier.core.items import ORGANISATION, Item, Timeline
from notifier.core.law import Changelog, RuleSet
from notifier.core.register import Register

# "started": a duty a newly recorded event itself starts (its own item): the event's own
# announcement and the regular reminders tell it, so the move is listed, never told.
Change = Literal["earlier", "later", "appeared", "disappeared", "started"]
CauseKind = Literal["rules", "register", "event", "voided-event"]


class Shown(NamedTuple):
    """One open item as people were shown it (a tuple: a snapshot holds one per open item)."""

    item: str
    rule: str
    model: str | None
    title: str
    due: date | None
    status: str
    rules_version: str
    owners: tuple[str, ...] = ()
    event: str | None = None  # the event that started it (not kept by the store)

    @property
    def kept(self) -> tuple[object, ...]:
        """What the store keeps of it (compared, hashed)."""
        return self[:8]


@dataclass(frozen=True)
class Inputs:
    """What the items of one scope (a model, or the organisation) were computed from: the
    register's entry (canonical JSON), the recorded events in force, the rule data's version.
    `stamp`: when the store took it (it keys the moves found against it)."""

    scope: str
    fields: str
    events: tuple[str, ...]
    rules_version: str
    stamp: str = ""

    def same(self, other: Inputs) -> bool:
        return (self.fields, self.events, self.rules_version) == (
            other.fields,
            other.events,
            other.rules_version,
        )


@dataclass(frozen=True)
class Snapshot:
    items: Mapping[str, Shown]
    inputs: Mapping[str, Inputs]

    @property
    def empty(self) -> bool:
        return not self.items and not self.inputs


@dataclass(frozen=True)
class Cause:
    """Why dates moved: `ref` is the rule data's "OLD -> NEW" versions, the register's
    "FILE:LINE" (or FILE), or the event's id; `rules`: (rule id, citation) changed."""

    kind: CauseKind
    ref: str
    text: str
    rules: tuple[tuple[str, str], ...] = ()

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "ref": self.ref,
            "text": self.text,
            "rules": [{"id": rule, "citation": citation} for rule, citation in self.rules],
        }


@dataclass(frozen=True)
class Move:
    item: str
    rule: str
    model: str | None
    title: str
    old_due: date | None
    new_due: date | None
    change: Change
    cause: Cause
    owners: tuple[str, ...] = ()
    key: str = field(default="", compare=False)

    @property
    def urgent(self) -> bool:
        """Told at once: a date earlier, a duty added or removed; a later date waits for the
        next digest (and a duty an event starts is the event's own news)."""
        return self.change not in ("later", "started")

    @property
    def told(self) -> bool:
        return self.change != "started"

    def describe(self) -> str:
        """One sentence: what moved, from what to what, and why."""
        old = self.old_due.isoformat() if self.old_due else "no fixed date"
        new = self.new_due.isoformat() if self.new_due else "no fixed date"
        what = {
            "earlier": f"moved earlier, from {old} to {new}",
            "later": f"moved later, from {old} to {new}",
            "appeared": f"new duty, due {new}",
            "disappeared": f"no longer applies (was due {old})",
            "started": f"started by the event, due {new}",
        }[self.change]
        return f"{what}; because {self.cause.text}"


def scope_of(model: str | None) -> str:
    return model or ORGANISATION


def shown_items(timeline: Timeline, rules_version: str) -> dict[str, Shown]:
    """The open items of a timeline (a done item is not open), as a snapshot keeps them."""
    return {
        i.id: Shown(
            i.id, i.rule, i.model, i.title, i.due, i.status, rules_version, i.owners, i.event
        )
        for i in timeline.all_items()
        if i.status != "done"
    }


def inputs_of(
    register: Register, events: Iterable[tuple[str, str | None]], rules_version: str
) -> dict[str, Inputs]:
    """Each scope's inputs: `events` are (event id, model or None) of the events in force."""
    by_scope: dict[str, list[str]] = {}
    for event_id, subject in events:
        by_scope.setdefault(scope_of(subject), []).append(event_id)
    entries: dict[str, str] = {
        ORGANISATION: json.dumps(register.organisation.model_dump(mode="json"), sort_keys=True)
    }
    for model in register.models:
        entries[model.id] = json.dumps(model.model_dump(mode="json"), sort_keys=True)
    return {
        scope: Inputs(scope, fields, tuple(sorted(by_scope.get(scope, []))), rules_version)
        for scope, fields in entries.items()
    }


def _changed_fields(old: str, new: str) -> list[str]:
    before, after = json.loads(old), json.loads(new)
    return [k for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)]


def cause_of(
    scope: str,
    before: Inputs | None,
    after: Inputs | None,
    register: Register,
    rules: RuleSet,
    changelog: Changelog,
) -> Cause | None:
    """Why the items of `scope` may have moved (None: nothing that moves dates changed).
    An event outranks a register edit, which outranks the rule data."""
    source = register.source
    if before is None:
        line = register.line_of(scope, "id") if scope != ORGANISATION else None
        where = f"{source}:{line}" if line else source
        return Cause("register", where, f"model '{scope}' was added to the register ({where})")
    if after is None:
        return Cause("register", source, f"model '{scope}' was removed from the register")
    added = sorted(set(after.events) - set(before.events))
    if added:
        return Cause("event", added[0], f"event {added[0]} was recorded")
    voided = sorted(set(before.events) - set(after.events))
    if voided:
        return Cause("voided-event", voided[0], f"event {voided[0]} was voided")
    if before.fields != after.fields:
        changed = _changed_fields(before.fields, after.fields)
        name = changed[0] if changed else "id"
        old, new = json.loads(before.fields).get(name), json.loads(after.fields).get(name)
        line = (
            register.organisation_line(name)
            if scope == ORGANISATION
            else register.line_of(scope, name)
        )
        where = f"{source}:{line}" if line else source
        return Cause("register", where, f"the register changed: {name} {old} -> {new} ({where})")
    if before.rules_version != after.rules_version:
        versions = f"{before.rules_version} -> {after.rules_version}"
        ids = changelog.changed_rules(before.rules_version, after.rules_version)
        known = {r.id: r.citation for r in rules.rules}
        cited = tuple((rule, known.get(rule, "(rule removed)")) for rule in ids)
        entries = changelog.since(before.rules_version, after.rules_version)
        said = "; ".join(f"{e.summary} ({', '.join(e.sources)})" for e in entries)
        text = f"the rule data changed ({versions})" + (f": {said}" if said else "")
        return Cause("rules", versions, text, cited)
    return None


def find_moves(
    before: Snapshot,
    after: Snapshot,
    done: Iterable[str],
    register: Register,
    rules: RuleSet,
    changelog: Changelog,
) -> list[Move]:
    """The moves from `before` to `after` (`done`: the ids of items done now, which left the
    open items by a done mark, not by a move). Nothing moves against an empty snapshot: the
    first computation is what people are first shown."""
    if before.empty:
        return []
    closed = set(done)
    causes = {
        scope: cause_of(
            scope,
            before.inputs.get(scope),
            after.inputs.get(scope),
            register,
            rules,
            changelog,
        )
        for scope in set(before.inputs) | set(after.inputs)
    }
    # The organisation's entry (where it is established, the Code it signed) moves the models'
    # dates too: a model's item with no cause of its own has the organisation's.
    shared = causes.get(ORGANISATION)
    if shared is not None:
        causes = {scope: cause or shared for scope, cause in causes.items()}
    found: list[Move] = []
    for item_id in sorted(set(before.items) | set(after.items)):
        old, new = before.items.get(item_id), after.items.get(item_id)
        shown = new or old
        assert shown is not None
        scope = scope_of(shown.model)
        cause = causes.get(scope)
        if cause is None:
            continue
        if old is None:
            assert new is not None
            own = cause.kind == "event" and new.event == cause.ref
            change: Change = "started" if own else "appeared"
        elif new is None:
            if item_id in closed:
                continue
            change = "disappeared"
        elif old.due == new.due:
            continue
        elif old.due is None or (new.due is not None and new.due < old.due):
            change = "earlier"
        else:
            change = "later"
        stamp = before.inputs[scope].stamp if scope in before.inputs else ""
        key = "|".join(
            [
                item_id,
                str(old.due if old else None),
                str(new.due if new else None),
                f"{cause.kind}:{cause.ref}",
                stamp,
            ]
        )
        found.append(
            Move(
                item_id,
                shown.rule,
                shown.model,
                shown.title,
                old.due if old else None,
                new.due if new else None,
                change,
                cause,
                shown.owners,
                key,
            )
        )
    return found


def done_ids(timeline: Timeline) -> set[str]:
    return {i.id for i in timeline.all_items() if i.status == "done"}


def item_of_move(move: Move, current: Mapping[str, Item], rules: RuleSet) -> Item:
    """The item a move is told about: the timeline's, or for a duty that disappeared one made
    from what was shown (its rule's basis and citation)."""
    found = current.get(move.item)
    if found is not None:
        return found
    rule = next((r for r in rules.rules if r.id == move.rule), None)
    return Item(
        id=move.item,
        rule=move.rule,
        title=move.title,
        due=move.old_due,
        status="upcoming",
        basis=rule.basis if rule else "law",
        citation=rule.citation if rule else "",
        kind=rule.kind if rule else "deadline",
        verification=rule.verification if rule else "inference",
        description="This duty no longer applies: " + move.describe(),
        owners=move.owners,
        model=move.model,
    )
