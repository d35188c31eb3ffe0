"""Delivery: SMTP with aiosmtplib (one connection reused), or the outbox folder.

Failures are classified: a 5xx reply about the message or its recipient is permanent (never
retried); connection, TLS, authentication, time-out and 4xx failures are transient, since a
server outage or a configuration fix must not lose reminders.
"""

from __future__ import annotations

import asyncio
import logging
import os
import ssl
import tempfile
from collections.abc import Sequence
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

import aiosmtplib

from notifier.errors import NotifierError
from notifier.settings import SmtpSettings

logger = logging.getLogger(__name__)


class DeliveryError(NotifierError):
    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


class Transport(Protocol):
    description: str

    async def send(self, message: EmailMessage) -> None: ...

    async def close(self) -> None: ...


def classify(error: Exception) -> DeliveryError:
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        codes = [r.code for r in error.recipients]
        permanent = bool(codes) and all(code >= 500 for code in codes)
        return DeliveryError(f"recipients refused: {error}", permanent=permanent)
    if isinstance(error, aiosmtplib.SMTPAuthenticationError):
        return DeliveryError(
            f"SMTP authentication failed ({error.code}); check "
            "NOTIFIER_SMTP__USERNAME and NOTIFIER_SMTP__PASSWORD",
            permanent=False,
        )
    if isinstance(error, aiosmtplib.SMTPResponseException):
        return DeliveryError(
            f"SMTP server answered {error.code}: {error.message}", permanent=error.code >= 500
        )
    if isinstance(error, ssl.SSLError):
        return DeliveryError(
            f"TLS failed: {error}; a private CA goes in NOTIFIER_SMTP__CA_FILE", permanent=False
        )
    return DeliveryError(f"{type(error).__name__}: {error}", permanent=False)


class SmtpTransport:
    """Keeps one authenticated connection open across messages; reconnects when it drops."""

    def __init__(self, settings: SmtpSettings) -> None:
        assert settings.host is not None
        self.settings = settings
        self.description = f"smtp://{settings.host}:{settings.port} (tls={settings.tls})"
        self._client: aiosmtplib.SMTP | None = None

    def _tls_context(self) -> ssl.SSLContext:
        # Certificate verification is always on; a private CA is added, never a bypass.
        context = ssl.create_default_context()
        if self.settings.ca_file is not None:
            context.load_verify_locations(cafile=str(self.settings.ca_file))
        return context

    async def _connect(self) -> aiosmtplib.SMTP:
        tls = self.settings.tls
        password = self.settings.password.get_secret_value() if self.settings.password else None
        client = aiosmtplib.SMTP(
            hostname=self.settings.host,
            port=self.settings.port,
            username=self.settings.username,
            password=password,
            timeout=self.settings.timeout_seconds,
            use_tls=tls == "ssl",
            start_tls=tls == "starttls",
            tls_context=self._tls_context() if tls != "none" else None,
        )
        await client.connect()
        return client

    async def send(self, message: EmailMessage) -> None:
        try:
            if self._client is None or not self._client.is_connected:
                self._client = await self._connect()
            await self._client.send_message(message)
        except Exception as error:
            await self._drop()
            raise classify(error) from error

    async def _drop(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.close()

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is not None and client.is_connected:
            try:
                await client.quit()
            except aiosmtplib.SMTPException:
                client.close()


class OutboxTransport:
    """Writes each message as an .eml file (atomically) when no SMTP server is configured."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.description = f"outbox {folder}"

    async def send(self, message: EmailMessage) -> None:
        await asyncio.to_thread(self._write, message)

    def _write(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = str(message["Message-ID"]).strip("<>").split("@", 1)[0] + ".eml"
        with tempfile.NamedTemporaryFile(
            dir=self.folder, prefix=".", suffix=".tmp", delete=False
        ) as handle:
            handle.write(message.as_bytes())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, self.folder / name)

    async def close(self) -> None:
        return None


def transport_for(smtp: SmtpSettings, outbox: Path) -> Transport:
    return SmtpTransport(smtp) if smtp.host else OutboxTransport(outbox)


async def send_with_retries(
    transport: Transport, message: EmailMessage, delays: Sequence[float]
) -> None:
    """Send; on a transient failure wait and retry, `len(delays)` more times at most."""
    for attempt, delay in enumerate((*delays, None)):
        try:
            await transport.send(message)
            return
        except DeliveryError as error:
            if error.permanent or delay is None:
                raise
            logger.warning(
                "transient delivery failure (attempt %d), retrying in %.0f s: %s",
                attempt + 1,
                delay,
                error,
            )
            await asyncio.sleep(delay)
