"""Hypothesis strategies for registers: what a user may validly write, varied widely.

Registers vary placement (2023-2030, placed or planned), compute, systemic risk, open source,
role (provider, modifier, downstream), upstream signatures and systemic risk, establishment and
Code signatures, and the model's later life: the Commission's answer to Art 52(2) arguments and
withdrawal. `build` turns a drawn spec into a Register through the real parser.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from hypothesis import strategies as st

from notifier.core.register import Register
from notifier.core.timeline import DoneMark

MakeRegister = Callable[..., Register]

TODAY = date(2029, 6, 30)  # the day the generated registers are checked against

years = st.dates(min_value=date(2023, 1, 1), max_value=date(2030, 12, 31))
past = st.dates(min_value=date(2023, 1, 1), max_value=TODAY)
computes = st.one_of(
    st.none(),
    st.sampled_from([1e22, 3.1e24, 9.9e24, 1e25, 1.5e25, 5e25]),
    st.floats(min_value=1e20, max_value=1e26),
)
signatures = st.sampled_from(["signed", "not_signed"])
DECISIONS = [None, "pending", "rejected", "accepted"]


@st.composite
def upstreams(draw: st.DrawFn) -> list[dict[str, Any]]:
    entries = []
    for index in range(draw(st.integers(min_value=1, max_value=2))):
        signatory = draw(st.sampled_from(["full", "partial", "none"]))
        entry: dict[str, Any] = {
            "provider": f"Upstream {index}",
            "model": draw(st.sampled_from(["Big-1", "Open-2"])),
            "signatory": signatory,
            "last_verified": draw(past),
            "systemic_risk": draw(st.sampled_from([None, True, False])),
        }
        if signatory == "partial":
            entry["chapters"] = draw(
                st.lists(
                    st.sampled_from(["transparency", "copyright", "safety_and_security"]),
                    min_size=1,
                    max_size=3,
                    unique=True,
                )
            )
        entries.append(entry)
    return entries


@st.composite
def models(draw: st.DrawFn, model_id: str) -> dict[str, Any]:
    role = draw(st.sampled_from(["provider", "provider", "modifier", "downstream"]))
    model: dict[str, Any] = {"id": model_id, "role": role}
    if role == "downstream":
        model["upstream"] = draw(upstreams())
        return model

    placing = draw(years)
    placed = placing <= TODAY and draw(st.booleans())
    model["placed_on_market" if placed else "planned_placement"] = placing
    model["open_source"] = draw(st.booleans())
    compute = draw(computes)
    model["training_compute_flop"] = compute
    systemic = draw(st.sampled_from([None, None, "designated", "none"]))
    model["systemic_risk"] = systemic
    if systemic == "designated":
        model["designated_on"] = draw(past)
    if draw(st.booleans()):
        model["documentation_reviewed_on"] = draw(past)
    base_systemic = False
    if role == "modifier":
        base_systemic = draw(st.booleans())
        model["base_model"] = "Base by Upstream 0"
        model["base_compute_flop"] = draw(st.one_of(st.none(), st.sampled_from([3e24, 2e25])))
        model["base_systemic_risk"] = base_systemic
        model["modification_compute_flop"] = draw(st.sampled_from([1e21, 5e22, 1e24, 3e24, 9e24]))
        model["upstream"] = draw(upstreams())
    base = model.get("base_compute_flop") or 0
    presumption = (compute or 0) > 1e25 or (role == "modifier" and (base_systemic or base > 1e25))
    if (presumption and systemic != "designated") or draw(st.booleans()):
        # "none" over the threshold holds only after accepted arguments, dated by then.
        model["threshold_known_on"] = draw(past if systemic == "none" else years)
    presumed = provides(model) and systemic != "designated" and "threshold_known_on" in model
    if presumed:
        decision = "accepted" if systemic == "none" else draw(st.sampled_from(DECISIONS))
        known = model["threshold_known_on"]
        if decision in ("accepted", "rejected") and known <= TODAY:
            model["arguments_decision"] = decision
            model["arguments_decided_on"] = draw(st.dates(min_value=known, max_value=TODAY))
        elif decision == "pending":
            model["arguments_decision"] = decision
    if placed and draw(st.booleans()):
        model["withdrawn_on"] = draw(st.dates(min_value=placing, max_value=TODAY))
    return model


@st.composite
def registers(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(min_value=1, max_value=4))
    return {
        "models": [draw(models(f"m{n}")) for n in range(count)],
        "organisation": {
            "established_in": draw(st.sampled_from(["FR", "NO", "US", "CH"])),
            "annual_turnover_eur": draw(st.one_of(st.none(), st.floats(0, 1e12))),
            "transparency": draw(signatures),
            "copyright": draw(signatures),
            "safety_and_security": draw(signatures),
            "version_reviewed": draw(past),
            "checked_on": draw(st.one_of(st.none(), past)),
        },
    }


@st.composite
def done_marks(draw: st.DrawFn, ids: Sequence[str], most: int) -> dict[str, list[DoneMark]]:
    """Done marks on up to `most` of the item ids `ids`, one to three each, dated in the past."""
    marked = draw(st.lists(st.sampled_from(ids), max_size=most, unique=True))
    return {
        item_id: [DoneMark(day) for day in draw(st.lists(past, min_size=1, max_size=3))]
        for item_id in marked
    }


as_ofs = st.dates(min_value=date(2023, 1, 1), max_value=date(2032, 12, 31))


def build(make_register: MakeRegister, spec: dict[str, Any]) -> Register:
    return make_register(*spec["models"], today=TODAY, **spec["organisation"])


def provides(spec: dict[str, Any]) -> bool:
    """From the generated input alone (not the engine's output): does the organisation provide
    the model? A modifier does when its compute exceeds a third of the base model's (GL s.3.2),
    else of 1e25 for a systemic-risk base or of 1e23 for any other."""
    if spec["role"] == "provider":
        return True
    if spec["role"] == "downstream":
        return False
    base = spec["base_compute_flop"] or (1e25 if spec["base_systemic_risk"] else 1e23)
    return bool(spec["modification_compute_flop"] > base / 3)


def placing(spec: dict[str, Any]) -> date:
    found = spec.get("placed_on_market") or spec.get("planned_placement")
    assert isinstance(found, date)
    return found
