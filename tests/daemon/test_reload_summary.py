"""Issue 16: a rejected reload's problems are summarised for /healthz and the log (how many, and
the first few), not all 300 of a bad register."""

from __future__ import annotations

from notifier.daemon.service import RELOAD_PROBLEMS_SHOWN, summary
from notifier.errors import Problem


def test_many_problems_are_counted_and_the_first_few_shown() -> None:
    problems = [Problem("register.toml", f"problem number {n}", n + 1) for n in range(300)]
    text = summary(problems)
    assert text.startswith("300 problems: ")
    assert "problem number 0" in text
    assert f"problem number {RELOAD_PROBLEMS_SHOWN - 1}" in text
    assert f"problem number {RELOAD_PROBLEMS_SHOWN}" not in text
    more = 300 - RELOAD_PROBLEMS_SHOWN
    assert text.endswith(f"and {more} more (`notifier check` lists them all)")
    assert len(text) < 500


def test_a_few_problems_are_shown_as_they_are() -> None:
    problems = [Problem("register.toml", "one", 1), Problem("register.toml", "two", 2)]
    assert summary(problems) == "; ".join(str(p) for p in problems)
