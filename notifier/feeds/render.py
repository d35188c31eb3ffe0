"""Calendar feeds: one per audience (the organisation, each model, each person), as iCalendar bytes.

A build turns a timeline into one VCALENDAR per audience. Every dated item is an all-day event;
standing items (no date) are left out, since a calendar cannot show a duty without a day. Events
are sorted by (due, item id) and carry the state kept in the store, so two builds of the same
register and store give byte-identical feeds.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from icalendar import Calendar, vCalAddress, vDuration, vText

from notifier.core.items import UID_NAMESPACE, Item, Timeline
from notifier.core.register import Register
from notifier.feeds.cache import Key, RenderCache, key_of
from notifier.feeds.events import Describer, EventRenderer, EventText, EventTexts
from notifier.feeds.feed import Feed, warn_over_limit
from notifier.feeds.fold import serialize
from notifier.feeds.names import Audience, audiences
from notifier.settings import FeedSettings
from notifier.store.feeds import EventKeys, EventState

__all__ = [
    "CALENDAR_END",
    "PRODID",
    "Feed",
    "FeedBuilder",
    "FeedPlan",
    "audience_items",
    "calendar_head",
]

PRODID = "-//gpai-notifier//EU AI Act obligation feeds//EN"
CALENDAR_END = b"END:VCALENDAR\r\n"


def audience_items(items: Iterable[Item]) -> dict[str, list[Item]]:
    """Each audience's items, in the given order: all; the model's; those the person owns."""
    groups: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        groups["organisation"].append(item)
        if item.model is not None:
            groups[f"model:{item.model}"].append(item)
        for owner in dict.fromkeys(item.owners):
            groups[f"person:{owner}"].append(item)
    return groups


@dataclass(frozen=True)
class FeedPlan:
    """A build's plain values: the dated items, the audiences, and each event's text and keys."""

    as_of: date
    dated: list[Item]
    audiences: list[Audience]
    texts: Mapping[str, tuple[EventText, EventKeys]]

    @property
    def keys(self) -> dict[str, EventKeys]:
        return {item_id: keys for item_id, (_, keys) in self.texts.items()}


class FeedBuilder:
    """Builds every audience's feed; keep one across builds to reuse unchanged events' text.

    With a RenderCache (a previous process's renders), a new process renders only what changed;
    `cache.keep` receives what each build used, for the caller to save."""

    def __init__(
        self,
        settings: FeedSettings,
        organizer: vCalAddress | None = None,
        cache: RenderCache | None = None,
    ) -> None:
        self.settings = settings
        self.cache = cache
        self.renderer = EventRenderer(organizer, cache.events if cache is not None else None)
        self.texts = EventTexts()
        self._heads: dict[Key, bytes] = dict(cache.heads) if cache is not None else {}
        # Each feed's sha256 and length by the keys of its head and events: an unchanged feed
        # is neither joined nor hashed again.
        self._digests: dict[Key, tuple[str, int]] = dict(cache.feeds) if cache else {}
        self._used_heads: dict[Key, bytes] = {}
        self._used_digests: dict[Key, tuple[str, int]] = {}

    def plan(self, timeline: Timeline, register: Register) -> FeedPlan:
        """What every event shows and the keys that say whether it changed: the caller advances
        the stored event state with `plan.keys` and hands the states to `render`."""
        names = Describer(register, timeline)
        dated = [item for item in timeline.all_items() if item.due is not None]
        return FeedPlan(timeline.as_of, dated, audiences(register), self.texts.of(dated, names))

    def render(self, plan: FeedPlan, states: Mapping[str, EventState]) -> list[Feed]:
        """Every audience's feed as bytes, from the plan and each event's stored state."""
        rendered = {
            item_id: self.renderer.render(text, states[item_id], keys.content)
            for item_id, (text, keys) in plan.texts.items()
        }
        self.renderer.prune()
        bodies = {item_id: body for item_id, (_, body) in rendered.items()}
        cutoff = plan.as_of - timedelta(days=self.settings.done_window_days)
        groups = audience_items(plan.dated)
        feeds = [
            self._feed(audience, groups.get(audience.key, []), rendered, bodies, cutoff)
            for audience in plan.audiences
        ]
        self._heads, self._used_heads = self._used_heads, {}
        self._digests, self._used_digests = self._used_digests, {}
        if self.cache is not None:
            self.cache.keep(self.renderer.kept, self._heads, self._digests)
        return feeds

    def _feed(
        self,
        audience: Audience,
        items: Sequence[Item],
        rendered: Mapping[str, tuple[Key, bytes]],
        bodies: Mapping[str, bytes],
        cutoff: date,
    ) -> Feed:
        head_key, head = self._head(audience)
        kept = [item for item in items if not (item.status == "done" and _done_day(item) < cutoff)]
        size = len(head) + len(CALENDAR_END) + sum(len(bodies[item.id]) for item in kept)
        if size > self.settings.max_bytes:
            # Still too big: older done items go first; open items are never dropped.
            done = sorted(
                (i for i in kept if i.status == "done"), key=lambda i: (_done_day(i), i.id)
            )
            leave: set[str] = set()
            for item in done:
                if size <= self.settings.max_bytes:
                    break
                leave.add(item.id)
                size -= len(bodies[item.id])
            kept = [item for item in kept if item.id not in leave]
        over = size > self.settings.max_bytes
        if over:
            warn_over_limit(audience.filename, size, self.settings.max_bytes)
        parts = (head, *(bodies[item.id] for item in kept), CALENDAR_END)
        key = hashlib.sha256(b"".join([head_key, *(rendered[i.id][0] for i in kept)])).digest()
        found = self._digests.get(key)
        body = None
        if found is None:
            body = b"".join(parts)
            found = (hashlib.sha256(body).hexdigest(), len(body))
        self._used_digests[key] = found
        digest, length = found
        feed = Feed(
            audience=audience,
            digest=digest,
            events=len(kept),
            dropped=len(items) - len(kept),
            over_limit=over,
            size=length,
            parts=parts,
        )
        if body is not None:
            feed.__dict__["body"] = body  # joined already: Feed.body need not join again
        return feed

    def _head(self, audience: Audience) -> tuple[Key, bytes]:
        publish = self.renderer.organizer is not None
        settings = self.settings
        key = key_of(
            "head", audience.key, audience.title, settings.refresh_hours, settings.color, publish
        )
        head = self._heads.get(key)
        if head is None:
            head = calendar_head(audience, settings, publish)
        self._used_heads[key] = head
        return key, head


def _done_day(item: Item) -> date:
    day = item.done_on or item.due
    assert day is not None  # only dated items reach a feed
    return day


def calendar_head(audience: Audience, settings: FeedSettings, publish: bool) -> bytes:
    """The VCALENDAR's own properties, up to where the events go."""
    refresh = timedelta(hours=settings.refresh_hours)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if publish:
        calendar.add("method", "PUBLISH")
    calendar.add("uid", str(uuid.uuid5(UID_NAMESPACE, f"calendar:{audience.key}")))
    calendar.add("name", vText(audience.title))
    calendar.add("x-wr-calname", vText(audience.title))
    calendar.add(
        "description",
        "EU AI Act (Regulation (EU) 2024/1689) and GPAI Code of Practice deadlines, milestones "
        "and review tasks, from the register. All-day events; done items stay, marked done.",
    )
    calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(refresh))
    calendar.add("color", settings.color)
    text = serialize(calendar)
    if not text.endswith(CALENDAR_END):
        raise AssertionError("icalendar no longer ends a calendar with END:VCALENDAR")
    return text[: -len(CALENDAR_END)]
