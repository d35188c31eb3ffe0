"""The [watch] settings: no sources by default (no network unless asked); each source has a
slug name, a kind, and exactly one of url and path; names are unique."""

from __future__ import annotations

from pathlib import Path

import pytest

from notifier.errors import SettingsError
from notifier.settings import load_settings


def settings_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "notifier.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> str:
    with pytest.raises(SettingsError) as raised:
        load_settings(settings_file(tmp_path, text))
    return str(raised.value)


def test_by_default_nothing_is_watched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOTIFIER_WATCH__SOURCES", raising=False)
    watch = load_settings(settings_file(tmp_path, "")).watch

    assert watch.sources == []
    assert (watch.every_hours, watch.review_due_days, watch.timeout_seconds) == (24, 30, 20)
    assert watch.user_agent


def test_a_source_with_a_url_or_a_path_is_accepted(tmp_path: Path) -> None:
    text = (
        '[[watch.sources]]\nname = "code-of-practice"\nkind = "code"\n'
        'url = "https://digital-strategy.ec.europa.eu/en/policies/contents-code-gpai"\n'
        '[[watch.sources]]\nname = "signatories-copy"\nkind = "signatories"\n'
        'path = "var/signatories.html"\n'
    )

    sources = load_settings(settings_file(tmp_path, text)).watch.sources

    assert [(s.name, s.kind, s.location) for s in sources] == [
        (
            "code-of-practice",
            "code",
            "https://digital-strategy.ec.europa.eu/en/policies/contents-code-gpai",
        ),
        ("signatories-copy", "signatories", "var/signatories.html"),
    ]


def test_a_source_needs_exactly_one_of_url_and_path(tmp_path: Path) -> None:
    both = '[[watch.sources]]\nname = "a"\nkind = "code"\nurl = "https://x.eu/"\npath = "f"\n'
    neither = '[[watch.sources]]\nname = "a"\nkind = "code"\n'

    assert "needs exactly one of url and path" in problems(tmp_path, both)
    assert "needs exactly one of url and path" in problems(tmp_path, neither)


def test_source_names_are_unique_slugs(tmp_path: Path) -> None:
    twice = (
        '[[watch.sources]]\nname = "code"\nkind = "code"\nurl = "https://x.eu/a"\n'
        '[[watch.sources]]\nname = "code"\nkind = "code"\nurl = "https://x.eu/b"\n'
    )
    spaced = '[[watch.sources]]\nname = "Code Page"\nkind = "code"\nurl = "https://x.eu/"\n'

    assert "repeated: code" in problems(tmp_path, twice)
    message = problems(tmp_path, spaced)
    assert "watch.sources[0].name" in message
    assert "'Code Page'" in message


def test_a_source_kind_and_url_scheme_are_checked(tmp_path: Path) -> None:
    kind = '[[watch.sources]]\nname = "a"\nkind = "laws"\nurl = "https://x.eu/"\n'
    scheme = '[[watch.sources]]\nname = "a"\nkind = "code"\nurl = "ftp://x.eu/"\n'

    assert "watch.sources[0].kind" in problems(tmp_path, kind)
    assert "watch.sources[0].url" in problems(tmp_path, scheme)
