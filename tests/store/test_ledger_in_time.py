"""Exactly once in time, on both engines: a claim never takes a step that is not newer than the
newest step of the same item (and due date) sent or claimed for the same person; such a step is
recorded as superseded, with the reason, and never sent. Newer steps, other people, another due
date and mails at once (news) still go out."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import insert, select, text

from notifier.core.reminders import IMMEDIATE, Reminder
from notifier.store import claimable, ledger
from notifier.store.engine import Store
from notifier.store.schema import reminder_ledger
from tests.support.processes import wait_for
from tests.support.stores import StoreAt, step_of

NOW = datetime(2027, 7, 3, 7, 0, tzinfo=UTC)  # 09:00 in Paris, 30 days before 2027-08-02
DAY = timedelta(days=1)
ITEM = "m/art-53-1-a"


@pytest.fixture
def store(store_at: StoreAt) -> Store:
    return store_at(NOW)


def sent(store: Store, reminder: Reminder, me: str = "earlier-run") -> None:
    assert ledger.claim(store, [reminder], reminder.scheduled_for, me) == [reminder]
    ledger.mark_sent(store, [reminder], "<sent@example.com>", reminder.scheduled_for, me)


def row(store: Store, reminder: Reminder) -> dict[str, object]:
    with store.engine.connect() as connection:
        found = connection.execute(
            select(reminder_ledger).where(reminder_ledger.c.key == reminder.key)
        ).one()
    return dict(found._mapping)


def test_a_step_older_than_one_sent_is_recorded_superseded_and_never_claimed(
    store: Store,
) -> None:
    sent(store, step_of(ITEM, "d-30", NOW))
    older = step_of(ITEM, "d-90", NOW - 60 * DAY)

    assert ledger.claim(store, [older], NOW - DAY, "clock-behind") == []

    recorded = row(store, older)
    assert recorded["status"] == "superseded"
    assert "a newer step of this item, scheduled for 2027-07-03T07:00" in str(
        recorded["last_error"]
    )
    assert ledger.claim(store, [older], NOW + DAY, "later") == []
    assert ledger.settled_keys(store, [older.key]) == {older.key}


def test_a_step_scheduled_at_the_same_instant_as_one_sent_is_not_newer(store: Store) -> None:
    sent(store, step_of(ITEM, "d-30", NOW))
    same = step_of(ITEM, "d-31", NOW)  # e.g. the policy's steps were renamed meanwhile
    assert ledger.claim(store, [same], NOW, "b") == []


def test_a_step_another_process_is_sending_supersedes_an_older_one_as_well(
    store: Store,
) -> None:
    newer = step_of(ITEM, "d-30", NOW)
    assert ledger.claim(store, [newer], NOW, "sending") == [newer]
    older = step_of(ITEM, "d-90", NOW - 60 * DAY)
    assert ledger.claim(store, [older], NOW, "clock-behind") == []
    assert row(store, older)["status"] == "superseded"


def test_a_newer_step_after_an_older_one_is_still_claimed(store: Store) -> None:
    sent(store, step_of(ITEM, "d-90", NOW - 60 * DAY))
    newer = step_of(ITEM, "d-30", NOW)
    assert ledger.claim(store, [newer], NOW, "b") == [newer]


def test_a_mail_at_once_supersedes_the_older_steps_of_its_item_but_not_the_next_one(
    store: Store,
) -> None:
    due = date(2027, 7, 6)  # a Commission request received on 2027-07-03, due in three days
    at_once = step_of(ITEM, IMMEDIATE, NOW + timedelta(hours=1), due=due, occasion="request-1")
    sent(store, at_once)

    d7 = step_of(ITEM, "d-7", NOW - 4 * DAY, due=due)  # the latest step at 10:01 and next day
    assert ledger.claim(store, [d7], NOW + timedelta(hours=1, minutes=1), "dispatch") == []
    assert ledger.claim(store, [d7], NOW + DAY, "dispatch") == []
    d1 = step_of(ITEM, "d-1", NOW + 2 * DAY, due=due)
    assert ledger.claim(store, [d1], NOW + 2 * DAY, "dispatch") == [d1]


def test_a_mail_at_once_is_news_and_never_superseded_even_with_the_clock_behind(
    store: Store,
) -> None:
    sent(store, step_of(ITEM, "d-30", NOW))
    finding = step_of(ITEM, IMMEDIATE, NOW - DAY, occasion="finding-7")
    assert ledger.claim(store, [finding], NOW - DAY, "watcher") == [finding]


def test_each_person_has_their_own_newest_step(store: Store) -> None:
    sent(store, step_of(ITEM, "d-30", NOW, "ana@example.com"))
    for_bruno = step_of(ITEM, "d-90", NOW - 60 * DAY, "bruno@example.com")
    assert ledger.claim(store, [for_bruno], NOW, "b") == [for_bruno]


def test_addresses_are_compared_without_regard_to_case(store: Store) -> None:
    sent(store, step_of(ITEM, "d-30", NOW, "Ana.Keller@Example.com"))
    lower = step_of(ITEM, "d-90", NOW - 60 * DAY, "ana.keller@example.com")
    assert ledger.claim(store, [lower], NOW, "b") == []
    assert row(store, lower)["status"] == "superseded"


def test_each_item_has_its_own_newest_step(store: Store) -> None:
    sent(store, step_of(ITEM, "d-30", NOW))
    other = step_of("m/art-53-1-b", "d-90", NOW - 60 * DAY)
    assert ledger.claim(store, [other], NOW, "b") == [other]


def test_a_due_date_moved_earlier_starts_the_items_steps_afresh(store: Store) -> None:
    """The person was told 2027-08-02; an edited register now says 2027-07-10: its d-14 step
    (before the step sent) goes out at once, or they would hear of the new date a week late."""
    sent(store, step_of(ITEM, "d-30", NOW))
    moved = step_of(ITEM, "d-14", NOW - 7 * DAY, due=date(2027, 7, 10))
    assert ledger.claim(store, [moved], NOW + timedelta(hours=1), "b") == [moved]


def test_a_failed_step_that_a_newer_one_overtook_is_superseded_not_retried(
    store: Store,
) -> None:
    older = step_of(ITEM, "d-90", NOW - 60 * DAY)
    assert ledger.claim(store, [older], NOW - 60 * DAY, "a") == [older]
    ledger.mark_failed(store, [older], "451", permanent=False, retry_at=NOW - DAY, me="a")
    sent(store, step_of(ITEM, "d-30", NOW))

    assert ledger.claim(store, [older], NOW, "b") == []
    assert row(store, older)["status"] == "superseded"


def test_what_a_dry_run_shows_is_what_a_claim_then_takes(store: Store) -> None:
    sent(store, step_of(ITEM, "d-30", NOW))
    due_retry = step_of("m/b", "d-30", NOW)
    later_retry = step_of("m/c", "d-30", NOW)
    ledger.claim(store, [due_retry, later_retry], NOW, "a")
    ledger.mark_failed(store, [due_retry], "451", permanent=False, retry_at=NOW, me="a")
    ledger.mark_failed(store, [later_retry], "451", permanent=False, retry_at=NOW + DAY, me="a")
    batch = [
        step_of(ITEM, "d-30", NOW),  # sent already
        step_of(ITEM, "d-90", NOW - 60 * DAY),  # overtaken
        due_retry,
        later_retry,
        step_of("m/d", "d-30", NOW),  # new
    ]

    shown = claimable.pending(store, batch, NOW)

    assert [r.item.id for r in shown] == ["m/b", "m/d"]
    assert ledger.claim(store, batch, NOW, "b") == shown


@pytest.fixture
def postgres_store(postgres_store_at: StoreAt) -> Store:
    return postgres_store_at(NOW)


def test_on_postgresql_a_claim_waits_for_another_claim_for_the_same_person_and_sees_it(
    postgres_store: Store,
) -> None:
    """Read committed would let two processes each miss the other's uncommitted claim (one
    with the clock ahead, one behind) and send both steps; the lock per recipient makes the
    second wait for the first, then see its claim."""
    store = postgres_store
    newer = step_of(ITEM, "d-30", NOW)
    older = step_of(ITEM, "d-90", NOW - 60 * DAY)
    claimed: list[list[Reminder]] = []
    with store.engine.connect() as first:
        transaction = first.begin()
        claimable.serialise_recipients(first, [newer])
        first.execute(
            insert(reminder_ledger).values(
                key=newer.key,
                item_id=newer.item.id,
                recipient=newer.recipient.email,
                step=newer.step,
                due=newer.item.due,
                scheduled_for=newer.scheduled_for,
                status="claimed",
                claimed_by="first",
                claimed_at=NOW,
                attempts=0,
            )
        )
        second = threading.Thread(
            target=lambda: claimed.append(ledger.claim(store, [older], NOW, "second"))
        )
        second.start()
        wait_for(lambda: _advisory_waiters(store) == 1, "the second claim to wait")
        transaction.commit()
    second.join(timeout=60)
    assert not second.is_alive()
    assert claimed == [[]]
    assert row(store, older)["status"] == "superseded"


def _advisory_waiters(store: Store) -> int:
    with store.engine.connect() as connection:
        query = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        return int(connection.execute(text(query)).scalar_one())
