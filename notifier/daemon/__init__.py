"""`notifier run`: the daemon (service), when it wakes (rest) and what it reports (health).

Only the CLI imports it. It sleeps until something can happen: the next reminder instant,
the organisation's midnight, a change of the register or of the store, the watcher's schedule.
"""

from notifier.daemon.service import Daemon

__all__ = ["Daemon"]
