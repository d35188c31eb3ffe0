"""Each model's place among its versions (`version_of`), worked out once for the whole register.

A later version from the same pre-training run is the same model (GL s.2.2, K10): its regime
follows the lineage's first placing, and it keeps an earlier systemic version's history (L4).
Walking `version_of` from every model cost the square of a long lineage's length (a model in
2,000 versions took 3.0 s in the timeline and 0.6 s to parse and check); here each model's
answer is made from the answer of the version it follows, so each model is visited once. An
unknown id ends a lineage; a loop, which the register refuses (`check_versions`), ends it where
it closes. Pure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, NamedTuple, TypeVar

if TYPE_CHECKING:
    from notifier.core.register.schema import Model

T = TypeVar("T")


def along_versions(
    models: Mapping[str, Model], step: Callable[[Model, T | None], T]
) -> dict[str, T]:
    """`step(model, answer)` for every model, where `answer` is the one already made for the
    version it follows (None where it follows none, an unknown id, or closes a loop)."""
    answers: dict[str, T] = {}
    for start in models.values():
        path: list[Model] = []
        on_path: set[str] = set()
        current: Model | None = start
        while current is not None and current.id not in answers and current.id not in on_path:
            path.append(current)
            on_path.add(current.id)
            current = models.get(current.version_of) if current.version_of is not None else None
        answer = answers.get(current.id) if current is not None else None
        for model in reversed(path):
            answer = answers[model.id] = step(model, answer)
    return answers


class First(NamedTuple):
    """The earliest placing of a model and the versions it follows, and the nearest of them
    placed that day (the model itself where it is)."""

    placing: date | None
    model: str


def first_placings(models: Mapping[str, Model]) -> dict[str, First]:
    """Each model's `First` (K10): the earliest placing along `version_of`, its own included."""

    def step(model: Model, before: First | None) -> First:
        placing = model.placing
        if before is None or before.placing is None:
            return First(placing, model.id)
        if placing is not None and placing <= before.placing:
            return First(placing, model.id)  # the nearest version placed that first day
        return before

    return along_versions(models, step)


def looping(models: Mapping[str, Model]) -> frozenset[str]:
    """The models whose `version_of` leads into a loop (themselves on it or not)."""
    found: dict[str, bool] = {}
    for start in models.values():
        path: dict[str, None] = {}  # in walking order, and asked in constant time
        current: Model | None = start
        while current is not None and current.id not in found and current.id not in path:
            path[current.id] = None
            current = models.get(current.version_of) if current.version_of is not None else None
        loops = current is not None and (current.id in path or found[current.id])
        found.update(dict.fromkeys(path, loops))
    return frozenset(model_id for model_id, loops in found.items() if loops)
