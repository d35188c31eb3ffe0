"""A working folder for one test: settings file, SQLite store, outbox, and ways to run the real
command line against them (in-process through `main`, or as a separate process)."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

from sqlalchemy import select

from notifier.cli import main
from notifier.context import Context, load_context
from notifier.store.ledger import reminder_ledger

from .mailserver import MailServer

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_REGISTER = REPO / "config" / "register.toml"
SmtpEnv = Callable[..., None]  # the smtp_env fixture


@dataclass(frozen=True)
class CliResult:
    code: int
    out: str
    err: str


@dataclass(frozen=True)
class Workspace:
    root: Path
    config: Path
    database: Path
    outbox: Path

    @classmethod
    def create(cls, root: Path, register: Path = EXAMPLE_REGISTER, **reminders: Any) -> Workspace:
        """Settings that keep everything under `root`; transient retries without waiting."""
        database, outbox = root / "n.db", root / "outbox"
        section = {"retry_delays_seconds": [0, 0], **reminders}
        lines = [
            f"register = {json.dumps(str(register))}",
            f"database_url = {json.dumps(f'sqlite:///{database}')}",
            f"outbox_dir = {json.dumps(str(outbox))}",
            f"calendars_dir = {json.dumps(str(root / 'calendars'))}",
            "",
            "[reminders]",
            *(f"{key} = {json.dumps(value)}" for key, value in section.items()),
        ]
        config = root / "notifier.toml"
        config.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return cls(root, config, database, outbox)

    def with_register(self, text: str, **reminders: Any) -> Workspace:
        """The same folder with another register (written here) and reminder settings."""
        register = self.root / "register.toml"
        register.write_text(text, encoding="utf-8")
        return Workspace.create(self.root, register, **reminders)

    def cli(self, *argv: str) -> CliResult:
        """The real command line, in this process: `notifier ARGV --config <ours>`."""
        out, err = StringIO(), StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([*argv, "--config", str(self.config)], out=out)
        return CliResult(code, out.getvalue(), err.getvalue())

    def command(self, *argv: str) -> list[str]:
        """The same command line for a separate process."""
        entry = "from notifier.cli import run; run()"
        return [sys.executable, "-c", entry, *argv, "--config", str(self.config)]

    @contextlib.contextmanager
    def context(self) -> Iterator[Context]:
        """What a command loads (settings, register, store), closed afterwards."""
        loaded = load_context(self.config)
        try:
            yield loaded
        finally:
            loaded.store.close()

    def ledger(self) -> list[dict[str, Any]]:
        """Every ledger row, oldest first."""
        with self.context() as context, context.store.engine.connect() as connection:
            rows = connection.execute(select(reminder_ledger).order_by(reminder_ledger.c.id))
            return [dict(row._mapping) for row in rows]

    @staticmethod
    def smtp_environment(
        server: MailServer, ca_file: Path | None, username: str, password: str
    ) -> dict[str, str]:
        environment = {
            "NOTIFIER_SMTP__HOST": server.host,
            "NOTIFIER_SMTP__PORT": str(server.port),
            "NOTIFIER_SMTP__TLS": server.tls,
            "NOTIFIER_SMTP__SENDER": "gpai-notifier@example.com",
            "NOTIFIER_SMTP__TIMEOUT_SECONDS": "10",
        }
        if server.auth:
            environment["NOTIFIER_SMTP__USERNAME"] = username
            environment["NOTIFIER_SMTP__PASSWORD"] = password
        if ca_file is not None:
            environment["NOTIFIER_SMTP__CA_FILE"] = str(ca_file)
        return environment
