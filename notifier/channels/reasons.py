"""What a delivery failure says, in one plain line: the server's code and text, not the repr of
the Python exception that carried it. The one home of this wording: the health problems
(notifier.channels.health) and `notifier status`'s bounce summary both use it."""

from __future__ import annotations

import re

MAX_REASON = 200  # one line of a status report or a /healthz detail
# SMTPRecipientRefused(550, '5.1.1 ...', 'to'), SMTPResponseException((550, b'...')) ...
_REPLY = (re.compile(r"\((\d{3}), b?'([^']*)'"), re.compile(r'\((\d{3}), b?"([^"]*)"'))


def plain_reason(error: str) -> str:
    """The server's answer (`550 5.1.1 <to>: mailbox unavailable`) where `error` wraps one in an
    exception's repr; otherwise `error` itself, on one line, at most MAX_REASON characters."""
    text = " ".join(error.split())
    match = _REPLY[0].search(text) or _REPLY[1].search(text)
    if match:
        text = f"{match.group(1)} {match.group(2)}"
    return text[:MAX_REASON] or "no reason given"
