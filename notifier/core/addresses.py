"""Email addresses as the register and the settings accept them: one line, one mailbox. Pure."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_EMAIL = re.compile(r"^[^@\s\"<>,;()\[\]\\]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$")
MAX_EMAIL_LENGTH = 254  # RFC 5321 4.5.3.1.3: the longest forward-path


def email_problem(value: str, *, dotted_domain: bool = True) -> str | None:
    """Why `value` is not an address like name@example.com, or None if it is one."""
    if _CONTROL.search(value):
        return "an email address is one line, without line breaks or control characters"
    if len(value) > MAX_EMAIL_LENGTH:
        return f"an email address has at most {MAX_EMAIL_LENGTH} characters"
    if not _EMAIL.match(value) or (dotted_domain and "." not in value.rpartition("@")[2]):
        return f"'{value}' is not an email address like name@example.com"
    return None
