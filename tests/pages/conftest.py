"""The web pages over the real app: a site on the example register as of 2026-11-24, when it
has overdue items."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from starlette.testclient import TestClient

from tests.support.webapp import WebSite, make_site

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store_url: str) -> Iterator[WebSite]:
    """The site on each engine: SQLite, and a database on the tests' PostgreSQL server."""
    for name in [n for n in os.environ if n.startswith("NOTIFIER_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    yield from make_site(tmp_path, NOW, database_url=store_url)


@pytest.fixture
def ana(site: WebSite) -> Iterator[TestClient]:
    """Ana Martin (legal): an organisation contact, signed in."""
    with site.client() as client:
        site.sign_in(client, "legal@example.com")
        yield client


@pytest.fixture
def dara(site: WebSite) -> Iterator[TestClient]:
    """Dara Okafor (product): owns nimbus-3, contracts-tune and support-bot only."""
    with site.client() as client:
        site.sign_in(client, "dara.okafor@example.com")
        yield client
