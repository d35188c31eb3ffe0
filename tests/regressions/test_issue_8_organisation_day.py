"""Issue 8: the daemon computed statuses on the UTC date. With the organisation far from UTC, a
reminder said "overdue by 1 day" while showing "Status: due-soon". Statuses and days left now
both count on the organisation's own calendar day, whatever zone the instant is given in.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from notifier.channels.delivery import plan
from tests.support.registers import register_toml
from tests.support.workspace import Workspace

# A provider placed on 2026-01-15: its Art 53 duties are due that day.
MODEL = {
    "id": "kiwi",
    "placed_on_market": date(2026, 1, 15),
    "training_compute_flop": 3.1e24,
}
DOCUMENTATION = "kiwi/art-53-1-a-technical-documentation"


@pytest.mark.parametrize(
    ("zone", "local", "status", "days_left", "when"),
    [
        # 09:00 in Auckland (UTC+13) on the 16th is still the 15th in UTC.
        ("Pacific/Auckland", "2026-01-16T09:00:00+13:00", "overdue", -1, "overdue by 1 day"),
        # 09:00 in Honolulu (UTC-10): the same date in UTC; the two must agree there too.
        ("Pacific/Honolulu", "2026-01-16T09:00:00-10:00", "overdue", -1, "overdue by 1 day"),
        # 20:00 in Honolulu on the 15th is already the 16th in UTC.
        ("Pacific/Honolulu", "2026-01-15T20:00:00-10:00", "due-soon", 0, "due today"),
    ],
)
def test_a_reminders_status_and_days_left_follow_the_organisations_date(
    workspace: Workspace, zone: str, local: str, status: str, days_left: int, when: str
) -> None:
    space = workspace.with_register(
        register_toml(MODEL, timezone=zone, checked_on=date(2026, 1, 10))
    )
    now = datetime.fromisoformat(local).astimezone(UTC)  # the daemon's clock reads UTC

    with space.context() as context:
        [reminder] = [r for r in plan(context, now) if r.item.id == DOCUMENTATION]
    assert (reminder.item.status, reminder.days_left) == (status, days_left)

    result = space.cli("remind", "--as-of", now.isoformat())
    assert result.code == 0, result.err
    texts = [_plain(path.read_bytes()) for path in space.outbox.glob("*.eml")]
    [text] = [t for t in texts if DOCUMENTATION in t]
    block = text[text.index("Technical documentation") :]
    assert f"Status: {status}\n" in block
    assert when in block.split("Status:")[0]


def _plain(data: bytes) -> str:
    message = message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content())
