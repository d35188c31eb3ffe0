"""What the feeds are called: one audience per feed (the organisation, each model, each person),
its file name in calendars/ and its secret URL path. Plain names, no iCalendar, so the commands
that only name feeds (`notifier feeds rotate`) need not load the renderer."""

from __future__ import annotations

from dataclasses import dataclass

from notifier.core.register import Register


@dataclass(frozen=True)
class Audience:
    """Who a feed is for: `organisation`, `model:<id>` or `person:<id>`."""

    key: str
    title: str  # the calendar's display name

    @property
    def filename(self) -> str:
        return audience_filename(self.key)


def audience_filename(key: str) -> str:
    """`organisation` -> organisation.ics, `model:<id>` -> model-<id>.ics, and so on."""
    kind, _, ident = key.partition(":")
    return f"{kind}-{ident}.ics" if ident else f"{kind}.ics"


def audiences(register: Register) -> list[Audience]:
    """The organisation's feed, then one per model and one per person, in register order."""
    org = register.organisation.name
    found = [Audience("organisation", f"{org}: AI Act obligations")]
    found += [
        Audience(f"model:{m.id}", f"{m.name}: AI Act obligations ({org})") for m in register.models
    ]
    found += [
        Audience(f"person:{p.id}", f"{p.name}: AI Act obligations ({org})") for p in register.people
    ]
    return found


def feed_url_path(token: str, filename: str) -> str:
    return f"/feeds/{token}/{filename}"
