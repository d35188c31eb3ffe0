"""The rule data (package data, citing ../legal reference) and its model."""

from __future__ import annotations

from functools import cache
from importlib import resources

from notifier.core.commission_calendar import AdoptedYear, parse_adopted
from notifier.core.law.changelog import Changelog, ChangelogEntry, parse_changelog
from notifier.core.law.model import Rule, RuleSet, Thresholds, parse_rules, parse_thresholds

__all__ = [
    "Changelog",
    "ChangelogEntry",
    "Rule",
    "RuleSet",
    "Thresholds",
    "load_changelog",
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


def load_changelog() -> Changelog:
    """The rule data's changelog shipped with the package (package data)."""
    path = resources.files("notifier.core.law").joinpath("changelog.toml")
    return parse_changelog(path.read_text(encoding="utf-8"), "notifier/law/changelog.toml")


@cache
def load_thresholds() -> Thresholds:
    """The compute thresholds of the rule data shipped with the package (read once a process)."""
    text = resources.files("notifier.core.law").joinpath("rules.toml").read_text(encoding="utf-8")
    return parse_thresholds(text, "notifier/law/rules.toml [scan]")
