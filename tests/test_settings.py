"""Settings: defaults < config file < NOTIFIER_* environment; bad values are input errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from notifier.errors import SettingsError
from notifier.settings import load_settings

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith("NOTIFIER_")]:
        monkeypatch.delenv(name)


def test_the_shipped_config_loads_and_points_at_the_example_register() -> None:
    settings = load_settings(REPO / "config" / "notifier.toml")

    assert settings.register_file == Path("config/register.toml")
    assert settings.database_url == "sqlite:///var/notifier.db"
    assert settings.smtp.host is None  # the outbox is the embedded default


def test_the_environment_overrides_the_file_with_nested_keys(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NOTIFIER_SMTP__HOST", "127.0.0.1")
    monkeypatch.setenv("NOTIFIER_SMTP__PORT", "2525")
    monkeypatch.setenv("NOTIFIER_REGISTER", "/srv/register.toml")
    settings = load_settings(REPO / "config" / "notifier.toml")

    assert (settings.smtp.host, settings.smtp.port) == ("127.0.0.1", 2525)
    assert settings.register_file == Path("/srv/register.toml")


def test_an_unknown_or_invalid_setting_names_the_key_and_the_variable(tmp_path: Path) -> None:
    config = tmp_path / "notifier.toml"
    config.write_text('due_soon_dayz = 3\n[smtp]\nport = "many"\n', encoding="utf-8")

    with pytest.raises(SettingsError) as error:
        load_settings(config)

    text = str(error.value)
    assert "due_soon_dayz" in text
    assert "smtp.port" in text
    assert "NOTIFIER_SMTP__PORT" in text


def test_an_explicit_config_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="config file not found"):
        load_settings(tmp_path / "missing.toml")


def test_the_password_never_shows_in_the_settings_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTIFIER_SMTP__PASSWORD", "s3cret")
    settings = load_settings(REPO / "config" / "notifier.toml")

    assert "s3cret" not in repr(settings)
    assert settings.smtp.password is not None
    assert settings.smtp.password.get_secret_value() == "s3cret"
