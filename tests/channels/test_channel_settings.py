"""Channels in the settings and the register: an unknown channel name or a malformed URL is
exit 2 at `check`, naming the line; secrets (and webhook URLs) never in an error; every key
also from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.channels.conftest import SECRET, chose
from tests.support.registers import EXAMPLE_REGISTER
from tests.support.workspace import Workspace

SLACK_URL = "https://hooks.slack.example/services/T000/B000/XXXXXXXXsecretpart"


def workspace_with(tmp_path: Path, channels: list[str], settings: str) -> Workspace:
    text = chose(EXAMPLE_REGISTER.read_text(encoding="utf-8"), channels)
    workspace = Workspace.create(tmp_path).with_register(text)
    with workspace.config.open("a", encoding="utf-8") as config:
        config.write(settings)
    return workspace


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_an_unknown_channel_in_the_register_is_exit_2_naming_its_line(
    tmp_path: Path, clean: None
) -> None:
    settings = f'\n[channels.team-slack]\nkind = "slack"\nurl = "{SLACK_URL}"\n'
    workspace = workspace_with(tmp_path, ["email", "team-slak"], settings)
    checked = workspace.cli("check")
    assert checked.code == 2
    register = tmp_path / "register.toml"
    line = line_of(register, "channels = ")
    assert f"register.toml:{line}: person 'legal', field 'channels': no channel 'team-slak'" in (
        checked.err
    )
    assert "the channels are: email, team-slack" in checked.err
    assert SLACK_URL not in checked.err


@pytest.mark.parametrize(
    ("table", "says"),
    [
        ('kind = "slack"\nurl = "hooks.slack.example/services/x"', "is not a web address"),
        ('kind = "teams"\nurl = "https://exa mple.com/x"', "is not a web address"),
        ('kind = "fax"\nurl = "https://example.com/x"', "'webhook', 'slack', 'teams' or 'ntfy'"),
        ('kind = "webhook"\nurl = "https://example.com/x"', "needs a secret"),
        ('kind = "webhook"\nurl = "https://example.com/x"\nsecret = "whsec_c2hvcnQ="', "whsec_"),
        ('kind = "slack"\nurl = "https://example.com/x"\nsecret = "' + SECRET + '"', "no secret"),
    ],
)
def test_a_malformed_channel_is_exit_2_at_check_naming_its_line_without_its_values(
    tmp_path: Path, clean: None, table: str, says: str
) -> None:
    workspace = workspace_with(tmp_path, ["email"], f"\n[channels.bad]\n{table}\n")
    checked = workspace.cli("check")
    assert checked.code == 2, checked.out
    assert says in checked.err
    assert "channels.bad" in checked.err
    assert ".toml:" in checked.err.split("channels.bad")[0]  # the settings file and its line
    assert "whsec_c2hvcnQ" not in checked.err
    assert SECRET not in checked.err
    assert "example.com/x" not in checked.err
    assert "exa mple" not in checked.err


def test_channels_from_the_environment(
    tmp_path: Path, clean: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOTIFIER_CHANNELS__HOOKS__KIND", "webhook")
    monkeypatch.setenv("NOTIFIER_CHANNELS__HOOKS__URL", "http://127.0.0.1:9/hook")
    monkeypatch.setenv("NOTIFIER_CHANNELS__HOOKS__SECRET", SECRET)
    workspace = workspace_with(tmp_path, ["email", "hooks"], "")
    checked = workspace.cli("check")
    assert checked.code == 0, checked.err
    status = workspace.cli("status")
    assert "Channel hooks (webhook): none yet" in status.out
    assert SECRET not in status.out
    assert "127.0.0.1:9/hook" not in status.out
