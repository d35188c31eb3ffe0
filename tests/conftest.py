"""Shared fixtures: registers, rules and timelines as of a day; the real command line; a working
folder; a real SMTP server on loopback (with a private CA made at test time); daemon processes.

The helpers behind them live in tests/support/. Time is passed in everywhere except through
`run_cli`, which runs the real command line: it reads the clock for the register's "today", so
registers given to it use dates far from the present. Nothing here replaces the code under test.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from notifier.core.items import Timeline
from notifier.core.law import RuleSet, load_ruleset
from notifier.core.register import Register, parse_register
from notifier.core.timeline import TimelineOptions, timeline

from .support.cli import CliResult, RunCli, run_main
from .support.mailserver import (
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
from .support.processes import DaemonHarness, free_port, write_config
from .support.registers import TODAY, register_toml
from .support.workspace import SmtpEnv, Workspace

# The store on both engines (store_url, postgres_databases, ...): tests/support/stores.py.
pytest_plugins = ["tests.support.stores"]

MakeRegister = Callable[..., Register]
MakeTimeline = Callable[..., Timeline]


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    return load_ruleset()


@pytest.fixture(scope="session")
def make_register() -> MakeRegister:
    """make_register(model_fields, ..., today=TODAY, **organisation) -> Register."""

    def make(*models: Mapping[str, Any], today: date = TODAY, **organisation: Any) -> Register:
        return parse_register(register_toml(*models, **organisation), "test.toml", today)

    return make


@pytest.fixture(scope="session")
def make_timeline(rules: RuleSet) -> MakeTimeline:
    """make_timeline(register, as_of, **TimelineOptions fields) -> Timeline."""

    def make(register: Register, as_of: date, **options: Any) -> Timeline:
        return timeline(register, rules, as_of, TimelineOptions(**options))

    return make


@pytest.fixture
def run_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RunCli:
    """run_cli(*argv) -> (exit code, stdout, stderr), run in an empty working directory.

    The working directory is tmp_path, so defaults that name relative paths (the state store
    under var/) land there; --config defaults to an empty settings file in tmp_path.
    """
    monkeypatch.chdir(tmp_path)
    for name in [n for n in os.environ if n.startswith("NOTIFIER_")]:
        monkeypatch.delenv(name)
    config = tmp_path / "notifier.toml"
    config.write_text("", encoding="utf-8")

    def run(*argv: str) -> CliResult:
        args = list(argv)
        if "--config" not in args:
            args += ["--config", str(config)]
        return run_main(*args)

    return run


@pytest.fixture
def check_register(tmp_path: Path, run_cli: RunCli) -> Callable[[str | bytes], CliResult]:
    """check_register(content) -> the result of `notifier check` on that register file."""

    def check(content: str | bytes) -> CliResult:
        path = tmp_path / "register.toml"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return run_cli("check", "--register", str(path))

    return check


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
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store_url: str) -> Workspace:
    """An empty working folder with a settings file pointing the outbox into it and the store
    at `store_url` (once per engine); no NOTIFIER_* variable from the environment leaks in."""
    for name in [n for n in os.environ if n.startswith("NOTIFIER_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return Workspace.create(tmp_path, database_url=store_url)


@pytest.fixture
def smtp_env(monkeypatch: pytest.MonkeyPatch, certificate: ServerCertificate) -> SmtpEnv:
    """smtp_env(server, ca_file=True, password=PASSWORD): NOTIFIER_SMTP__* for that server."""

    def point_at(server: MailServer, *, ca_file: bool = True, password: str = PASSWORD) -> None:
        for name, value in Workspace.smtp_environment(
            server, certificate.ca_file if ca_file else None, USERNAME, password
        ).items():
            monkeypatch.setenv(name, value)

    return point_at


@pytest.fixture
def smtp_server(start_mail_server: StartServer) -> MailServer:
    """A plain SMTP server on loopback (no TLS, no AUTH) that records what it accepts."""
    return start_mail_server()


@pytest.fixture
def harness(tmp_path: Path, smtp_server: MailServer, store_url: str) -> Iterator[DaemonHarness]:
    """`notifier run` processes in tmp_path on `store_url` (once per engine), mailing to
    `smtp_server`; killed at the end."""
    port = free_port()
    config = write_config(tmp_path, port, smtp_server.port, store_url)
    result = DaemonHarness(tmp_path, config, port)
    try:
        yield result
    finally:
        result.stop_all()
