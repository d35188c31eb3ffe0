"""The API over the real HTTP app (as the serving commands compose it), on the example register
with an auditor (a person with no models who is not a contact: a viewer) and an admin, as of
2026-11-24, when it has overdue items. Tokens are made by the real `notifier token create`."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.support.registers import REPO
from tests.support.webapp import WebSite, make_site

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
OVERDUE = "atlas-13b/art-53-1-a-technical-documentation"  # owned by ml-lead only
AUDITOR = """
[[people]]
id = "auditor"
name = "Eva Auditor"
email = "auditor@example.com"
"""


def register_text() -> str:
    text = (REPO / "config" / "register.toml").read_text(encoding="utf-8")
    text = text.replace('contacts = ["legal"]', 'contacts = ["legal"]\nadmins = ["safety"]', 1)
    head, models = text.split("[[models]]", 1)
    return f"{head}{AUDITOR}\n[[models]]{models}"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[WebSite]:
    for name in [n for n in os.environ if n.startswith("NOTIFIER_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    register = tmp_path / "register.toml"
    register.write_text(register_text(), encoding="utf-8")
    yield from make_site(
        tmp_path,
        NOW,
        settings={"api": {"requests_per_minute": 100_000, "failed_per_minute": 100_000}},
        register=register,
    )


def token(site: WebSite, person: str, scope: str = "write", name: str = "ci") -> str:
    result = site.workspace.cli(
        "token", "create", "--person", person, "--scope", scope, "--name", name
    )
    assert result.code == 0, result.err
    return result.out.splitlines()[-1]


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}
