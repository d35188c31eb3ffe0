"""A model of the same shape as an earlier one gets that model's timeline, renamed
(notifier.core.timeline.shapes): exactly the timeline worked out model by model."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notifier.core.events import Event, Incident, NotificationSent
from notifier.core.items import Timeline
from notifier.core.register import Register, parse_register

from .support.registers import model_toml, register_toml
from .support.strategies import (
    TODAY,
    as_ofs,
    build,
    done_marks,
    past,
    provides,
    registers,
    years,
)

MakeRegister = Callable[..., Register]
MakeTimeline = Callable[..., Timeline]
PROPERTY = settings(max_examples=75, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def with_copies(spec: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    """`spec` with each model written again under other ids and names: as it is, or as a later
    version of it, placed on one later day (such versions share a shape, and where the first
    was placed before Chapter V applied their reasons name it)."""
    models = list(spec["models"])
    for model in spec["models"]:
        later = data.draw(years)
        for copy in range(data.draw(st.integers(min_value=1, max_value=3))):
            again = {**model, "id": f"{model['id']}-copy-{copy}", "name": f"Copy {copy}"}
            if provides(model) and data.draw(st.booleans()):
                again["version_of"] = model["id"]
                if "placed_on_market" in model and later > model["placed_on_market"]:
                    again["placed_on_market"] = min(later, TODAY)
                    again["withdrawn_on"] = None
            models.append(again)
    return {**spec, "models": models}


@PROPERTY
@given(spec=registers(), as_of=as_ofs, data=st.data())
def test_a_reused_timeline_is_the_one_worked_out_model_by_model(
    make_register: MakeRegister,
    make_timeline: MakeTimeline,
    spec: dict[str, Any],
    as_of: date,
    data: st.DataObject,
) -> None:
    register = build(make_register, with_copies(spec, data))
    ids = sorted(item.id for item in make_timeline(register, as_of).all_items())
    done = data.draw(done_marks(ids, 3))
    notified = data.draw(st.lists(st.sampled_from([m.id for m in register.models]), max_size=2))
    events: list[Event] = [
        NotificationSent(f"n{n}", model, date(2026, 1, 5)) for n, model in enumerate(notified)
    ]
    hit = data.draw(st.lists(st.sampled_from([m.id for m in register.models]), max_size=2))
    events += [Incident(f"i{n}", m, "cybersecurity", data.draw(past)) for n, m in enumerate(hit)]
    told = data.draw(st.lists(st.sampled_from([m.id for m in register.models]), max_size=2))
    options = {"done": done, "events": events, "notifications_sent": dict.fromkeys(told, TODAY)}

    reused = make_timeline(register, as_of, **options)
    worked_out = make_timeline(register, as_of, **options, reuse_shapes=False)

    assert reused == worked_out


def test_a_model_of_a_seen_shape_gets_its_own_ids_owners_name_and_findings(
    make_timeline: MakeTimeline,
) -> None:
    shared = {
        "role": "provider",
        "placed_on_market": date(2026, 3, 2),
        "training_compute_flop": 2e25,
        "threshold_known_on": date(2026, 1, 10),
        "arguments_decision": "pending",
    }
    first = model_toml({"id": "alpha", "name": "Alpha", "owners": ["legal"], **shared})
    second = model_toml({"id": "beta", "name": "Beta", "owners": ["ops"], **shared})
    text = register_toml() + first + second
    text += '\n[[people]]\nid = "ops"\nname = "Ops"\nemail = "ops@example.com"\n'
    register = parse_register(text, "shapes.toml", TODAY)

    alpha, beta = make_timeline(register, TODAY).models

    assert [i.id.replace("alpha/", "beta/") for i in alpha.items] == [i.id for i in beta.items]
    assert {i.model for i in beta.items} == {"beta"}
    assert {i.owners for i in beta.items} == {("ops",)}
    assert beta.name == "Beta"
    assert beta.findings
    assert all("--model beta" in f for f in beta.findings)
    assert [i.due for i in alpha.items] == [i.due for i in beta.items]


def test_a_recorded_notification_is_part_of_the_shape(
    make_timeline: MakeTimeline, make_register: MakeRegister
) -> None:
    systemic = {
        "placed_on_market": date(2026, 3, 2),
        "training_compute_flop": 2e25,
        "threshold_known_on": date(2026, 1, 10),
    }
    register = make_register({"id": "alpha", **systemic}, {"id": "beta", **systemic})
    told = {"beta": date(2026, 1, 5)}  # four weeks later is before placing less two weeks

    reused = make_timeline(register, TODAY, notifications_sent=told)

    assert reused == make_timeline(register, TODAY, notifications_sent=told, reuse_shapes=False)
    alpha, beta = reused.models
    assert [i.due for i in alpha.items] != [i.due for i in beta.items]
