"""What the chat and webhook channels share: the settings they are made from, one HTTP client
each, and the POST (notifier.channels.http). Each kind only says what its body looks like."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from notifier import __version__
from notifier.channels import http
from notifier.channels.base import Outgoing, digest_id
from notifier.core.reminders import Digest
from notifier.settings import ChannelSettings


@dataclass(frozen=True)
class Site:
    """What every message may say about where it comes from."""

    organisation: str
    base_url: str  # the pages, for each item's link
    clock: Callable[[], datetime]  # the sending instant (a signature's timestamp)


@dataclass(frozen=True)
class Request:
    body: bytes
    headers: dict[str, str]


class HttpChannel:
    """A channel that POSTs one JSON body per digest to its URL."""

    kind: str
    label: ClassVar[str]
    batch: int | None = 40  # a chat message stays short: a longer digest goes in several

    def __init__(self, name: str, config: ChannelSettings, site: Site) -> None:
        self.name, self.site = name, site
        self._url = config.url.get_secret_value()
        self._secret = config.secret.get_secret_value() if config.secret is not None else None
        self._client = http.client(config.timeout_seconds)

    @property
    def description(self) -> str:
        return f"{self.label} channel '{self.name}'"

    def body(self, digest: Digest, message_id: str) -> dict[str, Any]:
        raise NotImplementedError

    def headers(self, message_id: str, body: bytes) -> dict[str, str]:
        return {}

    def render(self, digest: Digest, now: datetime) -> Outgoing:
        message_id = digest_id(self.name, digest)
        body = json.dumps(self.body(digest, message_id), ensure_ascii=False).encode()
        headers = {
            "content-type": "application/json",
            "user-agent": f"notifier/{__version__}",
            **self.headers(message_id, body),
        }
        return Outgoing(message_id, Request(body, headers))

    async def send(self, outgoing: Outgoing) -> None:
        request = outgoing.payload
        assert isinstance(request, Request)
        await http.post(self._client, self._url, request.body, request.headers)

    async def close(self) -> None:
        await self._client.aclose()
