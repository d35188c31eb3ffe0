"""ntfy (ntfy.sh or a server of your own): the URL names the topic (https://ntfy.sh/TOPIC); one
notification per digest, published as JSON to the server, with a click-through to the first
item and the items as lines of text."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from notifier.channels.chat import HttpChannel, Site
from notifier.channels.message import heading, lines_of
from notifier.core.reminders import Digest
from notifier.settings import ChannelSettings


class Ntfy(HttpChannel):
    kind = "ntfy"
    label = "ntfy"
    batch: int | None = 20  # a phone notification: short

    def __init__(self, name: str, config: ChannelSettings, site: Site) -> None:
        super().__init__(name, config, site)
        # JSON is published to the server's root; the topic goes in the body.
        parts = urlsplit(self._url)
        path, _, self._topic = parts.path.rstrip("/").rpartition("/")
        self._url = urlunsplit((parts.scheme, parts.netloc, path + "/", parts.query, ""))

    def body(self, digest: Digest, message_id: str) -> dict[str, Any]:
        lines = lines_of(digest, self.site.base_url)
        text = "\n".join(f"- {line.text} {line.url}" for line in lines)
        overdue = any(line.days_left < 0 for line in lines)
        return {
            "topic": self._topic,
            "title": heading(digest, self.site.organisation),
            "message": text,
            "click": lines[0].url if lines else self.site.base_url,
            "tags": ["warning" if overdue else "calendar"],
            "priority": 4 if overdue else 3,
        }
