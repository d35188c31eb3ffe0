"""Settings: defaults < config file < NOTIFIER_* environment; bad values are input errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from notifier.errors import SettingsError
from notifier.settings import load_settings
from tests.support.cli import RunCli
from tests.support.registers import EXAMPLE_REGISTER

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


def test_business_days_from_the_cache_are_the_days_the_holidays_package_gives(
    tmp_path: Path,
) -> None:
    section = load_settings().business_days
    computed = section.calendar()
    section.keep(computed, tmp_path / "cache")

    assert section.calendar(tmp_path / "cache") == computed
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["holidays-BE.json"]


def test_a_kept_holiday_file_for_another_key_or_torn_is_not_used(tmp_path: Path) -> None:
    section = load_settings().business_days
    computed = section.calendar()
    path = tmp_path / "holidays-BE.json"
    path.write_text('{"key": {"country": "BE", "holidays": "0.1"}, "days": ["2030-01-02"]}')
    assert section.calendar(tmp_path) == computed
    path.write_text('{"key": {"country"')  # a torn write
    assert section.calendar(tmp_path) == computed
    section.keep(computed, tmp_path)
    assert section.calendar(tmp_path) == computed
    assert "2030-01-02" not in path.read_text()  # rewritten whole


def test_an_unknown_country_is_refused_even_with_a_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOTIFIER_BUSINESS_DAYS__COUNTRY", "XX")

    with pytest.raises(SettingsError, match="'XX' is not a country"):
        load_settings().business_days.calendar(tmp_path)


def test_a_cache_folder_that_cannot_exist_only_means_no_cache(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for unusable in ("x" * 5000, str(tmp_path / "notifier.toml" / "cache")):  # too long; a file
        monkeypatch.setenv("NOTIFIER_CACHE_DIR", unusable)
        for command in (["check"], ["remind", "--dry-run"]):
            code, _out, err = run_cli(*command, "--register", str(EXAMPLE_REGISTER))
            assert code == 0, err


def test_a_read_only_command_keeps_holidays_only_in_a_cache_folder_that_exists(
    run_cli: RunCli, tmp_path: Path
) -> None:
    assert run_cli("check", "--register", str(EXAMPLE_REGISTER))[0] == 0
    assert not (tmp_path / "var").exists()
    (tmp_path / "var" / "cache").mkdir(parents=True)
    assert run_cli("check", "--register", str(EXAMPLE_REGISTER))[0] == 0
    assert [p.name for p in (tmp_path / "var").iterdir()] == ["cache"]  # no store
    assert (tmp_path / "var" / "cache" / "holidays-BE.json").exists()
