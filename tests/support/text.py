"""Looking for phrases in what the service wrote (pages, mails, calendar descriptions)."""

from __future__ import annotations


def missing(text: str, *fragments: str) -> list[str]:
    """The fragments not found in `text`: `assert missing(page, ...) == []` names every one
    that is absent at once, where a run of `in` asserts stops at the first."""
    return [fragment for fragment in fragments if fragment not in text]
