"""Fixtures for the watcher tests: a page server on loopback, and a working folder with its own
settings (sources pointing at that server or at files), register, SQLite store and outbox.

Nothing stands in for the code under test: the watcher fetches over real HTTP, records in a
real store, and mails through the real dispatch into the outbox folder (no SMTP host set).
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from notifier.context import load_context
from notifier.delivery import transport_for
from notifier.store import watch_state
from notifier.store.audit import AuditEntry, entries
from notifier.store.watch_state import Finding, SourceState
from notifier.watcher import WatchReport, watch_once

from .pageserver import PageServer

BRUSSELS = ZoneInfo("Europe/Brussels")
MORNING = datetime(2026, 11, 24, 9, 0, tzinfo=BRUSSELS)

# One organisation contact (legal), one model built on an upstream provider's model: its
# re-verification item (due 2026-12-20, 30 days after last_verified) is what a signatory-list
# change mails, and makes due at once. No compliance list is set, so
# every at-once mail goes to legal@example.com only: one mail per finding.
REGISTER = """
[organisation]
name = "Test AI"
established_in = "BE"
timezone = "Europe/Brussels"
contacts = ["legal"]

[organisation.code_of_practice]
transparency = "signed"
copyright = "signed"
safety_and_security = "signed"
version_reviewed = 2025-07-10

[[people]]
id = "legal"
name = "Ana Example"
email = "legal@example.com"

[[models]]
id = "support-bot"
name = "Support bot"
role = "downstream"
owners = ["legal"]

[[models.upstream]]
provider = "Example Upstream"
model = "Big-1"
signatory = "full"
last_verified = 2026-11-20
"""


@dataclass(frozen=True)
class Workspace:
    root: Path
    config: Path
    outbox: Path

    def configure(
        self, *sources: dict[str, str], smtp: dict[str, Any] | None = None, **watch: Any
    ) -> None:
        """Rewrite the settings file with these sources and [watch] keys (and an SMTP server;
        without one, mail goes to the outbox folder)."""
        lines = [
            f"register = {json.dumps(str(self.root / 'register.toml'))}",
            f"database_url = {json.dumps('sqlite:///' + str(self.root / 'n.db'))}",
            f"outbox_dir = {json.dumps(str(self.outbox))}",
            f"calendars_dir = {json.dumps(str(self.root / 'calendars'))}",
            "[reminders]",
            "retry_delays_seconds = [0]",
            "[smtp]",
            *(f"{key} = {json.dumps(value)}" for key, value in (smtp or {}).items()),
            "[watch]",
            *(f"{key} = {json.dumps(value)}" for key, value in watch.items()),
        ]
        for source in sources:
            lines += ["[[watch.sources]]", *(f"{k} = {json.dumps(v)}" for k, v in source.items())]
        self.config.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def watch(self, now: datetime = MORNING) -> WatchReport:
        """One run of the watcher at `now`, as `notifier watch` or the daemon runs it."""
        context = load_context(self.config)
        transport = transport_for(context.settings.smtp, context.settings.outbox_dir)

        async def run() -> WatchReport:
            try:
                return await watch_once(context, now, transport)
            finally:
                await transport.close()

        try:
            return asyncio.run(run())
        finally:
            context.store.close()

    def mails(self) -> list[Path]:
        return sorted(self.outbox.glob("*.eml")) if self.outbox.exists() else []

    def findings(self) -> list[Finding]:
        context = load_context(self.config)
        try:
            return watch_state.findings(context.store)
        finally:
            context.store.close()

    def state(self, name: str) -> SourceState:
        context = load_context(self.config)
        try:
            return watch_state.source_states(context.store)[name]
        finally:
            context.store.close()

    def audit(self, action: str = "watch-change") -> list[AuditEntry]:
        context = load_context(self.config)
        try:
            return [e for e in entries(context.store) if e.action == action]
        finally:
            context.store.close()


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """An empty folder with the register and settings (no sources yet); no NOTIFIER_* variable
    from the caller's environment leaks in."""
    for name in [n for n in os.environ if n.startswith("NOTIFIER_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "register.toml").write_text(REGISTER, encoding="utf-8")
    result = Workspace(tmp_path, tmp_path / "notifier.toml", tmp_path / "outbox")
    result.configure()
    return result


@pytest.fixture
def server() -> Iterator[PageServer]:
    running = PageServer()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def code_page(workspace: Workspace, server: PageServer) -> PageServer:
    """The workspace watches the server's page as the Code text, with a short time limit."""
    workspace.configure(
        {"name": "code-text", "kind": "code", "url": server.url}, timeout_seconds=0.5
    )
    return server
