"""SmtpTransport against a real SMTP server on loopback: TLS modes, certificate verification
with a private CA, AUTH, connection reuse, and how failures are classified and retried."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from email.message import EmailMessage
from pathlib import Path

import pytest
from pydantic import SecretStr

from notifier.errors import DeliveryError
from notifier.mail.transport import SmtpTransport, send_with_retries
from notifier.settings import SmtpSettings
from tests.support.mailserver import (
    PASSWORD,
    USERNAME,
    MailServer,
    ServerCertificate,
    StartServer,
    TlsMode,
)


def message(number: int = 1, to: str = "ana@example.com") -> EmailMessage:
    built = EmailMessage()
    built["From"] = "gpai-notifier@example.com"
    built["To"] = to
    built["Subject"] = f"Reminder {number}"
    built["Message-ID"] = f"<reminder-{number}@example.com>"
    built.set_content(f"Reminder number {number}")
    return built


def settings(
    server: MailServer,
    tls: TlsMode | None = None,
    ca_file: Path | None = None,
    password: str = PASSWORD,
) -> SmtpSettings:
    return SmtpSettings(
        host=server.host,
        port=server.port,
        tls=tls or server.tls,
        username=USERNAME if server.auth else None,
        password=SecretStr(password) if server.auth else None,
        ca_file=ca_file,
        timeout_seconds=10,
    )


def send_all(
    smtp: SmtpSettings, messages: Sequence[EmailMessage], delays: Sequence[float] = ()
) -> None:
    async def run() -> None:
        transport = SmtpTransport(smtp)
        try:
            for each in messages:
                await send_with_retries(transport, each, delays)
        finally:
            await transport.close()

    asyncio.run(run())


def test_starttls_with_auth_and_the_private_ca_delivers_over_an_encrypted_login(
    start_mail_server: StartServer, certificate: ServerCertificate
) -> None:
    server = start_mail_server("starttls", auth=True)
    send_all(settings(server, ca_file=certificate.ca_file), [message()])
    (received,) = server.handler.messages()
    assert received.encrypted
    assert received.authenticated
    assert received.rcpt_tos == ("ana@example.com",)
    assert received.message["Message-ID"] == "<reminder-1@example.com>"


def test_without_the_private_ca_the_certificate_is_refused_and_the_failure_is_transient(
    start_mail_server: StartServer,
) -> None:
    server = start_mail_server("starttls", auth=True)
    with pytest.raises(DeliveryError, match="NOTIFIER_SMTP__CA_FILE") as failure:
        send_all(settings(server), [message()])
    assert "CERTIFICATE_VERIFY_FAILED" in str(failure.value)
    assert not failure.value.permanent  # fixing the configuration must not lose the reminder
    assert server.handler.messages() == []


def test_implicit_tls_with_the_private_ca_delivers(
    start_mail_server: StartServer, certificate: ServerCertificate
) -> None:
    server = start_mail_server("ssl", auth=True)
    send_all(settings(server, ca_file=certificate.ca_file), [message()])
    (received,) = server.handler.messages()
    assert received.encrypted
    assert received.authenticated


def test_implicit_tls_without_the_private_ca_is_refused_with_a_hint_at_the_ca_setting(
    start_mail_server: StartServer,
) -> None:
    server = start_mail_server("ssl", auth=True)
    with pytest.raises(DeliveryError, match=r"TLS failed: .*NOTIFIER_SMTP__CA_FILE") as failure:
        send_all(settings(server), [message()])
    assert not failure.value.permanent
    assert server.handler.messages() == []


def test_starttls_mode_never_falls_back_to_plain_text_when_the_server_offers_no_tls(
    start_mail_server: StartServer, certificate: ServerCertificate
) -> None:
    plain = start_mail_server("none")
    with pytest.raises(DeliveryError, match="STARTTLS") as failure:
        send_all(settings(plain, tls="starttls", ca_file=certificate.ca_file), [message()])
    assert not failure.value.permanent
    assert plain.handler.messages() == []


def test_a_wrong_password_is_reported_as_an_authentication_failure_to_fix_and_retry(
    start_mail_server: StartServer, certificate: ServerCertificate
) -> None:
    server = start_mail_server("starttls", auth=True)
    with pytest.raises(DeliveryError, match="authentication failed \\(535\\)") as failure:
        send_all(settings(server, ca_file=certificate.ca_file, password="wrong"), [message()])
    assert "NOTIFIER_SMTP__PASSWORD" in str(failure.value)
    assert PASSWORD not in str(failure.value)
    assert "wrong" not in str(failure.value)
    assert not failure.value.permanent
    assert server.handler.messages() == []


def test_one_connection_carries_every_message_of_a_dispatch(
    start_mail_server: StartServer, certificate: ServerCertificate
) -> None:
    server = start_mail_server("starttls", auth=True)
    send_all(settings(server, ca_file=certificate.ca_file), [message(n) for n in range(1, 6)])
    received = server.handler.messages()
    assert [r.message["Subject"] for r in received] == [f"Reminder {n}" for n in range(1, 6)]
    assert len({r.peer for r in received}) == 1


def test_a_refused_recipient_is_a_permanent_failure_and_is_not_retried(
    start_mail_server: StartServer,
) -> None:
    server = start_mail_server("none")
    server.handler.refuse_recipients["ana@example.com"] = "550 5.1.1 No such mailbox"
    with pytest.raises(DeliveryError, match="550") as failure:
        send_all(settings(server), [message()], delays=[0, 0])
    assert failure.value.permanent
    assert server.handler.recipients_tried == ["ana@example.com"]


def test_a_5xx_reply_to_the_message_is_permanent(start_mail_server: StartServer) -> None:
    server = start_mail_server("none")
    server.handler.data_reply = "554 5.6.0 Message rejected as spam"
    with pytest.raises(DeliveryError, match="554") as failure:
        send_all(settings(server), [message()], delays=[0, 0])
    assert failure.value.permanent
    assert len(server.handler.recipients_tried) == 1


def test_a_4xx_reply_is_transient_and_retried_as_often_as_the_delays_allow(
    start_mail_server: StartServer,
) -> None:
    server = start_mail_server("none")
    server.handler.data_reply = "451 4.3.0 Try again later"
    with pytest.raises(DeliveryError, match="451") as failure:
        send_all(settings(server), [message()], delays=[0, 0])
    assert not failure.value.permanent
    assert len(server.handler.recipients_tried) == 3  # the first try and two retries


def test_a_server_that_is_down_is_a_transient_failure(start_mail_server: StartServer) -> None:
    server = start_mail_server("none")
    server.stop()
    with pytest.raises(DeliveryError, match="ConnectError") as failure:
        send_all(settings(server), [message()])
    assert not failure.value.permanent
    assert failure.value.connection


def test_a_server_closing_the_channel_ends_the_attempt_without_the_retry_ladder(
    start_mail_server: StartServer,
) -> None:
    server = start_mail_server("none")
    server.handler.data_reply = "421 4.3.2 Service shutting down"
    with pytest.raises(DeliveryError, match="421") as failure:
        send_all(settings(server), [message()], delays=[0, 0])
    assert failure.value.connection
    assert not failure.value.permanent
    assert len(server.handler.recipients_tried) == 1  # no retry: the next round tries again


def test_after_the_server_restarts_the_next_message_goes_through_a_new_connection_once(
    start_mail_server: StartServer,
) -> None:
    first = start_mail_server("none")
    smtp = settings(first)

    async def run() -> None:
        transport = SmtpTransport(smtp)
        try:
            await send_with_retries(transport, message(1), [])
            first.stop()
            second = start_mail_server("none", handler=first.handler, port=first.port)
            assert second.port == first.port
            await send_with_retries(transport, message(2), [0])
        finally:
            await transport.close()

    asyncio.run(run())
    received = first.handler.messages()
    assert [r.message["Subject"] for r in received] == ["Reminder 1", "Reminder 2"]
    assert len({r.peer for r in received}) == 2


def test_closing_a_tls_connection_closes_its_socket_before_close_returns(
    start_mail_server: StartServer, certificate: ServerCertificate
) -> None:
    """`notifier remind` ends its event loop right after close(); a TLS shutdown still in
    flight then leaves the socket open."""
    server = start_mail_server("starttls", auth=True)

    async def run() -> int:
        transport = SmtpTransport(settings(server, ca_file=certificate.ca_file))
        await transport.send(message())
        client = transport._client  # the connection under test; no public handle on it
        assert client is not None
        socket = client.get_transport_info("socket")
        await transport.close()
        descriptor: int = socket.fileno()
        return descriptor

    assert asyncio.run(run()) == -1
    assert len(server.handler.messages()) == 1
