"""What a channel is: it renders a digest for its medium and sends it, and says how a failure
should be treated by raising DeliveryError (permanent: never retried; `connection`: the channel
cannot take anything now, so the round stops using it and the next round retries).

The delivery loop (notifier.channels.delivery) does everything else, the same for every channel:
plan, claim in the ledger, call `send`, record the outcome.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from notifier.core.reminders import Digest
from notifier.errors import DeliveryError

__all__ = ["Channel", "DeliveryError", "Outgoing", "digest_id"]


@dataclass(frozen=True)
class Outgoing:
    """A rendered digest, ready to send: its id (recorded in the ledger) and the channel's own
    payload (an EmailMessage, a body and headers)."""

    id: str
    payload: object


class Channel(Protocol):
    """A place reminders go: "email", or a `[channels.NAME]` of the settings."""

    name: str  # the settings' name ("email" for e-mail): in the ledger, logs, health
    kind: str  # "email", "slack", "teams", "ntfy", "webhook"
    batch: int | None  # at most this many reminders per message (None: one message a digest)

    @property
    def description(self) -> str:
        """How logs and `notifier status` name it: never its URL or secret."""
        ...

    def render(self, digest: Digest, now: datetime) -> Outgoing:
        """One message for one digest (every reminder due for one address at `now`)."""
        ...

    async def send(self, outgoing: Outgoing) -> None:
        """Deliver it; DeliveryError (permanent, or `connection`: nothing goes now) if not."""
        ...

    async def close(self) -> None: ...


def digest_id(channel: str, digest: Digest) -> str:
    """The same id for the same reminders on the same channel, retries included: a receiver
    that keeps the ids it has seen takes each message once."""
    text = "\n".join([channel, *sorted(r.key for r in digest.reminders)])
    return "msg_" + hashlib.sha256(text.encode()).hexdigest()[:32]
