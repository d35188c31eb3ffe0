"""The [oidc] settings: the client secret from the environment and never shown; an incomplete
or unsafe section is refused naming the key (exit 2 at the command line)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from notifier.errors import SettingsError
from notifier.settings import load_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith("NOTIFIER_")]:
        monkeypatch.delenv(name)


def config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "notifier.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_client_secret_comes_from_the_environment_and_never_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOTIFIER_OIDC__CLIENT_SECRET", "sso-s3cret")
    path = config(tmp_path, '[oidc]\nissuer = "https://login.example.com/"\nclient_id = "n"\n')
    settings = load_settings(path)
    assert settings.oidc.enabled
    assert settings.oidc.issuer == "https://login.example.com"  # the trailing slash is dropped
    assert settings.oidc.client_secret is not None
    assert settings.oidc.client_secret.get_secret_value() == "sso-s3cret"
    assert "sso-s3cret" not in repr(settings)
    assert "sso-s3cret" not in str(settings.model_dump())


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('[oidc]\nissuer = "https://login.example.com"\n', "client_id"),
        ('[oidc]\nissuer = "http://login.example.com"\nclient_id = "n"\n', "oidc.issuer"),
        ("[oidc]\nmagic_link = false\n", "magic_link"),
        (
            '[oidc]\nissuer = "https://l.example.com"\nclient_id = "n"\nscopes = ["email"]\n',
            "openid",
        ),
    ],
)
def test_an_incomplete_or_unsafe_section_is_refused(tmp_path: Path, text: str, named: str) -> None:
    with pytest.raises(SettingsError) as error:
        load_settings(config(tmp_path, text))
    assert named in str(error.value)


def test_http_is_accepted_only_on_loopback(tmp_path: Path) -> None:
    path = config(tmp_path, '[oidc]\nissuer = "http://127.0.0.1:9000"\nclient_id = "n"\n')
    assert load_settings(path).oidc.issuer == "http://127.0.0.1:9000"
