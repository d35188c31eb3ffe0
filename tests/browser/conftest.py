"""A real browser: Playwright driving Debian's chromium (installed by `make browser`; never
downloaded, never skipped), against a real `notifier run` on loopback.

Playwright's sync API keeps an event loop marked running in the main thread while it is open,
which breaks any asyncio test that runs after it: the browser tests are ordered last.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.support.processes import DaemonHarness, free_port, write_config
from tests.support.registers import REPO

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--disable-gpu", "--disable-quic", "--disable-sync"]
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
# The example register on this day has overdue items (a daemon rehearsal clock, then real time).
CLOCK_START = "2026-11-24T10:00:00+01:00"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# How long an action or an expectation may wait for the page: bounds that only a failing test
# reaches, so generous ones (Playwright's own are 30 s for actions, 5 s for expect(), which a
# loaded CI machine rendering a page behind a form's POST can exceed).
PAGE_WAIT_MS = 30_000
expect.set_options(timeout=PAGE_WAIT_MS)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: Path(__file__).parent in item.path.parents)


@pytest.fixture(scope="module")
def daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaemonHarness]:
    """`notifier run` on the example register, mailing to its outbox (no SMTP server)."""
    workdir = tmp_path_factory.mktemp("daemon")
    port = free_port()
    config = write_config(workdir, port, None)
    with config.open("a", encoding="utf-8") as settings:  # each test signs in afresh
        settings.write("\n[web]\nsign_in_per_address = 100\nsign_in_per_client = 1000\n")
    harness = DaemonHarness(workdir, config, port)
    try:
        harness.start(CLOCK_START)
        yield harness
    finally:
        harness.stop_all()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser profile per test: its own cookies."""
    made = browser.new_context(viewport=DESKTOP)  # type: ignore[arg-type]
    made.set_default_timeout(PAGE_WAIT_MS)
    yield made
    made.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    assert not errors, f"uncaught errors in the page: {errors}"


_AXE: list[str] = []


def run_axe(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations on the page, injected over the DevTools protocol (which the page's
    CSP does not govern), so the app's own CSP stays enforced during the test."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `make browser` (npm ci)")
    if not _AXE:
        _AXE.append(AXE_JS.read_text(encoding="utf-8"))
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_AXE[0])
    found: list[dict[str, Any]] = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target, html: n.html}))}));
        }"""
    )
    return found


def serious(violations: list[dict[str, Any]]) -> str:
    """The serious and critical violations, as text for an assertion message ('' if none)."""
    bad = [v for v in violations if v["impact"] in ("serious", "critical")]
    return json.dumps(bad, indent=1)[:4000] if bad else ""
