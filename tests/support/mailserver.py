"""A real SMTP server on loopback for the tests: aiosmtpd with a recording handler.

The server runs in its own thread (aiosmtpd's Controller); the handler keeps every accepted
message, parsed, so tests assert on what a mail server actually received. It can be told to
refuse recipients (5xx at RCPT), to defer the data (4xx), to stall, or to hold the n-th message
until released (to crash a client mid-send), as real servers and real faults do.
"""

from __future__ import annotations

import asyncio
import ssl
import subprocess
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Literal

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

TlsMode = Literal["none", "starttls", "ssl"]
StartServer = Callable[..., "MailServer"]  # the start_mail_server fixture
USERNAME = "notifier"
PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class Received:
    """One message as the server accepted it."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage
    authenticated: bool
    encrypted: bool
    peer: tuple[str, int]  # the client's address and port: one per connection

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])


@dataclass
class RecordingHandler:
    """Accepts and records every message, unless told to refuse a recipient or defer the data."""

    received: list[Received] = field(default_factory=list)
    recipients_tried: list[str] = field(default_factory=list)  # every RCPT TO, refused or not
    refuse_recipients: dict[str, str] = field(default_factory=dict)  # address -> reply
    data_reply: str | None = None  # e.g. "451 4.3.0 try again later"
    stall: bool = False  # never answer the data: the client hangs mid-send, as in a crash test
    stalled: int = 0
    # Hold the n-th message (1-based) until `release` is set; it counts only if the client is
    # still connected then (a client killed meanwhile never got its 250).
    hold_message_number: int | None = None
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    # Set when the client of the held message is seen gone (its EOF cancels the handler).
    client_gone: threading.Event = field(default_factory=threading.Event)
    seen: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        with self._lock:
            self.recipients_tried.append(address)
        reply = self.refuse_recipients.get(address.lower())
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.data_reply is not None:
            return self.data_reply
        if self.stall:
            with self._lock:
                self.stalled += 1
            await asyncio.get_running_loop().create_future()  # cancelled when the server stops
        with self._lock:
            self.seen += 1
            held = self.seen == self.hold_message_number
        if held:
            self.holding.set()
            try:
                await asyncio.to_thread(self.release.wait)
            except asyncio.CancelledError:
                self.client_gone.set()
                raise
            if server.transport is None or server.transport.is_closing():
                return "451 client gone"
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        with self._lock:
            self.received.append(
                Received(
                    envelope.mail_from,
                    tuple(envelope.rcpt_tos),
                    parsed,
                    bool(session.authenticated),
                    server.transport.get_extra_info("ssl_object") is not None,
                    tuple(session.peer),
                )
            )
        return "250 Message accepted for delivery"

    def messages(self) -> list[Received]:
        with self._lock:
            return list(self.received)


class LoopbackController(Controller):
    """Binds port 0 (the OS picks a free port) and learns the port before aiosmtpd's self-test."""

    def _trigger_server(self) -> None:
        assert isinstance(self.server, asyncio.Server)
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()  # type: ignore[no-untyped-call]


def authenticate(
    server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
) -> AuthResult:
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == USERNAME.encode()
        and auth_data.password == PASSWORD.encode()
    )
    # handled=False: aiosmtpd then answers 535 itself (True would leave the client waiting).
    return AuthResult(success=ok, handled=False)


@dataclass
class MailServer:
    controller: LoopbackController
    handler: RecordingHandler
    tls: TlsMode
    auth: bool

    @property
    def host(self) -> str:
        return "127.0.0.1"

    @property
    def port(self) -> int:
        port: int = self.controller.port
        return port

    def stop(self) -> None:
        self.handler.release.set()
        if self.controller._thread is not None:
            self.controller.stop()


def start_server(
    tls: TlsMode = "none",
    *,
    certificate: ServerCertificate | None = None,
    auth: bool = False,
    handler: RecordingHandler | None = None,
    port: int = 0,
) -> MailServer:
    """A running server on 127.0.0.1; `tls` and `auth` as a submission server is configured."""
    handler = handler or RecordingHandler()
    options: dict[str, Any] = {}
    if tls != "none":
        assert certificate is not None, "a TLS server needs a certificate"
        context = certificate.server_context()
        if tls == "starttls":
            options.update(tls_context=context, require_starttls=True)
        else:
            options.update(ssl_context=context)
    if auth:
        # Over implicit TLS aiosmtpd does not know the channel is encrypted, so AUTH is offered
        # without its STARTTLS check; over STARTTLS it is offered only after the handshake.
        options.update(
            authenticator=authenticate,
            auth_required=tls == "starttls",
            auth_require_tls=tls == "starttls",
        )
    controller = LoopbackController(
        handler, hostname="127.0.0.1", port=port, server_hostname="mail.test", **options
    )
    controller.start()
    return MailServer(controller, handler, tls, auth)


@dataclass(frozen=True)
class ServerCertificate:
    """A private CA and a server certificate it signed for 127.0.0.1, made at test time."""

    ca_file: Path
    cert_file: Path
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context


def make_certificate(folder: Path) -> ServerCertificate:
    """With the openssl command line (the `cryptography` package is not a dependency)."""
    folder.mkdir(parents=True, exist_ok=True)
    ca_key, ca_file = folder / "ca.key", folder / "ca.pem"
    key_file, request, cert_file = (
        folder / "server.key",
        folder / "server.csr",
        folder / "server.pem",
    )
    extensions = folder / "server.ext"
    extensions.write_text(
        "basicConstraints = critical, CA:FALSE\n"
        "keyUsage = critical, digitalSignature, keyEncipherment\n"
        "extendedKeyUsage = serverAuth\n"
        "subjectAltName = IP:127.0.0.1, DNS:localhost\n"
        "subjectKeyIdentifier = hash\n"
        "authorityKeyIdentifier = keyid, issuer\n",
        encoding="utf-8",
    )
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    _openssl(
        "req", "-x509", *ec, "-keyout", ca_key, "-out", ca_file, "-days", "2",
        "-subj", "/CN=Notifier test CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    )  # fmt: skip
    _openssl("req", *ec, "-keyout", key_file, "-out", request, "-subj", "/CN=localhost")
    _openssl(
        "x509", "-req", "-in", request, "-CA", ca_file, "-CAkey", ca_key, "-CAcreateserial",
        "-out", cert_file, "-days", "2", "-extfile", extensions,
    )  # fmt: skip
    return ServerCertificate(ca_file, cert_file, key_file)


def _openssl(*args: str | Path) -> None:
    subprocess.run(["openssl", *map(str, args)], check=True, capture_output=True)


def recipients(server: MailServer) -> Counter[str]:
    """How many messages the server accepted for each recipient."""
    return Counter(r for received in server.handler.messages() for r in received.rcpt_tos)
