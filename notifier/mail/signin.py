"""The web's sign-in link by email: template kind `sign-in`, sent through the mail transport.

The web pages receive a `LinkMailer` from the command that composes them (they do not import
the mail channel). The link is a secret: it goes into the message body only, never into a
header, a file name or the log.
"""

from __future__ import annotations

import logging
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from notifier.errors import DeliveryError
from notifier.mail.render import Renderer, header_safe
from notifier.mail.transport import send_with_retries, transport_for
from notifier.settings import SmtpSettings

logger = logging.getLogger(__name__)

KIND = "sign-in"


class LinkMailer:
    """Sends one sign-in link per call, on a connection of its own (closed after)."""

    def __init__(
        self,
        smtp: SmtpSettings,
        outbox: Path,
        templates_dir: Path | None = None,
        retry_delays: tuple[float, ...] = (2.0,),
    ) -> None:
        self.smtp = smtp
        self.outbox = outbox
        self.renderer = Renderer(templates_dir)
        self.retry_delays = retry_delays

    def message(
        self,
        *,
        organisation: str,
        name: str,
        email: str,
        link: str,
        expires: datetime,
        minutes: int,
        now: datetime,
    ) -> EmailMessage:
        values = {
            "organisation": organisation,
            "name": name,
            "link": link,
            "expires": expires.strftime("%Y-%m-%d %H:%M %Z").strip(),
            "minutes": minutes,
        }
        env = self.renderer.environment
        subject = header_safe(env.get_template(f"{KIND}.subject.txt").render(**values))
        sender = header_safe(self.smtp.sender)
        message = EmailMessage()
        message["Subject"] = subject
        message["From"] = Address(addr_spec=sender)
        message["To"] = Address(display_name=header_safe(name), addr_spec=header_safe(email))
        message["Date"] = format_datetime(now)
        message["Message-ID"] = make_msgid("sign-in", sender.rpartition("@")[2] or "localhost")
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(env.get_template(f"{KIND}.txt").render(**values))
        message.add_alternative(
            env.get_template(f"{KIND}.html").render(subject=subject, **values), subtype="html"
        )
        return message

    async def __call__(
        self,
        *,
        organisation: str,
        name: str,
        email: str,
        link: str,
        expires: datetime,
        minutes: int,
        now: datetime,
    ) -> None:
        message = self.message(
            organisation=organisation,
            name=name,
            email=email,
            link=link,
            expires=expires,
            minutes=minutes,
            now=now,
        )
        transport = transport_for(self.smtp, self.outbox)
        try:
            await send_with_retries(transport, message, self.retry_delays)
        except DeliveryError as error:  # the link is not in the error: only the server's reply
            logger.error("sign-in link to %s not delivered: %s", email, error)
        finally:
            await transport.close()
