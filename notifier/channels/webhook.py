"""A generic JSON webhook, signed per the Standard Webhooks specification, so that a receiver
verifies it with any Standard Webhooks library: headers `webhook-id` (the same for a retried
message), `webhook-timestamp` (seconds, the sending instant) and `webhook-signature` (`v1,` and
base64 HMAC-SHA256 over `id.timestamp.body` with the `whsec_` secret of the settings), signed by
the reference library. The body (docs/contracts.md): `type`, `timestamp` and `data` with the
organisation and `items`, each with id, model, title, due, status, days_left, step and url."""

from __future__ import annotations

from math import floor
from typing import Any

from standardwebhooks.webhooks import Webhook as Signer

from notifier.channels.chat import HttpChannel, Site
from notifier.channels.message import lines_of
from notifier.core.reminders import Digest
from notifier.settings import ChannelSettings

EVENT_TYPE = "reminders.due"


class SignedWebhook(HttpChannel):
    kind = "webhook"
    label = "webhook"
    batch: int | None = 100  # items per POST; a longer digest goes in several, each signed

    def __init__(self, name: str, config: ChannelSettings, site: Site) -> None:
        super().__init__(name, config, site)
        assert self._secret is not None  # the settings require it for a webhook
        self._signer = Signer(self._secret)

    def body(self, digest: Digest, message_id: str) -> dict[str, Any]:
        return {
            "type": EVENT_TYPE,
            "timestamp": self.site.clock().isoformat(timespec="seconds"),
            "data": {
                "organisation": self.site.organisation,
                "channel": self.name,
                "items": [
                    {
                        "id": line.id,
                        "model": line.model,
                        "title": line.title,
                        "due": line.due,
                        "status": line.status,
                        "days_left": line.days_left,
                        "step": line.step,
                        "url": line.url,
                    }
                    for line in lines_of(digest, self.site.base_url)
                ],
            },
        }

    def headers(self, message_id: str, body: bytes) -> dict[str, str]:
        at = self.site.clock()
        return {
            "webhook-id": message_id,
            "webhook-timestamp": str(floor(at.timestamp())),
            "webhook-signature": self._signer.sign(message_id, at, body),
        }
