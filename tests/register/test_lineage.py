"""Each model's place among its versions, worked out once (notifier.core.register.lineage):
the same answers as walking `version_of` from every model, which cost the square of a lineage."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from notifier.core.register import Model
from notifier.core.register.lineage import first_placings, looping

placings = st.one_of(st.none(), st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 1, 8)))


def model(index: int, placing: date | None, follows: str | None) -> Model:
    return Model(
        id=f"m{index}",
        name=f"Model {index}",
        role="provider",
        owners=("legal",),
        placed_on_market=placing,
        version_of=follows,
    )


@st.composite
def registers(draw: st.DrawFn, *, loops: bool) -> dict[str, Model]:
    """Models following earlier ones (or, with `loops`, any one), some an unknown id."""
    count = draw(st.integers(min_value=1, max_value=12))
    models = {}
    for index in range(count):
        targets = list(range(count if loops else index))
        choice = draw(st.one_of(st.none(), st.just(-1), st.sampled_from(targets or [-1])))
        follows = None if choice is None else f"m{choice}" if choice >= 0 else "unknown"
        models[f"m{index}"] = model(index, draw(placings), follows)
    return models


def walked(start: Model, models: dict[str, Model]) -> list[Model]:
    """The versions `start` follows, nearest first, as the checks once walked them."""
    found, seen, current = [], {start.id}, start
    while current.version_of is not None and current.version_of not in seen:
        earlier = models.get(current.version_of)
        if earlier is None:
            break
        found.append(earlier)
        seen.add(earlier.id)
        current = earlier
    return found


@settings(max_examples=200, deadline=None)
@given(models=registers(loops=False))
def test_the_first_placing_and_the_version_placed_then_are_those_of_a_walk(
    models: dict[str, Model],
) -> None:
    firsts = first_placings(models)

    for one in models.values():
        line = [one, *walked(one, models)]
        days = [m.placing for m in line if m.placing is not None]
        first = min(days, default=None)
        assert firsts[one.id].placing == first
        if first is not None:  # the nearest version placed that day, the model itself included
            assert firsts[one.id].model == next(m.id for m in line if m.placing == first)


@settings(max_examples=200, deadline=None)
@given(models=registers(loops=True))
def test_the_models_leading_into_a_loop_are_those_a_walk_finds(
    models: dict[str, Model],
) -> None:
    def loops(start: Model) -> bool:
        seen, current = {start.id}, start
        while current.version_of is not None:
            if current.version_of in seen:
                return True
            seen.add(current.version_of)
            following = models.get(current.version_of)
            if following is None:
                return False
            current = following
        return False

    assert looping(models) == {m.id for m in models.values() if loops(m)}


def test_a_lineage_of_thousands_of_versions_is_walked_once() -> None:
    """3,000 versions in one line: every model's answer is found (the walk from each model
    took 3 s at 2,000; a regression here shows as the suite's time, not as a failure)."""
    count = 3000
    days = [date(2025, 6, 1) + timedelta(days=n // 10) for n in range(count)]
    models = {f"m{n}": model(n, days[n], f"m{n - 1}" if n else None) for n in range(count)}

    firsts = first_placings(models)

    # m0 to m9 were placed on the first day: each is its own first; the rest follow m9
    assert {n: firsts[f"m{n}"].model for n in (0, 9, 10, count - 1)} == {
        0: "m0",
        9: "m9",
        10: "m9",
        count - 1: "m9",
    }
    assert {first.placing for first in firsts.values()} == {date(2025, 6, 1)}
    assert looping(models) == frozenset()
