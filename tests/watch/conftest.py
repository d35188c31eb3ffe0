"""Fixtures for the watcher tests: a page server on loopback, and a working folder with its own
settings (sources pointing at that server or at files), register, store (on each engine) and
outbox.

Nothing stands in for the code under test: the watcher fetches over real HTTP, records in a
real store, and mails through the real dispatch into the outbox folder (no SMTP host set).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from notifier.channels.announce import Announcement, announce
from notifier.context import Context
from notifier.mail.transport import transport_for
from notifier.store import watch as watch_state
from notifier.store.audit import AuditEntry, entries
from notifier.store.watch import Finding, SourceState
from notifier.watch.run import SourceOutcome, watch_once
from tests.support.registers import register_toml
from tests.support.workspace import Workspace as Folder
from tests.support.workspace import loaded_context

from .pageserver import PageServer

BRUSSELS = ZoneInfo("Europe/Brussels")
MORNING = datetime(2026, 11, 24, 9, 0, tzinfo=BRUSSELS)

# One organisation contact (legal), one model built on an upstream provider's model: its
# re-verification item (due 2026-12-20, 30 days after last_verified) is what a signatory-list
# change mails, and makes due at once. No compliance list is set, so
# every at-once mail goes to legal@example.com only: one mail per finding.
REGISTER = register_toml(
    {
        "id": "support-bot",
        "name": "Support bot",
        "role": "downstream",
        "upstream": [
            {
                "provider": "Example Upstream",
                "model": "Big-1",
                "signatory": "full",
                "last_verified": date(2026, 11, 20),
            }
        ],
    },
    established_in="BE",
)


@dataclass(frozen=True)
class WatchRun:
    """One run as `notifier watch` or the daemon makes it: the checks, then the at-once mails."""

    outcomes: list[SourceOutcome]
    announcements: list[Announcement]

    @property
    def all_failed(self) -> bool:
        return bool(self.outcomes) and all(o.status == "error" for o in self.outcomes)

    @property
    def delivery_failed(self) -> bool:
        return any(not a.delivery.ok for a in self.announcements)

    def announcement(self, finding: Finding) -> Announcement | None:
        return next((a for a in self.announcements if a.finding.id == finding.id), None)


async def watch_and_announce(context: Context, now: datetime) -> WatchRun:
    transport = transport_for(context.settings.smtp, context.settings.outbox_dir)
    try:
        report = await watch_once(context, now)
        return WatchRun(report.outcomes, await announce(context, now, transport))
    finally:
        await transport.close()


@dataclass(frozen=True)
class Workspace:
    """A working folder (tests.support) whose settings name the watched sources."""

    root: Path
    database_url: str

    @property
    def config(self) -> Path:
        return self.root / "notifier.toml"

    @property
    def outbox(self) -> Path:
        return self.root / "outbox"

    def configure(
        self, *sources: dict[str, str], smtp: dict[str, Any] | None = None, **watch: Any
    ) -> None:
        """Rewrite the settings file with these sources and [watch] keys (and an SMTP server;
        without one, mail goes to the outbox folder)."""
        Folder.create(
            self.root,
            self.root / "register.toml",
            settings={"smtp": smtp or {}, "watch": {**watch, "sources": list(sources)}},
            database_url=self.database_url,
            retry_delays_seconds=[0],
        )

    def context(self) -> contextlib.AbstractContextManager[Context]:
        return loaded_context(self.config)

    def watch(self, now: datetime = MORNING) -> WatchRun:
        """One run of the watcher at `now`, as `notifier watch` or the daemon runs it."""
        with self.context() as context:
            return asyncio.run(watch_and_announce(context, now))

    def mails(self) -> list[Path]:
        return sorted(self.outbox.glob("*.eml")) if self.outbox.exists() else []

    def findings(self) -> list[Finding]:
        with self.context() as context:
            return watch_state.findings(context.store)

    def state(self, name: str) -> SourceState:
        with self.context() as context:
            return watch_state.source_states(context.store)[name]

    def audit(self, action: str = "watch-change") -> list[AuditEntry]:
        with self.context() as context:
            return [e for e in entries(context.store) if e.action == action]


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store_url: str) -> Workspace:
    """An empty folder with the register and settings (no sources yet); no NOTIFIER_* variable
    from the caller's environment leaks in."""
    for name in [n for n in os.environ if n.startswith("NOTIFIER_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "register.toml").write_text(REGISTER, encoding="utf-8")
    result = Workspace(tmp_path, store_url)
    result.configure()
    return result


@pytest.fixture
def server() -> Iterator[PageServer]:
    running = PageServer()
    try:
        yield running
    finally:
        running.stop()


# The watcher's time limit where a test holds the page's answer to see it run out; elsewhere
# the setting's default (20 s), so that a loaded machine never turns a fetch into a failure.
SHORT_TIMEOUT_SECONDS = 0.5


@pytest.fixture
def code_page(workspace: Workspace, server: PageServer) -> PageServer:
    """The workspace watches the server's page as the Code text."""
    workspace.configure({"name": "code-text", "kind": "code", "url": server.url})
    return server
