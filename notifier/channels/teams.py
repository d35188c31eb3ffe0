"""Microsoft Teams, by a Workflows webhook (the "Post to a channel when a webhook request is
received" template, which replaced the Office 365 connectors): a message whose attachment is
an Adaptive Card with a heading and one line per item with its link."""

from __future__ import annotations

from typing import Any

from notifier.channels.chat import HttpChannel
from notifier.channels.message import heading, lines_of
from notifier.core.reminders import Digest

CARD = "application/vnd.microsoft.card.adaptive"


def escaped(text: str) -> str:
    """Adaptive Card text is Markdown: keep brackets from making links."""
    return text.replace("[", "\\[").replace("]", "\\]")


class Teams(HttpChannel):
    kind = "teams"
    label = "Teams"

    def body(self, digest: Digest, message_id: str) -> dict[str, Any]:
        lines = lines_of(digest, self.site.base_url)
        body: list[dict[str, Any]] = [
            {
                "type": "TextBlock",
                "text": heading(digest, self.site.organisation),
                "weight": "Bolder",
                "size": "Medium",
                "wrap": True,
            }
        ]
        for line in lines:  # at most `batch` (40) per card
            rest = escaped(line.text[len(line.title) :])
            body.append(
                {
                    "type": "TextBlock",
                    "text": f"[{escaped(line.title)}]({line.url}){rest}",
                    "wrap": True,
                }
            )
        card = {
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "type": "AdaptiveCard",
            "version": "1.4",
            "body": body,
        }
        return {
            "type": "message",
            "attachments": [{"contentType": CARD, "contentUrl": None, "content": card}],
        }
