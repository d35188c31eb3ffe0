"""A working folder for one test: settings file, store (an SQLite file, or the PostgreSQL database
given), outbox, and ways to run the real command line against them (in-process through `main`,
or as a separate process)."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from notifier.clock import system_now
from notifier.context import Context, load_context
from notifier.store.schema import event_log, reminder_ledger

from .cli import CliResult, run_main
from .mailserver import MailServer
from .registers import EXAMPLE_REGISTER

SmtpEnv = Callable[..., None]  # the smtp_env fixture
Section = Mapping[str, Any]


def settings_text(top: Section, sections: Mapping[str, Section]) -> str:
    """A settings file: top-level keys, then one [table] per section; a list of tables under a
    key (e.g. watch.sources) becomes [[section.key]] entries."""
    lines = [f"{key} = {json.dumps(value)}" for key, value in top.items()]
    for name, values in sections.items():
        tables = {k: v for k, v in values.items() if isinstance(v, list) and v and _tables(v)}
        lines += ["", f"[{name}]"]
        lines += [f"{k} = {json.dumps(v)}" for k, v in values.items() if k not in tables]
        for key, entries in tables.items():
            for entry in entries:
                lines.append(f"[[{name}.{key}]]")
                lines += [f"{k} = {json.dumps(v)}" for k, v in entry.items()]
    return "\n".join(lines) + "\n"


def _tables(values: list[Any]) -> bool:
    return all(isinstance(value, Mapping) for value in values)


@contextlib.contextmanager
def loaded_context(config: Path) -> Iterator[Context]:
    """What a command loads from the settings file `config` (settings, register, store), with
    the store closed afterwards."""
    loaded = load_context(config, None, system_now())
    try:
        yield loaded
    finally:
        loaded.store.close()


@dataclass(frozen=True)
class Workspace:
    root: Path
    config: Path
    database_url: str
    outbox: Path

    @property
    def database(self) -> Path | None:
        """The SQLite file, or None when the store is a PostgreSQL database."""
        prefix = "sqlite:///"
        return (
            Path(self.database_url[len(prefix) :]) if self.database_url.startswith(prefix) else None
        )

    @classmethod
    def create(
        cls,
        root: Path,
        register: Path = EXAMPLE_REGISTER,
        *,
        settings: Mapping[str, Section] | None = None,
        database_url: str | None = None,
        **reminders: Any,
    ) -> Workspace:
        """Settings that keep everything under `root` (the store too, unless `database_url` names
        one); transient retries without waiting; `settings` adds sections (e.g. {"smtp": ...})."""
        database_url = database_url or f"sqlite:///{root / 'n.db'}"
        outbox = root / "outbox"
        top = {
            "register": str(register),
            "database_url": database_url,
            "outbox_dir": str(outbox),
            "calendars_dir": str(root / "calendars"),
            "cache_dir": str(root / "cache"),
        }
        sections = dict(settings or {})
        sections["reminders"] = {
            "retry_delays_seconds": [0, 0],
            **sections.get("reminders", {}),
            **reminders,
        }
        config = root / "notifier.toml"
        config.write_text(settings_text(top, sections), encoding="utf-8")
        return cls(root, config, database_url, outbox)

    def with_register(self, text: str, **reminders: Any) -> Workspace:
        """The same folder with another register (written here) and reminder settings."""
        register = self.root / "register.toml"
        register.write_text(text, encoding="utf-8")
        return Workspace.create(self.root, register, database_url=self.database_url, **reminders)

    def cli(self, *argv: str) -> CliResult:
        """The real command line, in this process: `notifier ARGV --config <ours>`."""
        return run_main(*argv, "--config", str(self.config))

    def command(self, *argv: str) -> list[str]:
        """The same command line for a separate process."""
        entry = "from notifier.cli import run; run()"
        return [sys.executable, "-c", entry, *argv, "--config", str(self.config)]

    def context(self) -> contextlib.AbstractContextManager[Context]:
        """What a command loads (settings, register, store), closed afterwards."""
        return loaded_context(self.config)

    def record_unreadable_incident(self, event_id: str = "incident-7") -> None:
        """An incident row as an older version might have written it, with an awareness date
        (year 10000) this version cannot read; written past every check, straight to the table."""
        data = {"id": event_id, "model": "titan-1", "type": "death", "aware_on": "10000-01-01"}
        with self.context() as context, context.store.engine.begin() as connection:
            connection.execute(
                insert(event_log).values(
                    event_id=event_id,
                    kind="incident",
                    data=json.dumps(data),
                    recorded_at=datetime(2026, 11, 1, tzinfo=UTC),
                    recorded_by="an older version",
                )
            )

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
