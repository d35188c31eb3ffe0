"""One repeated log line cannot flood the log: a burst passes, the rest are counted and said."""

from __future__ import annotations

import logging

from notifier.cli.logs import RepeatFilter


def record(message: str, *args: object, level: int = logging.WARNING) -> logging.LogRecord:
    return logging.LogRecord("uvicorn.error", level, __file__, 1, message, args, None)


def test_a_line_repeated_past_the_burst_is_held_back_and_counted_when_it_next_passes() -> None:
    ticks = [0.0]
    repeats = RepeatFilter(burst=3, window=60, monotonic=lambda: ticks[0])

    passed = [repeats.filter(record("Invalid HTTP request from %s", n)) for n in range(1000)]

    assert passed.count(True) == 3
    ticks[0] = 61.0
    later = record("Invalid HTTP request from %s", "x")
    assert repeats.filter(later)
    assert "[997 similar line(s) held back]" in later.getMessage()


def test_different_lines_and_levels_are_counted_apart() -> None:
    repeats = RepeatFilter(burst=1, window=60, monotonic=lambda: 0.0)
    assert repeats.filter(record("one"))
    assert repeats.filter(record("two"))
    assert repeats.filter(record("one", level=logging.ERROR))
    assert not repeats.filter(record("one"))
