"""Items as iCalendar events: what each event says, and its VEVENT text (icalendar library).

`event_text` decides what an item's event shows (pure); `EventRenderer` turns that plus the
event's stored state (SEQUENCE, created, last-modified) into VEVENT bytes. Rendering is the slow
part of a build, so each event's bytes are cached by everything that goes into them: a rebuild
with nothing changed renders nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from icalendar import Event, vCalAddress

from notifier.core.items import Item, Status, Timeline, calendar_uid
from notifier.core.register import Register
from notifier.feeds.cache import Key, event_key
from notifier.feeds.fold import serialize
from notifier.store.feeds import EventKeys, EventState

BASIS_LABELS = {
    "law": "law (the AI Act or another Union act)",
    "code": "Code of Practice commitment (signed chapter)",
    "guidance": "Commission guidance",
}
VERIFICATION_LABELS = {
    "primary": "primary (read in the primary text)",
    "secondary": "secondary (secondary sources only)",
    "inference": "inference (computed from verified text)",
    "unverified": "unverified",
}
STATUS_MARKS: Mapping[Status, str] = {
    "done": "✓ Done · ",
    "overdue": "Overdue · ",
    "open": "Open · ",
}


@dataclass(frozen=True)
class EventText:
    """What one dated item's event shows, before the stored stamps are added."""

    item_id: str
    due: date
    status: Status
    summary: str
    description: str
    categories: tuple[str, ...]
    url: str | None

    def keys(self) -> EventKeys:
        revision = _digest(self.due.isoformat(), self.summary, self.status)
        content = _digest(revision, self.description, *self.categories, self.url or "")
        return EventKeys(revision=revision, content=content)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class _ModelFacts:
    id: str
    name: str
    regime: str
    regime_deadline: date | None


class Describer:
    """Names for what items refer to by id: the organisation, models, upstreams and people."""

    def __init__(self, register: Register, timeline: Timeline) -> None:
        self.organisation = register.organisation.name
        self.people = {person.id: person.name for person in register.people}
        self.models = {
            m.id: _ModelFacts(m.id, m.name, m.regime, m.regime_deadline) for m in timeline.models
        }
        self.upstreams = {
            (model.id, upstream.slug): f"{upstream.provider} {upstream.model}"
            for model in register.models
            for upstream in model.upstream
        }
        self._facts: dict[tuple[str | None, tuple[str, ...], str | None], tuple[object, ...]] = {}

    def facts(self, item: Item) -> tuple[object, ...]:
        """Every name that the item's event text shows: equal facts, equal text."""
        where = (item.model, item.owners, item.upstream)
        found = self._facts.get(where)  # the items of one model share their names
        if found is None:
            about = self.organisation if item.model is None else self.models[item.model]
            owners = tuple(self.people.get(p) for p in item.owners)
            found = self._facts[where] = (about, owners, self.upstream(item))
        return found

    def subject(self, item: Item) -> str:
        if item.model is None:
            return self.organisation
        return self.models[item.model].name

    def upstream(self, item: Item) -> str | None:
        if item.model is None or item.upstream is None:
            return None
        return self.upstreams.get((item.model, item.upstream))

    def scope(self, item: Item) -> str:
        if item.model is None:
            return f"Scope: the whole organisation ({self.organisation})"
        model = self.models[item.model]
        deadline = f", deadline {model.regime_deadline}" if model.regime_deadline else ""
        return f"Model: {model.name} ({model.id}); regime {model.regime}{deadline}"

    def owners(self, item: Item) -> str:
        return ", ".join(f"{self.people.get(p, p)} ({p})" for p in item.owners) or "none"


def event_text(item: Item, names: Describer) -> EventText:
    """The event of a dated item; ValueError for a standing item (it has no date to show)."""
    if item.due is None:
        raise ValueError(f"{item.id} has no date; standing items are not calendar events")
    upstream = names.upstream(item)
    title = f"{item.title} ({upstream})" if upstream else item.title
    summary = f"{STATUS_MARKS.get(item.status, '')}{names.subject(item)}: {title}"
    if item.status == "done" and item.done_on is not None:
        status = f"done (met on {item.done_on})"
        closing = f"Recorded as met; `notifier done {item.id} --on DATE` corrects the day."
    elif item.status == "done":
        status = "done (the day has passed)"
        closing = "Nothing to record: this is a date in the law, not a task."
    elif item.status == "open":
        status = f"open (a right you may exercise from {item.due})"
        closing = "Nothing to record: this is a right, not a task."
    else:
        status = item.status
        closing = f"When it is met, record it with: notifier done {item.id}"
    lines = [
        names.scope(item),
        *([f"Upstream: {upstream}"] if upstream else []),
        f"Status: {status}",
        f"Due: {item.due}",
        f"Basis: {BASIS_LABELS[item.basis]}",
        f"Citation: {item.citation}",
        f"Verification: {VERIFICATION_LABELS[item.verification]}",
        f"Kind: {item.kind}",
        f"Owners: {names.owners(item)}",
        "",
        item.description,
        "",
        *([f"More: {item.url}", ""] if item.url else []),
        closing,
        f"Item: {item.id}",
    ]
    return EventText(
        item_id=item.id,
        due=item.due,
        status=item.status,
        summary=summary,
        description="\n".join(lines),
        categories=("AI Act", item.basis, item.kind, item.status),
        url=item.url,
    )


class EventTexts:
    """Each item's event text and keys, kept while the item and the names it shows are equal."""

    def __init__(self) -> None:
        self._known: dict[tuple[Item, tuple[object, ...]], tuple[EventText, EventKeys]] = {}

    def of(self, items: list[Item], names: Describer) -> dict[str, tuple[EventText, EventKeys]]:
        current = {}
        texts = {}
        for item in items:
            key = (item, names.facts(item))
            found = self._known.get(key)
            if found is None:
                text = event_text(item, names)
                found = (text, text.keys())
            current[key] = texts[item.id] = found
        self._known = current
        return texts


class EventRenderer:
    """VEVENT bytes per event, cached under a key of everything they depend on (see
    notifier.feeds.cache), starting from `kept` (a previous process's renders); keeps only the
    last build's events."""

    def __init__(
        self, organizer: vCalAddress | None = None, kept: Mapping[Key, bytes] | None = None
    ) -> None:
        self.organizer = organizer
        self.organizer_key = organizer_key(organizer)
        self._cache: dict[Key, bytes] = dict(kept or {})
        self._used: dict[Key, bytes] = {}
        self._rendering = 0
        self.rendered = 0  # events the last build rendered (the rest came from the cache)

    def render(self, text: EventText, state: EventState, content_key: str) -> tuple[Key, bytes]:
        """The event's key and bytes."""
        key = event_key(
            text.item_id,
            content_key,
            state.sequence,
            state.created,
            state.last_modified,
            self.organizer_key,
        )
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = vevent(text, state, self.organizer)
            self._rendering += 1
        self._used[key] = found
        return key, found

    def prune(self) -> None:
        """Forget events the last build did not use, so the cache tracks the register's size."""
        self._cache, self._used = self._used, {}
        self.rendered, self._rendering = self._rendering, 0

    @property
    def kept(self) -> Mapping[Key, bytes]:
        """The last build's events (after `prune`)."""
        return self._cache


def organizer_key(organizer: vCalAddress | None) -> str | None:
    """The ORGANIZER as it reaches the bytes: its address and its parameters (CN)."""
    if organizer is None:
        return None
    return f"{organizer}\x1f{sorted(organizer.params.items())!r}"


def vevent(text: EventText, state: EventState, organizer: vCalAddress | None = None) -> bytes:
    """An all-day, transparent VEVENT; its stamps are when the item last changed, never now."""
    event = Event()
    event.add("uid", calendar_uid(text.item_id))
    event.add("dtstamp", state.last_modified)
    event.add("created", state.created)
    event.add("last-modified", state.last_modified)
    event.add("sequence", state.sequence)
    event.add("dtstart", text.due)
    event.add("dtend", text.due + timedelta(days=1))  # exclusive: one whole day
    event.add("transp", "TRANSPARENT")
    event.add("summary", text.summary)
    event.add("description", text.description)
    event.add("categories", list(text.categories))
    if text.url:
        event.add("url", text.url)
    if organizer is not None:  # RFC 5546 PUBLISH requires ORGANIZER on every event
        event.add("organizer", organizer)
    return serialize(event)
