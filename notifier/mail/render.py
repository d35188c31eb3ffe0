"""Rendering reminder digests into email: Jinja2 templates, multipart/alternative, an .ics part.

Templates are named by kind (`{kind}.subject.txt`, `{kind}.txt`, `{kind}.html`); undefined
variables are errors and the HTML is autoescaped. The defaults ship in the package
(notifier/mail/templates/); a file of the same name in `<templates_dir>/email/` (setting
`templates_dir`, default `templates`) wins over the default. Nothing from the register reaches a
header unsanitised: line breaks and control characters are flattened, so no header can be
injected.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    select_autoescape,
)

from notifier.core.days import organisation_day
from notifier.core.items import Item
from notifier.core.register import Register
from notifier.core.reminders import Digest, Reminder

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_BASIS = {"law": "Law", "code": "Code of Practice commitment", "guidance": "Commission guidance"}


def header_safe(text: str) -> str:
    """One line, no control characters: what may go into a header."""
    return " ".join(_CONTROL.sub(" ", text).split())


@dataclass(frozen=True)
class ReminderView:
    """What a template sees of one reminder."""

    item: Item
    model_name: str | None
    when: str
    basis_label: str
    note: str | None = None  # a moved date (issue 23)


def describe_when(days_left: int) -> str:
    if days_left > 1:
        return f"{days_left} days left"
    if days_left == 1:
        return "due tomorrow"
    if days_left == 0:
        return "due today"
    late = -days_left
    return f"overdue by {late} day{'s' if late != 1 else ''}"


def message_id(reminders: tuple[Reminder, ...], sender: str) -> str:
    """Deterministic per set of reminder keys: a resend of the same digest has the same id."""
    digest = hashlib.sha256("\n".join(sorted(r.key for r in reminders)).encode()).hexdigest()
    domain = sender.rpartition("@")[2] or "localhost"
    return f"<{digest[:40]}@{header_safe(domain)}>"


class Renderer:
    def __init__(self, templates_dir: Path | None = None) -> None:
        overrides = [FileSystemLoader(templates_dir / "email")] if templates_dir else []
        self.environment = Environment(
            loader=ChoiceLoader([*overrides, PackageLoader("notifier.mail", "templates")]),
            undefined=StrictUndefined,
            autoescape=select_autoescape(enabled_extensions=("html",), default=False),
            keep_trailing_newline=True,
        )

    def digest(
        self,
        digest: Digest,
        register: Register,
        sender: str,
        now: datetime,
        calendar: bytes | None = None,
        kind: str = "digest",
    ) -> EmailMessage:
        names = {m.id: m.name for m in register.models}
        views = [
            ReminderView(
                r.item,
                names.get(r.item.model or ""),
                describe_when(r.days_left) if r.item.due else "no fixed date: a continuing duty",
                _BASIS[r.item.basis],
                r.note,
            )
            for r in digest.reminders
        ]
        values = {
            "recipient": digest.recipient,
            "reminders": views,
            "organisation": register.organisation.name,
            # The organisation's day, as days_left counts it: `now` may be in any zone (UTC).
            "today": organisation_day(now, register.organisation.timezone).isoformat(),
        }
        subject = header_safe(self.environment.get_template(f"{kind}.subject.txt").render(**values))
        message = EmailMessage()
        message["Subject"] = subject
        message["From"] = Address(addr_spec=header_safe(sender))
        message["To"] = Address(
            display_name=header_safe(digest.recipient.name),
            addr_spec=header_safe(digest.recipient.email),
        )
        message["Date"] = format_datetime(now)
        message["Message-ID"] = message_id(digest.reminders, sender)
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(self.environment.get_template(f"{kind}.txt").render(**values))
        message.add_alternative(
            self.environment.get_template(f"{kind}.html").render(subject=subject, **values),
            subtype="html",
        )
        if calendar is not None:
            message.add_attachment(
                calendar,
                maintype="text",
                subtype="calendar",
                filename="obligations.ics",
                params={"method": "PUBLISH"},
            )
        return message
