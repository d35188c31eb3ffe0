"""The moves' commands run on each engine: `run_cli` here points the store at `store_url`."""

from __future__ import annotations

import pytest

from tests.support.cli import RunCli


@pytest.fixture
def run_cli(run_cli: RunCli, store_url: str, monkeypatch: pytest.MonkeyPatch) -> RunCli:
    monkeypatch.setenv("NOTIFIER_DATABASE_URL", store_url)
    return run_cli
