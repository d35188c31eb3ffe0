"""Code of Practice, Copyright chapter, Measures 1.1-1.5: due with the Art 53(1)(c) policy."""

from __future__ import annotations

from datetime import date

from tests.support.timelines import ItemsOf, assert_item

RULE = "cop-c-1-copyright-measures"


def test_a_copyright_signatory_has_the_copyright_measures_due_with_the_copyright_policy(
    items_of: ItemsOf,
) -> None:
    items = items_of({"id": "open", "placed_on_market": date(2025, 9, 10), "open_source": True})

    assert items[RULE].due == items["art-53-1-c-copyright-policy"].due == date(2025, 9, 10)
    assert_item(items[RULE], basis="code", citation="Code of Practice, Copyright, Measures 1.1-1.5")


def test_without_the_copyright_signature_there_are_no_copyright_measures(items_of: ItemsOf) -> None:
    assert RULE not in items_of(
        {"id": "m", "placed_on_market": date(2025, 9, 10)}, copyright="not_signed"
    )
