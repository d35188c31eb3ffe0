"""Slack, by an incoming webhook (an app's "Incoming Webhooks", one channel per URL): a header,
one line per item with its link, and plain text for notifications."""

from __future__ import annotations

from typing import Any

from notifier.channels.chat import HttpChannel
from notifier.channels.message import heading, lines_of
from notifier.core.reminders import Digest


def escaped(text: str) -> str:
    """Slack's mrkdwn: &, < and > are control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Slack(HttpChannel):
    kind = "slack"
    label = "Slack"

    def body(self, digest: Digest, message_id: str) -> dict[str, Any]:
        title = heading(digest, self.site.organisation)
        lines = lines_of(digest, self.site.base_url)
        blocks: list[dict[str, Any]] = [
            {"type": "header", "text": {"type": "plain_text", "text": title[:150]}}
        ]
        for line in lines:  # at most `batch` (40): Slack takes 50 blocks in a message
            text = f"• <{line.url}|{escaped(line.title)}>{escaped(line.text[len(line.title) :])}"
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text}})
        return {"text": title, "blocks": blocks}
