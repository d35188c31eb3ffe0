"""The rule data (package data, citing ../legal reference) and its model."""

from __future__ import annotations

from functools import cache
from importlib import resources

from notifier.core.commission_calendar import AdoptedYear, parse_adopted
from notifier.core.law.model import Rule, RuleSet, Thresholds, parse_rules, parse_thresholds

__all__ = [
    "Rule",
    "RuleSet",
    "Thresholds",
    "load_commission_holidays",
    "load_ruleset",
    "load_thresholds",
]


def load_commission_holidays() -> dict[int, AdoptedYear]:
    """The Commission's adopted holiday lists shipped with the package (package data)."""
    path = resources.files("notifier.core.law").joinpath("commission_holidays.toml")
    return parse_adopted(path.read_text(encoding="utf-8"), "notifier/law/commission_holidays.toml")


def load_ruleset() -> RuleSet:
    """Read the rule data shipped with the package (an edge: it reads package data)."""
    text = resources.files("notifier.core.law").joinpath("rules.toml").read_text(encoding="utf-8")
    return parse_rules(text, "notifier/law/rules.toml")


@cache
def load_thresholds() -> Thresholds:
    """The compute thresholds of the rule data shipped with the package (read once a process)."""
    text = resources.files("notifier.core.law").joinpath("rules.toml").read_text(encoding="utf-8")
    return parse_thresholds(text, "notifier/law/rules.toml [scan]")
