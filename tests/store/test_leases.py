"""Leases and leadership on one store, on both engines: one holder at a time, taken over only once
lapsed; an instance that died is recognised by its lapsed lease, never by a process id, and its
reminder claims are released for a retry. A lease lapsing is stood in for by `lapse_leases` (as
if the time had passed without a renewal): no test waits for the clock."""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime

import pytest

from notifier.store import leases, ledger
from notifier.store.engine import Store
from notifier.store.leadership import Leadership
from tests.support.stores import StoreAt, lapse_leases, lease_holders, reminders

NOW = datetime(2027, 7, 3, 7, 0, tzinfo=UTC)
LONG = 3600.0  # a lease that only lapse_leases ends


@pytest.fixture
def store(store_at: StoreAt) -> Store:
    return store_at(NOW)


def test_a_lease_has_one_holder_until_it_lapses(store: Store) -> None:
    assert leases.acquire(store, "job", "a", LONG)
    assert not leases.acquire(store, "job", "b", LONG)
    assert leases.acquire(store, "job", "a", LONG)  # a renewal
    assert [(lease.name, lease.holder) for lease in leases.live(store)] == [("job", "a")]

    lapse_leases(store, "a")

    assert leases.live(store) == []
    assert leases.acquire(store, "job", "b", LONG)
    assert not leases.acquire(store, "job", "a", LONG)


def test_a_released_lease_is_free_at_once_and_only_its_holder_releases_it(store: Store) -> None:
    leases.acquire(store, "job", "a", LONG)
    assert not leases.release(store, "job", "b")
    assert leases.release(store, "job", "a")
    assert leases.acquire(store, "job", "b", LONG)


def test_an_instance_lease_lives_while_kept_is_shared_by_nested_keepers_and_goes_at_the_end(
    store: Store,
) -> None:
    with leases.instance_alive(store, "host:1:aa", LONG, "test"):
        with leases.instance_alive(store, "host:1:aa", LONG):
            assert [lease.holder for lease in leases.live(store, "instance:")] == ["host:1:aa"]
        assert [lease.holder for lease in leases.live(store, "instance:")] == ["host:1:aa"]
    assert leases.live(store, "instance:") == []


def test_the_process_identity_names_host_and_pid_and_a_random_part() -> None:
    me = leases.process_identity()
    host, pid, nonce = me.rsplit(":", 2)
    assert (host, pid) == (socket.gethostname(), str(os.getpid()))
    assert len(nonce) == 6
    assert leases.process_identity() == me


def test_claims_of_a_holder_whose_lease_lapsed_are_released_on_any_host(store: Store) -> None:
    """The holders name other machines: only their leases say whether they live."""
    alive, dead = reminders(2)
    leases.acquire(store, leases.instance_lease("other-host:7:aa"), "other-host:7:aa", LONG)
    leases.acquire(store, leases.instance_lease("third-host:7:bb"), "third-host:7:bb", LONG)
    assert ledger.claim(store, [alive], NOW, "other-host:7:aa") == [alive]
    assert ledger.claim(store, [dead], NOW, "third-host:7:bb") == [dead]

    assert ledger.release_abandoned(store, NOW, "me") == 0
    lapse_leases(store, "third-host:7:bb")
    assert ledger.release_abandoned(store, NOW, "me") == 1

    assert ledger.settled_keys(store, ["key-0", "key-1"]) == {"key-0"}  # still claimed
    assert ledger.claim(store, [dead], NOW, "me") == [dead]  # retried by whoever comes next
    assert ledger.claim(store, [alive], NOW, "me") == []


def test_a_claim_whose_holder_never_had_a_lease_is_released(store: Store) -> None:
    """A claim from before leases (the pid era) has no lease: it is released at once."""
    (old,) = reminders(1)
    ledger.claim(store, [old], NOW, "host:4242")
    assert ledger.release_abandoned(store, NOW, "me") == 1


def test_a_sender_whose_lease_lapsed_no_longer_holds_its_claims(store: Store) -> None:
    mine = reminders(2)
    with ledger.holding(store, "host:1:aa", LONG):
        ledger.claim(store, mine, NOW, "host:1:aa")
        assert ledger.still_held(store, mine, "host:1:aa")
        lapse_leases(store, "host:1:aa")
        assert not ledger.still_held(store, mine, "host:1:aa")


def test_one_instance_leads_another_takes_over_when_its_lease_lapses(store: Store) -> None:
    first = Leadership(store, "a:1:aa", LONG, "first")
    second = Leadership(store, "b:2:bb", LONG, "second")
    try:
        assert first.join() is True  # gained leadership just now
        assert second.join() is False
        assert (first.leading, second.leading) == (True, False)
        assert second.leader == "a:1:aa"
        assert {i.holder for i in second.instances} == {"a:1:aa", "b:2:bb"}
        assert first.confirm()
        assert not second.confirm()
        assert first.campaign() is False  # still leading: nothing gained

        lapse_leases(store, "a:1:aa")  # the first stopped renewing: it died, hung or lost us

        assert second.campaign() is True
        assert second.leader == "b:2:bb"
        assert not first.confirm()
        assert first.campaign() is False
        assert first.health()["leader"] == "b:2:bb"
    finally:
        first.leave()
        second.leave()


def test_a_leader_that_leaves_hands_over_at_the_next_campaign(store: Store) -> None:
    first = Leadership(store, "a:1:aa", LONG)
    second = Leadership(store, "b:2:bb", LONG)
    try:
        first.join()
        second.join()
        first.leave()
        assert lease_holders(store) == {"instance:b:2:bb": "b:2:bb"}
        assert second.campaign() is True
        health = second.health()
        assert (health["instance"], health["leader"], health["leading"]) == (
            "b:2:bb",
            "b:2:bb",
            True,
        )
    finally:
        second.leave()
