"""A workspace whose people chose every kind of channel, each pointing at a local receiver."""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from tests.support.receivers import Receiver, receivers
from tests.support.registers import EXAMPLE_REGISTER
from tests.support.workspace import Workspace

SECRET = "whsec_" + base64.b64encode(b"a test secret of 32 bytes, fixed").decode()
KINDS = {"team-slack": "slack", "team-teams": "teams", "phones": "ntfy", "hooks": "webhook"}
AS_OF = "2026-11-24"  # the example register has 52 items reminded then (overdue items)


def chose(register_text: str, channels: list[str]) -> str:
    """The register with every person choosing these channels."""
    listed = ", ".join(f'"{name}"' for name in channels)
    return re.sub(
        r'(\[\[people\]\]\n(?:.+\n)*?email = "[^"]+"\n)',
        rf"\1channels = [{listed}]\n",
        register_text,
    )


def channel_settings(found: dict[str, Receiver], **extra: str) -> str:
    lines = []
    for name, receiver in found.items():
        url = receiver.url + ("/notifier-reminders" if KINDS[name] == "ntfy" else "/hook")
        lines += ["", f"[channels.{name}]", f'kind = "{KINDS[name]}"', f'url = "{url}"']
        if KINDS[name] == "webhook":
            lines.append(f'secret = "{SECRET}"')
    lines += [f"{key} = {value}" for key, value in extra.items()]
    return "\n".join(lines) + "\n"


@pytest.fixture
def clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith("NOTIFIER_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def hubs(clean: None) -> Iterator[dict[str, Receiver]]:
    with receivers(*KINDS) as found:
        yield found


@pytest.fixture
def workspace(tmp_path: Path, hubs: dict[str, Receiver]) -> Workspace:
    text = chose(EXAMPLE_REGISTER.read_text(encoding="utf-8"), ["email", *KINDS])
    workspace = Workspace.create(tmp_path).with_register(text)
    with workspace.config.open("a", encoding="utf-8") as config:
        config.write(channel_settings(hubs))
    return workspace


def item_of(url: str) -> str:
    return unquote(url.split("/items/", 1)[1])


def slack_items(body: Any) -> list[str]:
    texts = [b["text"]["text"] for b in body["blocks"] if b["type"] == "section"]
    return [item_of(url) for text in texts for url in re.findall(r"<(http[^|>]+)\|", text)]


def teams_items(body: Any) -> list[str]:
    assert body["type"] == "message"
    [attachment] = body["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    texts = [block["text"] for block in attachment["content"]["body"][1:]]
    return [item_of(url) for text in texts for url in re.findall(r"\]\((http[^)]+)\)", text)]


def ntfy_items(body: Any) -> list[str]:
    assert body["topic"] == "notifier-reminders"
    return [item_of(url) for url in re.findall(r"(http\S+)", body["message"])]


def webhook_items(body: Any) -> list[str]:
    return [item["id"] for item in body["data"]["items"]]


EXTRACT = {"team-slack": slack_items, "team-teams": teams_items, "phones": ntfy_items}
EXTRACT["hooks"] = webhook_items
