"""Claims in the reminder ledger, on both engines: whoever claims first owns a reminder, however
large the digest; a failed one is taken back only once its retry time has come."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from notifier.store import ledger
from notifier.store.engine import Store
from tests.support.stores import StoreAt, reminders

NOW = datetime(2027, 7, 3, 7, 0, tzinfo=UTC)


@pytest.fixture
def store(store_at: StoreAt) -> Store:
    return store_at(NOW)


def test_a_digest_larger_than_one_statement_is_claimed_whole_and_only_once(store: Store) -> None:
    many = reminders(ledger.CLAIM_CHUNK * 2 + 7)
    assert ledger.claim(store, many, NOW, "a") == many
    assert ledger.claim(store, many, NOW, "b") == []
    assert ledger.settled_keys(store, [r.key for r in many]) == {r.key for r in many}


def test_a_reminder_given_twice_is_claimed_once(store: Store) -> None:
    (one,) = reminders(1)
    assert ledger.claim(store, [one, one], NOW, "a") == [one]


def test_only_new_and_due_failed_reminders_are_claimed_beside_those_held_or_sent(
    store: Store,
) -> None:
    sent, failed_due, failed_later, held, new = reminders(5)
    ledger.claim(store, [sent, failed_due, failed_later, held], NOW, "a")
    ledger.mark_sent(store, [sent], "<m@x>", NOW, "a")
    ledger.mark_failed(store, [failed_due], "451", permanent=False, retry_at=NOW, me="a")
    later = NOW + timedelta(minutes=15)
    ledger.mark_failed(store, [failed_later], "451", permanent=False, retry_at=later, me="a")

    owned = ledger.claim(store, [sent, failed_due, failed_later, held, new], NOW, "b")

    assert owned == [failed_due, new]
