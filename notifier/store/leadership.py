"""Which of several `notifier run` instances on one store leads: the leader runs the scheduled
jobs (dispatch, feeds, the midnight rebuild, the watcher), once per tick across instances; every
instance serves HTTP. Leadership is the `leader` lease (leases.py): the leader renews it every
third of its length, the others try to take it as often, and one takes it over within a lease
length (plus a third) of the leader's last renewal when the leader dies, hangs or loses the
database. Each job confirms leadership in the database just before it runs.

The methods are blocking (database round trips); the daemon calls them from a worker thread.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from notifier.store import leases
from notifier.store.engine import store_reason

if TYPE_CHECKING:
    from notifier.store.engine import Store

logger = logging.getLogger(__name__)


@dataclass
class Leadership:
    store: Store
    me: str
    seconds: float  # the lease length: settings instances.lease_seconds
    detail: str = ""
    leading: bool = False
    leader: str | None = None  # as last seen
    instances: list[leases.Lease] = field(default_factory=list)  # live ones, as last seen
    # Why the store could not be written at the last try (a renewal, or a problem the daemon
    # could not record), until a renewal succeeds: kept here, in memory, because a store that
    # cannot be written cannot hold the problem of not being writable.
    write_error: str | None = None
    _alive: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)

    @property
    def every(self) -> float:
        """How often to campaign: a third of the lease, so a renewal may fail twice in a row."""
        return self.seconds / 3

    def join(self) -> bool:
        """Start holding this instance's own lease (renewed from a thread), then campaign once."""
        self._alive.enter_context(
            leases.instance_alive(self.store, self.me, self.seconds, self.detail)
        )
        return self.campaign()

    def campaign(self) -> bool:
        """Take or renew the leader lease, and look at who is alive; True if leadership was
        gained just now (the caller then runs the jobs at once rather than at their next tick).
        A database error counts as not leading: an instance that cannot reach the store must not
        act as leader."""
        was = self.leading
        try:
            self.leading = leases.acquire(
                self.store, leases.LEADER, self.me, self.seconds, self.detail
            )
            found = leases.cluster(self.store)
        except Exception as error:
            self.leading, self.leader = False, None
            self.write_failed("the lease renewal failed", error)
            logger.warning("cannot reach the store to renew leases: %s", error)
            return False
        self.write_error = None  # a renewal is a write: the store takes writes again
        self.leader, self.instances = found.leader, found.instances
        if self.leading != was:
            logger.warning(
                "%s %s",
                self.me,
                "now leads" if self.leading else f"no longer leads ({self.leader})",
            )
        return self.leading and not was

    def write_failed(self, what: str, error: BaseException) -> None:
        """A write to the store failed: /healthz names it until the next renewal succeeds."""
        self.write_error = f"{what}: {store_reason(error)}"

    def confirm(self) -> bool:
        """Just before a job: whether this instance leads now (renewing the lease if so)."""
        try:
            self.leading = leases.acquire(
                self.store, leases.LEADER, self.me, self.seconds, self.detail
            )
        except Exception as error:
            logger.warning("cannot confirm leadership, skipping the job: %s", error)
            self.leading = False
        if self.leading:
            self.leader = self.me
        elif self.leader == self.me:
            self.leader = None  # someone else took over; the next campaign says who
        return self.leading

    def leave(self) -> None:
        """A clean stop: give leadership up at once (another instance takes it at its next
        campaign) and drop this instance's lease."""
        if self.leading:
            with contextlib.suppress(Exception):
                leases.release(self.store, leases.LEADER, self.me)
        self.leading = False
        self._alive.close()

    def health(self) -> dict[str, Any]:
        """For /healthz: this instance, the leader and the live instances, as last seen."""
        return {
            "instance": self.me,
            "leader": self.leader,
            "leading": self.leading,
            "instances": [
                {"id": lease.holder, "detail": lease.detail, "up_seconds": round(lease.held_for)}
                for lease in self.instances
            ],
            "lease_seconds": self.seconds,
        }
