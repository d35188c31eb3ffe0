"""E-mail, the first channel: a digest rendered from the templates (with its .ics part) and sent
by SMTP or written to the outbox folder (notifier.mail)."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage

from notifier.channels.base import Outgoing
from notifier.core.register import Register
from notifier.core.reminders import Digest
from notifier.mail.render import Renderer
from notifier.mail.transport import Transport, send_with_retries
from notifier.settings import Settings

EMAIL = "email"


class EmailChannel:
    name = EMAIL
    kind = EMAIL
    batch: int | None = None  # one digest, one mail

    def __init__(
        self, settings: Settings, register: Register, transport: Transport, renderer: Renderer
    ) -> None:
        self.settings, self.register = settings, register
        self.transport, self.renderer = transport, renderer

    @property
    def description(self) -> str:
        return self.transport.description

    def render(self, digest: Digest, now: datetime) -> Outgoing:
        from notifier.mail.invitation import invitation  # icalendar: when a reminder is sent

        sender = self.settings.smtp.sender
        calendar = invitation([r.item for r in digest.reminders], sender, now)
        message = self.renderer.digest(digest, self.register, sender, now, calendar)
        return Outgoing(str(message["Message-ID"]), message)

    async def send(self, outgoing: Outgoing) -> None:
        assert isinstance(outgoing.payload, EmailMessage)
        delays = self.settings.reminders.retry_delays_seconds
        await send_with_retries(self.transport, outgoing.payload, delays)

    async def close(self) -> None:
        await self.transport.close()
