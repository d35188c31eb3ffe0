"""The rule data (package data, citing ../legal reference) and its model."""

from __future__ import annotations

from importlib import resources

from notifier.core.law.model import Rule, RuleSet, parse_rules

__all__ = ["Rule", "RuleSet", "load_ruleset"]


def load_ruleset() -> RuleSet:
    """Read the rule data shipped with the package (an edge: it reads package data)."""
    text = resources.files("notifier.core.law").joinpath("rules.toml").read_text(encoding="utf-8")
    return parse_rules(text, "notifier/law/rules.toml")
