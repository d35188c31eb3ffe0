"""Leases: who holds what, until when. The leader lease says which instance runs the scheduled
jobs; each running process holds a lease of its own while it may hold reminder claims.

An instance that died is recognised by its expired lease, on any machine, never by a process id.
A lease is taken or renewed by one atomic statement that succeeds only if the lease is free,
expired or already the caller's. Times come from the database server's clock, which every
instance shares: their own clocks may differ between machines, and a rehearsal's --clock-start
is no clock for liveness at all.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, Connection, Float, case, delete, func, literal, select

from notifier.store.engine import dialect_insert
from notifier.store.schema import leases

if TYPE_CHECKING:
    from notifier.store.engine import Store

logger = logging.getLogger(__name__)

LEADER = "leader"
INSTANCE_PREFIX = "instance:"
DEFAULT_SECONDS = 20.0  # the settings' instances.lease_seconds


@dataclass(frozen=True)
class Lease:
    name: str
    holder: str
    held_for: float  # seconds since this holder took it
    expires_in: float  # seconds until it lapses unless renewed
    detail: str


_identity: tuple[int, str] | None = None


def process_identity() -> str:
    """This process, as leases and claims name it: host, pid and a random part, so that a
    restarted process (the same pid in a container) is never mistaken for its predecessor."""
    global _identity
    if _identity is None or _identity[0] != os.getpid():
        _identity = (os.getpid(), f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}")
    return _identity[1]


ROUND_MARK = "/round:"  # a host name holds no "/"


def round_identity(instance: str) -> str:
    """The holder of a daemon's dispatch round run in a child process (issue 22): a process of
    its own, with its own lease and claims, named after the instance it works for."""
    return f"{instance}{ROUND_MARK}{os.getpid()}:{secrets.token_hex(3)}"


def instance_of(holder: str) -> str:
    """The instance a holder works for: itself, or the daemon whose round it is."""
    return holder.partition(ROUND_MARK)[0]


def instance_lease(holder: str) -> str:
    return f"{INSTANCE_PREFIX}{holder}"


def database_now(connection: Connection) -> ColumnElement[float]:
    """Seconds since the epoch on the database server's clock (SQLite: this host's)."""
    if connection.dialect.name == "postgresql":
        return func.extract("epoch", func.clock_timestamp()).cast(Float)
    return (func.julianday("now") - 2440587.5) * 86400.0


def acquire(store: Store, name: str, holder: str, seconds: float, detail: str = "") -> bool:
    """Take the lease, or renew it if `holder` has it; False while another holder's lives."""
    with store.engine.begin() as connection:
        return acquire_in(connection, name, holder, seconds, detail)


def acquire_in(connection: Connection, name: str, holder: str, seconds: float, detail: str) -> bool:
    now = database_now(connection)
    statement = dialect_insert(connection)(leases).values(
        name=name, holder=holder, since=now, expires_at=now + seconds, detail=detail
    )
    upsert = statement.on_conflict_do_update(
        index_elements=[leases.c.name],
        set_={
            "holder": statement.excluded.holder,
            "since": case(
                (leases.c.holder == statement.excluded.holder, leases.c.since),
                else_=statement.excluded.since,
            ),
            "expires_at": statement.excluded.expires_at,
            "detail": statement.excluded.detail,
        },
        where=(leases.c.holder == holder) | (leases.c.expires_at <= now),
    ).returning(leases.c.holder)
    return connection.execute(upsert).scalar() == holder


def release(store: Store, name: str, holder: str) -> bool:
    """Give the lease up (a clean stop), if `holder` still has it."""
    with store.engine.begin() as connection:
        return bool(
            connection.execute(
                delete(leases).where(leases.c.name == name, leases.c.holder == holder)
            ).rowcount
        )


def live(store: Store, prefix: str = "") -> list[Lease]:
    """The leases that have not lapsed, by name; optionally only those whose name starts so."""
    with store.engine.connect() as connection:
        now = database_now(connection)
        query = (
            select(
                leases.c.name,
                leases.c.holder,
                (now - leases.c.since).label("held_for"),
                (leases.c.expires_at - now).label("expires_in"),
                leases.c.detail,
            )
            .where(leases.c.expires_at > now)
            .order_by(leases.c.name)
        )
        if prefix:
            query = query.where(leases.c.name.startswith(prefix, autoescape=True))
        return [Lease(*row) for row in connection.execute(query)]


@dataclass(frozen=True)
class Cluster:
    """Who runs: the leader (None while none does) and the live instances' leases."""

    leader: str | None
    instances: list[Lease]


def cluster(store: Store) -> Cluster:
    """The leader and the live instances, as the live leases say, in one read (a daemon's
    round in its child process is part of that daemon, not an instance of its own)."""
    found = live(store)
    return Cluster(
        next((lease.holder for lease in found if lease.name == LEADER), None),
        [
            lease
            for lease in found
            if lease.name.startswith(INSTANCE_PREFIX) and ROUND_MARK not in lease.holder
        ],
    )


def holder_alive(connection: Connection, holder: ColumnElement[str]) -> ColumnElement[bool]:
    """SQL: `holder`'s instance lease exists and has not lapsed."""
    now = database_now(connection)
    return (
        select(literal(1))
        .where(
            leases.c.name == literal(INSTANCE_PREFIX) + holder,
            leases.c.holder == holder,
            leases.c.expires_at > now,
        )
        .exists()
    )


class _Keeper(threading.Thread):
    """Renews one instance lease every third of its length until stopped."""

    def __init__(self, store: Store, holder: str, seconds: float, detail: str) -> None:
        super().__init__(name=f"lease {holder}", daemon=True)
        self.store, self.holder, self.seconds, self.detail = store, holder, seconds, detail
        self.users = 0
        self._stopping = threading.Event()

    def run(self) -> None:
        name = instance_lease(self.holder)
        while not self._stopping.wait(self.seconds / 3):
            try:
                acquire(self.store, name, self.holder, self.seconds, self.detail)
            except Exception as error:  # the database is away: keep trying, the lease may lapse
                logger.warning("could not renew the lease of %s: %s", self.holder, error)

    def stop(self) -> None:
        self._stopping.set()
        self.join(timeout=self.seconds)
        try:
            release(self.store, instance_lease(self.holder), self.holder)
        except Exception as error:
            logger.warning("could not release the lease of %s: %s", self.holder, error)


_keepers: dict[tuple[int, str], _Keeper] = {}
_keepers_lock = threading.Lock()


@contextmanager
def instance_alive(
    store: Store, holder: str, seconds: float = DEFAULT_SECONDS, detail: str = ""
) -> Iterator[None]:
    """Hold `holder`'s instance lease for the block, renewed from a thread; nested uses share it.

    Claims made by `holder` are its own while this lease lives; once it lapses (the process
    died, hung, or lost the database for longer than `seconds`) any instance releases them."""
    key = (id(store), holder)
    with _keepers_lock:
        keeper = _keepers.get(key)
        if keeper is None:
            acquire(store, instance_lease(holder), holder, seconds, detail)
            keeper = _Keeper(store, holder, seconds, detail)
            keeper.start()
            _keepers[key] = keeper
        keeper.users += 1
    try:
        yield
    finally:
        with _keepers_lock:
            keeper.users -= 1
            done = keeper.users == 0
            if done:
                del _keepers[key]
        if done:
            keeper.stop()
