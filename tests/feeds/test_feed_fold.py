"""Folding: the feeds' fast fold gives exactly icalendar's bytes, and RFC 5545's limits."""

from __future__ import annotations

import random

import pytest
from icalendar import Calendar
from icalendar.parser import Contentline

from notifier.core.register import Register
from notifier.feeds.fold import fold, serialize

from .examples import Build

SAMPLES = [
    "",
    "SUMMARY:short",
    "DESCRIPTION:" + "x" * 62,  # 74 octets: fits
    "DESCRIPTION:" + "x" * 63,  # 75 octets: folds
    "DESCRIPTION:" + "a\\n" * 60,  # escapes must not be split by a fold
    "DESCRIPTION:" + "^" * 200,
    "SUMMARY:" + "é" * 80,  # two octets each
    "SUMMARY:" + "€😀" * 40,  # three and four octets
    "SUMMARY:" + "x" * 73 + "é" + "y" * 80,  # a character straddling the limit
]


def icalendar_fold(line: str) -> bytes:
    folded: bytes = Contentline(line).to_ical()  # type: ignore[no-untyped-call]
    return folded


@pytest.mark.parametrize("line", SAMPLES)
def test_fold_matches_icalendar_on_edge_cases(line: str) -> None:
    assert fold(line).encode("utf-8") == icalendar_fold(line)


def test_fold_matches_icalendar_on_random_lines() -> None:
    chance = random.Random(20261124)
    alphabet = "ab \\^;,:é€😀"
    for _ in range(2000):
        line = "".join(chance.choice(alphabet) for _ in range(chance.randint(0, 300)))
        assert fold(line).encode("utf-8") == icalendar_fold(line)


def test_every_event_serializes_as_icalendar_would(build: Build, example: Register) -> None:
    for feed in build(example):
        calendar = Calendar.from_ical(feed.body)
        for event in calendar.walk("VEVENT"):
            assert serialize(event) == event.to_ical()
