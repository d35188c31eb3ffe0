"""Code of Practice, Copyright chapter, Measures 1.1-1.5: due with the Art 53(1)(c) policy."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from notifier.core.items import Item, Timeline
from notifier.core.register import Register

MakeRegister = Callable[..., Register]
MakeTimeline = Callable[..., Timeline]

AS_OF = date(2026, 11, 24)
RULE = "cop-c-1-copyright-measures"


def by_rule(timeline: Timeline) -> dict[str, Item]:
    return {item.rule: item for item in timeline.models[0].items}


def test_a_copyright_signatory_has_the_copyright_measures_due_with_the_copyright_policy(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register(
        {"id": "open", "placed_on_market": date(2025, 9, 10), "open_source": True}
    )
    items = by_rule(make_timeline(register, AS_OF))

    assert items[RULE].due == items["art-53-1-c-copyright-policy"].due == date(2025, 9, 10)
    assert items[RULE].basis == "code"
    assert items[RULE].citation == "Code of Practice, Copyright, Measures 1.1-1.5"


def test_without_the_copyright_signature_there_are_no_copyright_measures(
    make_register: MakeRegister, make_timeline: MakeTimeline
) -> None:
    register = make_register(
        {"id": "m", "placed_on_market": date(2025, 9, 10)}, copyright="not_signed"
    )

    assert RULE not in by_rule(make_timeline(register, AS_OF))
