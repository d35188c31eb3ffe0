"""Fixtures for the reminder tests: a real SMTP server on loopback, a private CA made at test
time, and a working folder with its own settings file, store and outbox.

Nothing here replaces the code under test: the server is aiosmtpd speaking SMTP over TCP, TLS
is real TLS with a certificate signed by a CA that exists only for the test session.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from .mailserver import (
    PASSWORD,
    USERNAME,
    MailServer,
    RecordingHandler,
    ServerCertificate,
    StartServer,
    TlsMode,
    make_certificate,
    start_server,
)
from .workspace import SmtpEnv, Workspace


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> ServerCertificate:
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def start_mail_server(certificate: ServerCertificate) -> Iterator[StartServer]:
    """start_mail_server(tls="none", auth=False, handler=None, port=0) -> a running server."""
    running: list[MailServer] = []

    def start(
        tls: TlsMode = "none",
        *,
        auth: bool = False,
        handler: RecordingHandler | None = None,
        port: int = 0,
    ) -> MailServer:
        server = start_server(tls, certificate=certificate, auth=auth, handler=handler, port=port)
        running.append(server)
        return server

    yield start
    for server in running:
        server.stop()


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """An empty working folder with a settings file pointing the store and outbox into it; no
    NOTIFIER_* variable from the caller's environment leaks in."""
    for name in [n for n in os.environ if n.startswith("NOTIFIER_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return Workspace.create(tmp_path)


@pytest.fixture
def smtp_env(monkeypatch: pytest.MonkeyPatch, certificate: ServerCertificate) -> SmtpEnv:
    """smtp_env(server, ca_file=True, password=PASSWORD): NOTIFIER_SMTP__* for that server."""

    def point_at(server: MailServer, *, ca_file: bool = True, password: str = PASSWORD) -> None:
        for name, value in Workspace.smtp_environment(
            server, certificate.ca_file if ca_file else None, USERNAME, password
        ).items():
            monkeypatch.setenv(name, value)

    return point_at
