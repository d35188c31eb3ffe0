"""A reminder as a chat message or a webhook item: short (what, which model, due, status, a
link to the item's page), the same facts on every channel, and never a secret."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from notifier.core.reminders import Digest, Reminder
from notifier.settings import Settings


def pages_url(settings: Settings) -> str:
    """Where people open the pages: web.public_url, else the address `notifier run` serves."""
    if settings.web.public_url:
        return settings.web.public_url.rstrip("/")
    host = settings.http.host
    if host in ("", "0.0.0.0", "::"):
        host = "localhost"
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{settings.http.port}"


@dataclass(frozen=True)
class Line:
    """One reminded item, as every channel shows it."""

    id: str
    model: str | None
    title: str
    due: str | None  # ISO date, or None for a standing duty
    status: str
    days_left: int
    step: str
    url: str
    note: str | None = None  # a moved date: what moved, from what to what, why

    @classmethod
    def of(cls, reminder: Reminder, base_url: str) -> Line:
        item = reminder.item
        return cls(
            id=item.id,
            model=item.model,
            title=item.title,
            due=item.due.isoformat() if item.due else None,
            status=item.status,
            days_left=reminder.days_left,
            step=reminder.step,
            url=f"{base_url}/items/{quote(item.id, safe='/@')}",
            note=reminder.note,
        )

    @property
    def when(self) -> str:
        if self.due is None:
            return "applies now"
        if self.days_left < 0:
            return f"due {self.due}, {-self.days_left} day(s) overdue"
        if self.days_left == 0:
            return f"due {self.due}, today"
        return f"due {self.due}, in {self.days_left} day(s)"

    @property
    def text(self) -> str:
        """One line of plain text: title, model, when, status."""
        model = f" ({self.model})" if self.model else " (organisation)"
        moved = f" Moved: {self.note}" if self.note else ""
        return f"{self.title}{model}: {self.when}; {self.status}{moved}"


def lines_of(digest: Digest, base_url: str) -> list[Line]:
    return [Line.of(reminder, base_url) for reminder in digest.reminders]


def heading(digest: Digest, organisation: str) -> str:
    count = len(digest.reminders)
    return f"{organisation}: {count} AI Act item(s) to act on"
