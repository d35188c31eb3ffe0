"""The .ics part of a reminder email: the items as all-day events, METHOD:PUBLISH.

RFC 5546 requires ORGANIZER, DTSTAMP, DTSTART, SUMMARY and UID in each VEVENT of a PUBLISH.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from icalendar import Calendar, Event, vCalAddress, vText

from notifier.core.items import Item, calendar_uid


def invitation(items: Sequence[Item], organiser: str, stamp: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//GPAI obligation notifier//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    for item in sorted(items, key=lambda i: i.sort_key):
        if item.due is None:
            continue
        event = Event()
        event.add("uid", calendar_uid(item.id))  # the feeds' UID: one event, not two
        event.add("dtstamp", stamp)
        event.add("dtstart", item.due)
        event.add("dtend", item.due + timedelta(days=1))
        event.add("summary", item.title)
        event.add(
            "description",
            f"{item.citation} ({item.basis}, {item.verification}). "
            f"Once met: notifier done {item.id}",
        )
        event.add("transp", "TRANSPARENT")
        address = vCalAddress(f"mailto:{organiser}")
        address.params["CN"] = vText("GPAI obligation notifier")
        event.add("organizer", address)
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical
