"""Logging for the command line and the daemon: one handler, configured once, that never lets one
repeated line flood the log (a client hammering a bad request, a failure every two seconds)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class RepeatFilter(logging.Filter):
    """Lets a line through at most `burst` times per `window` seconds; counts the rest and says
    how many were held back when the line next passes. A line is its logger, level and message
    template (the arguments may differ: "client X sent garbage" from ten thousand clients)."""

    def __init__(
        self,
        burst: int = 5,
        window: float = 60.0,
        monotonic: Callable[[], float] = time.monotonic,
        max_tracked: int = 1000,
    ) -> None:
        super().__init__()
        self.burst, self.window, self.monotonic = burst, window, monotonic
        self.max_tracked = max_tracked
        self._seen: dict[tuple[str, int, str], tuple[float, int, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, record.levelno, str(record.msg))
        now = self.monotonic()
        start, shown, held = self._seen.get(key, (now, 0, 0))
        if now - start >= self.window:
            start, shown = now, 0
        if shown >= self.burst:
            self._seen[key] = (start, shown, held + 1)
            return False
        if held:
            record.msg = f"{record.msg} [{held} similar line(s) held back]"
        if len(self._seen) >= self.max_tracked and key not in self._seen:
            self._seen.clear()  # bounded memory: forgetting only lets a line through again
        self._seen[key] = (start, shown + 1, 0)
        return True


def configure(debug: bool, level: int = logging.WARNING) -> None:
    """The root handler (stderr), with repeats held back; --debug shows everything."""
    logging.basicConfig(level=logging.DEBUG if debug else level, format=FORMAT, force=True)
    if not debug:
        for handler in logging.getLogger().handlers:
            handler.addFilter(RepeatFilter())
