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

from collections.abc import Callable, Container, Mapping
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
        path, end, _closes = _walk(start, models, answers)
        answer = answers.get(end.id) if end is not None else None
        for model in reversed(path):
            answer = answers[model.id] = step(model, answer)
    return answers


def _walk(
    start: Model, models: Mapping[str, Model], known: Container[str]
) -> tuple[list[Model], Model | None, bool]:
    """The models from `start` along `version_of` that are not `known`, and where the walk
    stopped: at a known model, at None (the line ends, or follows an unknown id), or at a
    model already walked (True: a loop closes there)."""
    path: list[Model] = []
    walked: set[str] = set()
    current: Model | None = start
    while current is not None and current.id not in known:
        if current.id in walked:
            return path, current, True
        path.append(current)
        walked.add(current.id)
        current = models.get(current.version_of) if current.version_of is not None else None
    return path, current, False


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
        path, end, closes = _walk(start, models, found)
        loops = closes or (end is not None and found[end.id])
        found.update((model.id, loops) for model in path)
    return frozenset(model_id for model_id, loops in found.items() if loops)
