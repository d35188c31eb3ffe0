"""Issue 10 added conditions to the rule data (open_source_exempt, not_systemic_risk,
arguments_accepted, withdrawn, not_signed:copyright, upstream_evidence_gap): every condition a
rule may name has a meaning for every kind of subject, so none can fail with a KeyError."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import get_args

import pytest

from notifier.core.law.model import Condition
from notifier.core.register import Register
from notifier.core.register.classification import classify
from notifier.core.timeline.conditions import Facts, applies

MakeRegister = Callable[..., Register]


@pytest.mark.parametrize("on", [None, date(2026, 1, 1)])
def test_every_condition_has_a_value_for_a_model_an_event_and_the_organisation(
    make_register: MakeRegister, on: date | None
) -> None:
    register = make_register({"id": "m", "placed_on_market": date(2025, 9, 1)})
    model = register.models[0]
    subjects = [
        Facts(register.organisation),
        Facts(register.organisation, model, classify(model), on=on),
    ]

    for facts in subjects:
        assert set(get_args(Condition)) <= set(facts.truths)
        for condition in get_args(Condition):
            applies([condition], facts)
