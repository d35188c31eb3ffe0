"""Issue 16: web.secret_key needs at least 32 bytes of entropy (exit 2 naming it), and no
secret setting is ever echoed in the message that refuses it."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest

from notifier.settings import key_entropy_bytes
from tests.support.cli import run_main
from tests.support.registers import EXAMPLE_REGISTER


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in [n for n in os.environ if n.startswith("NOTIFIER_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize(
    "key",
    ["", "k", "a" * 64, "abcd" * 50, secrets.token_hex(16), "correct horse battery staple"],
)
def test_a_weak_secret_key_is_refused_naming_it_without_showing_it(
    monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    monkeypatch.setenv("NOTIFIER_WEB__SECRET_KEY", key)
    code, _out, err = run_main("check", "--register", str(EXAMPLE_REGISTER))
    assert code == 2
    assert "web.secret_key" in err
    assert "bytes of entropy" in err
    assert "not shown" in err
    if key:
        assert repr(key) not in err
    assert not Path("var").exists()  # a refused command creates no store


@pytest.mark.parametrize("key", [secrets.token_urlsafe(32), secrets.token_hex(32)])
def test_a_random_key_of_32_bytes_passes(monkeypatch: pytest.MonkeyPatch, key: str) -> None:
    assert key_entropy_bytes(key) >= 32
    monkeypatch.setenv("NOTIFIER_WEB__SECRET_KEY", key)
    code, _out, err = run_main("check", "--register", str(EXAMPLE_REGISTER))
    assert code in (0, 1), err  # 1: overdue items in the example register, not the key


def test_a_database_url_is_not_echoed_when_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTIFIER_DATABASE_URL", '["postgresql://u:hunter2@db/x"]')
    code, _out, err = run_main("check", "--register", str(EXAMPLE_REGISTER))
    assert code == 2
    assert "hunter2" not in err
