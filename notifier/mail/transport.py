"""Delivery: SMTP with aiosmtplib (one connection reused), or the outbox folder.

Failures are classified: a 5xx reply about the message or its recipient is permanent (never
retried); connection, TLS, authentication, time-out and 4xx failures are transient, since a
server outage or a configuration fix must not lose reminders.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import ssl
import tempfile
from collections.abc import Sequence
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Protocol

import aiosmtplib

from notifier.errors import DeliveryError
from notifier.settings import SmtpSettings

logger = logging.getLogger(__name__)

# What a mail server, the network or TLS can raise: classified as transient or permanent.
# Anything else is a defect in this program, never a delivery failure to retry.
DELIVERY_FAILURES = (aiosmtplib.SMTPException, OSError, TimeoutError, ssl.SSLError)


class Transport(Protocol):
    description: str

    async def send(self, message: EmailMessage) -> None: ...

    async def close(self) -> None: ...


# Replies about one message or its recipients; every other failure concerns the connection.
MESSAGE_REPLIES = (aiosmtplib.SMTPRecipientRefused, aiosmtplib.SMTPDataError)
SERVICE_NOT_AVAILABLE = 421  # RFC 5321 4.2.2: the server is closing the channel


def classify(error: Exception) -> DeliveryError:
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        codes = [r.code for r in error.recipients]
        permanent = bool(codes) and all(code >= 500 for code in codes)
        return DeliveryError(f"recipients refused: {error}", permanent=permanent)
    if isinstance(error, MESSAGE_REPLIES) and error.code != SERVICE_NOT_AVAILABLE:
        return DeliveryError(
            f"SMTP server answered {error.code}: {error.message}", permanent=error.code >= 500
        )
    return DeliveryError(_connection_failure(error), permanent=False, connection=True)


def _connection_failure(error: Exception) -> str:
    """What went wrong with the connection, and where to look."""
    if isinstance(error, aiosmtplib.SMTPAuthenticationError):
        return (
            f"SMTP authentication failed ({error.code}); check "
            "NOTIFIER_SMTP__USERNAME and NOTIFIER_SMTP__PASSWORD"
        )
    if isinstance(error, aiosmtplib.SMTPSenderRefused):
        return (
            f"the SMTP server refused the sender ({error.code} {error.message}); check "
            "NOTIFIER_SMTP__SENDER"
        )
    tls_error = _tls_cause(error)
    if tls_error is not None:
        return f"TLS failed: {tls_error}; a private CA goes in NOTIFIER_SMTP__CA_FILE"
    if isinstance(error, aiosmtplib.SMTPResponseException):
        return f"SMTP server answered {error.code}: {error.message}"
    return f"{type(error).__name__}: {error}"


def _tls_cause(error: BaseException) -> ssl.SSLError | None:
    """The TLS error behind `error`: with implicit TLS aiosmtplib wraps it in SMTPConnectError."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return seen
        seen = seen.__cause__
    return None


class SmtpTransport:
    """Keeps one authenticated connection open across messages; reconnects when it drops."""

    def __init__(self, settings: SmtpSettings) -> None:
        assert settings.host is not None
        self.settings = settings
        self.description = f"smtp://{settings.host}:{settings.port} (tls={settings.tls})"
        self._client: aiosmtplib.SMTP | None = None
        self._socket: Any = None  # the connection's socket, to know when it is really closed

    def _tls_context(self) -> ssl.SSLContext:
        # Certificate verification is always on; a private CA is added, never a bypass.
        context = ssl.create_default_context()
        if self.settings.ca_file is not None:
            context.load_verify_locations(cafile=str(self.settings.ca_file))
        return context

    async def _connect(self) -> None:
        tls = self.settings.tls
        context = self._tls_context() if tls != "none" else None
        client = aiosmtplib.SMTP(
            hostname=self.settings.host,
            port=self.settings.port,
            timeout=self.settings.timeout_seconds,
            use_tls=tls == "ssl",
            start_tls=False,  # STARTTLS and AUTH follow, so that a failure there closes for sure
            tls_context=context,
        )
        await client.connect()
        self._client, self._socket = client, client.get_transport_info("socket")
        if tls == "starttls":
            await client.starttls(tls_context=context)
        if self.settings.username is not None:
            password = self.settings.password.get_secret_value() if self.settings.password else ""
            await client.login(self.settings.username, password)

    async def send(self, message: EmailMessage) -> None:
        reused = self._client is not None and self._client.is_connected
        try:
            await self._send(message)
        except DeliveryError as error:
            if not (reused and error.connection):
                raise
            # The server may have closed the idle connection we kept: one fresh connection.
            logger.info("the kept SMTP connection was gone (%s); reconnecting once", error)
            await self._send(message)

    async def _send(self, message: EmailMessage) -> None:
        try:
            if self._client is None or not self._client.is_connected:
                await self._drop()
                await self._connect()
            assert self._client is not None
            await self._client.send_message(message)
        except DELIVERY_FAILURES as error:
            await self._drop()
            raise classify(error) from error
        except BaseException:
            await self._drop()
            raise

    async def _drop(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.close()
        await self._socket_closed()

    async def close(self) -> None:
        if self._client is not None and self._client.is_connected:
            with contextlib.suppress(aiosmtplib.SMTPException):
                await self._client.quit()
        await self._drop()

    async def _socket_closed(self, wait_seconds: float = 5) -> None:
        """Wait (bounded) until the closed connection's socket is closed too. Over TLS that takes
        a close_notify exchange on the event loop, and `notifier remind` ends its loop right
        after: the socket was left open (a ResourceWarning, an unclean close for the server)."""
        socket, self._socket = self._socket, None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait_seconds
        # aiosmtplib offers no close waiter to await; a closed socket's fileno() is -1.
        while socket is not None and socket.fileno() != -1 and loop.time() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.01)


class OutboxTransport:
    """Writes each message as an .eml file (atomically) when no SMTP server is configured."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.description = f"outbox {folder}"

    async def send(self, message: EmailMessage) -> None:
        try:
            await asyncio.to_thread(self._write, message)
        except OSError as error:
            raise DeliveryError(
                f"cannot write to the outbox {self.folder} ({error.strerror or error}); make the "
                "folder writable (setting outbox_dir) or set an SMTP server (smtp.host)",
                permanent=False,
                connection=True,
            ) from error

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
    """Send; on a transient reply about the message wait and retry, `len(delays)` more times at
    most. A permanent or a connection-level failure is raised at once: when the server cannot
    be reached, waiting here would only hold up the round (the next round retries)."""
    for attempt, delay in enumerate((*delays, None)):
        try:
            await transport.send(message)
            return
        except DeliveryError as error:
            if error.permanent or error.connection or delay is None:
                raise
            logger.warning(
                "transient delivery failure (attempt %d), retrying in %.0f s: %s",
                attempt + 1,
                delay,
                error,
            )
            await asyncio.sleep(delay)
