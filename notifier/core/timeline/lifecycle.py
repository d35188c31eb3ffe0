"""Where a model's life bounds its items: after withdrawal (K10) no review or deadline falls due,
and after accepted Art 52(2) arguments (K3) no systemic-risk item does. Earlier items stay as
history, done items stay as records, and milestones (retention, rights) stay unless they count
from something that happens after the bound (e.g. a placing after the acceptance). Pure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from notifier.core.items import Item
from notifier.core.law.model import Rule
from notifier.core.register import Model
from notifier.core.register.classification import Classification


def systemic_only(rule: Rule, cls: Classification) -> bool:
    """The rule binds this model only because it presents systemic risk: the Art 55 and Safety
    and Security duties, and for an open-source model those of Art 53(1)(a),(b) and 54 (K4)."""
    return (
        "systemic_risk" in rule.applies_to
        or rule.due.systemic_floor
        or (cls.open_source and rule.carries_exemption)
    )


def within_life(
    items: Sequence[Item], rule: Rule, model: Model, cls: Classification, as_of: date
) -> list[Item]:
    """The items of one model rule that its lifecycle leaves standing."""
    if model.withdrawn_on is None and cls.systemic_until is None:
        return list(items)  # nothing bounds this model's life
    until = cls.systemic_until if systemic_only(rule, cls) else None
    limits = [day for day in (model.withdrawn_on, until) if day is not None]
    if not limits:
        return list(items)
    last = min(limits)
    kept = []
    for item in items:
        if item.status == "done":
            kept.append(item)
        elif rule.kind == "milestone":
            if item.trigger is None or item.trigger <= last:
                kept.append(item)
        elif item.due is None:
            # A standing systemic duty ends with the acceptance decision; after withdrawal a
            # standing duty (e.g. reporting incidents) stays: it never "falls due".
            if until is None or as_of < until:
                kept.append(item)
        elif item.due <= last:
            kept.append(item)
    return kept
