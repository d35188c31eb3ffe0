"""The rule data (package data, citing ../legal reference) and its model."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from notifier.core.commission_calendar import AdoptedYear, parse_adopted
from notifier.core.law.changelog import Changelog, ChangelogEntry, parse_changelog
from notifier.core.law.model import Rule, RuleSet, Thresholds, rule_data, rules_of, thresholds_of

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


_SHIPPED = "notifier/law/rules.toml"


@cache
def _shipped_rule_data() -> dict[str, Any]:
    """rules.toml as shipped, parsed once a process: the rules and the thresholds read it both
    (the largest TOML file a command parses)."""
    text = resources.files("notifier.core.law").joinpath("rules.toml").read_text(encoding="utf-8")
    return rule_data(text, _SHIPPED)


def load_ruleset() -> RuleSet:
    """Read the rule data shipped with the package (an edge: it reads package data)."""
    return rules_of(_shipped_rule_data(), _SHIPPED)


def load_changelog() -> Changelog:
    """The rule data's changelog shipped with the package (package data)."""
    path = resources.files("notifier.core.law").joinpath("changelog.toml")
    return parse_changelog(path.read_text(encoding="utf-8"), "notifier/law/changelog.toml")


@cache
def load_thresholds() -> Thresholds:
    """The compute thresholds of the rule data shipped with the package (read once a process)."""
    return thresholds_of(_shipped_rule_data(), f"{_SHIPPED} [scan]")
