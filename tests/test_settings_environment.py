"""How the NOTIFIER_* environment is read (notifier.settings_environment, issue 22): the reading
pydantic-settings gave, now without it. Each test loads real settings files with
`load_settings`, as every command does."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from notifier.errors import SettingsError
from notifier.settings import environment_names, load_settings

HOOK = "http://127.0.0.1:9/secret-hook-path"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.upper().startswith("NOTIFIER_")]:
        monkeypatch.delenv(name)
    for name in ("REGISTER", "REGISTER_FILE"):
        monkeypatch.delenv(name, raising=False)


def settings_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "notifier.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(config: Path) -> str:
    with pytest.raises(SettingsError) as caught:
        load_settings(config)
    return "\n".join(str(p) for p in caught.value.problems)


def test_the_environment_wins_key_by_key_and_the_file_keeps_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = settings_file(tmp_path, '[smtp]\nhost = "file.example"\nport = 25\n')
    monkeypatch.setenv("NOTIFIER_SMTP__PORT", "2525")

    smtp = load_settings(config).smtp

    assert (smtp.host, smtp.port) == ("file.example", 2525)


def test_a_section_given_whole_as_json_takes_nested_variables_over_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOTIFIER_SMTP", '{"host": "json.example", "port": 1}')
    monkeypatch.setenv("NOTIFIER_SMTP__PORT", "2")

    smtp = load_settings(settings_file(tmp_path, "[smtp]\ntls = 'ssl'\n")).smtp

    assert (smtp.host, smtp.port, smtp.tls) == ("json.example", 2, "ssl")


def test_lists_are_json_text_is_text_and_names_are_read_in_any_case(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOTIFIER_REMINDERS__DEADLINE_DAYS_BEFORE", "[60, 5]")
    monkeypatch.setenv("notifier_reminders__send_at", "10:30")
    monkeypatch.setenv("NOTIFIER_HTTP", "null")  # a whole section as null: as if unset

    settings = load_settings(settings_file(tmp_path, ""))

    assert settings.reminders.deadline_days_before == [60, 5]
    assert settings.reminders.send_at.isoformat() == "10:30:00"
    assert settings.http.port == 8080


def test_a_channel_from_the_environment_merges_with_the_file_s(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = settings_file(tmp_path, '[channels.grc_tool]\nkind = "slack"\nurl = "http://x/a"\n')
    monkeypatch.setenv("NOTIFIER_CHANNELS__GRC_TOOL__URL", HOOK)
    monkeypatch.setenv("NOTIFIER_CHANNELS__GRC_TOOL__TIMEOUT_SECONDS", "5")

    channel = load_settings(config).channels["grc_tool"]

    assert (channel.kind, channel.url.get_secret_value(), channel.timeout_seconds) == (
        "slack",
        HOOK,
        5,
    )


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("NOTIFIER_REMINDERS__DEADLINE_DAYS_BEFORE", "[90,", "'reminders.deadline_days_before'"),
        ("NOTIFIER_HTTP__TRUSTED_PROXIES", "10.0.0.1", "'http.trusted_proxies'"),
        ("NOTIFIER_SMTP", "", "'smtp'"),
        ("NOTIFIER_CHANNELS", json.dumps({"a": {"url": HOOK}})[:-1], "'channels'"),
    ],
)
def test_a_value_that_should_be_json_names_its_variable_and_setting_never_the_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, named: str
) -> None:
    monkeypatch.setenv(variable, value)

    text = problems(settings_file(tmp_path, ""))

    assert text.startswith(f"environment: {variable} (setting {named}")
    assert "is not valid JSON" in text
    assert "lists and tables are given as JSON" in text
    assert "secret-hook-path" not in text


def test_the_register_is_notifier_register_and_no_other_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = settings_file(tmp_path, 'register = "file.toml"\nregister_file = "older.toml"\n')
    assert load_settings(config).register_file == Path("file.toml")  # "register" wins

    monkeypatch.setenv("REGISTER", "/not-ours.toml")  # not a NOTIFIER_ variable: not read
    assert load_settings(config).register_file == Path("file.toml")

    monkeypatch.setenv("NOTIFIER_REGISTER", "/env.toml")
    assert load_settings(config).register_file == Path("/env.toml")

    monkeypatch.setenv("NOTIFIER_REGISTER_FILE", "/x.toml")  # was accepted, then ignored
    assert "NOTIFIER_REGISTER_FILE" not in environment_names()
    assert problems(config) == (
        "environment: NOTIFIER_REGISTER_FILE is not a setting; did you mean NOTIFIER_REGISTER?"
    )


def test_a_bad_register_setting_is_named_as_the_file_and_the_environment_name_it(
    tmp_path: Path,
) -> None:
    config = settings_file(tmp_path, "due_soon_days = 3\nregister = 5\n")

    assert problems(config) == (
        f"{config}:2: setting 'register' (or NOTIFIER_REGISTER): Input is not a valid path "
        "for <class 'pathlib.Path'>; found 5"
    )
