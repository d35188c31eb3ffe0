"""Rules of the register that span fields or records (ids, references, dates against today)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from notifier.core.register.classification import classify
from notifier.core.register.lifecycle_checks import (
    check_arguments,
    check_systemic_risk,
    check_versions,
    check_withdrawal,
)
from notifier.core.register.lineage import looping
from notifier.core.register.located import At
from notifier.core.register.toml_lines import TomlLines
from notifier.errors import Problem

if TYPE_CHECKING:
    from notifier.core.register.schema import Model, Organisation, Person


@dataclass(frozen=True)
class Sections:
    """The parts of a register that passed their own validation, with their TOML positions."""

    source: str
    organisation: Organisation | None
    people: list[tuple[int, Person]]
    models: list[tuple[int, Model]]
    person_ids: frozenset[str]  # every id written, valid entry or not: no cascade of problems
    model_ids: tuple[tuple[int, str], ...]  # (position, id) of every [[models]] entry written


def cross_check(
    sections: Sections, lines: TomlLines, today: date, known_timezones: Collection[str] | None
) -> list[Problem]:
    source = sections.source
    problems: list[Problem] = []
    org = sections.organisation
    people_ids = set(sections.person_ids)

    seen_people: set[str] = set()
    for index, person in sections.people:
        if person.id in seen_people:
            problems.append(
                Problem(
                    source,
                    f"person id '{person.id}' is already used by an "
                    "earlier [[people]] entry; ids must be unique",
                    lines.line_of(("people", index, "id")),
                    field="id",
                    person=person.id,
                )
            )
        seen_people.add(person.id)

    if org is not None:
        problems += _check_organisation(org, source, lines, today, known_timezones, people_ids)

    seen_models: set[str] = set()
    for index, model_id in sections.model_ids:
        if model_id in seen_models:
            duplicate = f"model id '{model_id}' is already used by an earlier [[models]] entry"
            problems.append(
                At(lines, index, model_id, source)(("id",), f"{duplicate}; ids must be unique")
            )
        seen_models.add(model_id)
    for index, model in sections.models:
        at = At(lines, index, model.id, source)
        for owner in model.owners:
            if owner not in people_ids:
                problems.append(
                    at(
                        ("owners",),
                        f"owner '{owner}' is not the id of any "
                        f"[[people]] entry (known: "
                        f"{', '.join(sorted(people_ids))})",
                    )
                )
        problems += _check_model(model, today, at)
    models = {model.id: model for _, model in sections.models}
    loops = looping(models)
    for index, model in sections.models:
        problems += check_versions(model, models, loops, At(lines, index, model.id, source))
    return problems


def _check_organisation(
    org: Organisation,
    source: str,
    lines: TomlLines,
    today: date,
    known_timezones: Collection[str] | None,
    people_ids: set[str],
) -> list[Problem]:
    problems = []
    if known_timezones is not None and org.timezone not in known_timezones:
        problems.append(
            Problem(
                source,
                f"'{org.timezone}' is not an IANA time zone; write one like \"Europe/Paris\"",
                lines.line_of(("organisation", "timezone")),
                field="organisation.timezone",
            )
        )
    cop = org.code_of_practice
    for name in ("version_reviewed", "checked_on"):
        value: date | None = getattr(cop, name)
        if value is not None and value > today:
            problems.append(
                Problem(
                    source,
                    f"{value} is later than today ({today}); record the date it happened",
                    lines.line_of(("organisation", "code_of_practice", name)),
                    field=f"organisation.code_of_practice.{name}",
                )
            )
    for index, contact in enumerate(org.contacts):
        if contact not in people_ids:
            problems.append(
                Problem(
                    source,
                    f"contact '{contact}' is not the id of any [[people]] entry "
                    f"(known: {', '.join(sorted(people_ids))})",
                    lines.line_of(("organisation", "contacts")),
                    field=f"organisation.contacts.{index}",
                )
            )
    for index, admin in enumerate(org.admins):
        if admin not in people_ids:
            problems.append(
                Problem(
                    source,
                    f"admin '{admin}' is not the id of any [[people]] entry "
                    f"(known: {', '.join(sorted(people_ids))})",
                    lines.line_of(("organisation", "admins")),
                    field=f"organisation.admins.{index}",
                )
            )
    return problems


def _check_model(model: Model, today: date, at: At) -> list[Problem]:
    problems = _check_role(model, at)
    if model.role != "downstream" and classify(model).provider:
        problems += _check_placing(model, today, at)
    problems += check_systemic_risk(model, at)
    problems += check_arguments(model, today, at)
    problems += check_withdrawal(model, today, at)
    for name in ("documentation_reviewed_on", "designated_on"):
        value: date | None = getattr(model, name)
        if value is not None and value > today:
            problems.append(
                at(name, f"{value} is later than today ({today}); record the date it happened")
            )
    problems += _check_upstream(model, today, at)
    return problems


# Keys that describe placing a model on the market: a downstream model has none of them.
PROVIDER_ONLY = (
    "placed_on_market",
    "planned_placement",
    "systemic_risk",
    "threshold_known_on",
    "designated_on",
    "base_model",
    "modification_compute_flop",
    "arguments_decision",
    "arguments_decided_on",
    "withdrawn_on",
    "version_of",
)


def _check_role(model: Model, at: At) -> list[Problem]:
    problems: list[Problem] = []
    if model.role == "downstream":
        for name in PROVIDER_ONLY:
            if getattr(model, name) is not None:
                problems.append(
                    at(
                        name,
                        f"'{name}' does not apply to a downstream model (you do "
                        "not place it on the market); remove it, or set role "
                        'to "provider" or "modifier"',
                    )
                )
        if not model.upstream:
            problems.append(
                at(
                    "upstream",
                    "a downstream model needs at least one upstream "
                    "entry: { provider, model, signatory, last_verified }",
                )
            )
    elif model.role == "modifier":
        if model.base_model is None:
            problems.append(
                at("base_model", "a modifier names the model it modifies in base_model")
            )
        if model.modification_compute_flop is None:
            problems.append(
                at(
                    "modification_compute_flop",
                    "a modifier gives the compute used "
                    "for the modification (FLOP); the "
                    "one-third rule needs it",
                )
            )
    else:
        for name in ("base_model", "base_compute_flop", "modification_compute_flop"):
            if getattr(model, name) is not None:
                problems.append(at(name, f"'{name}' is for role = \"modifier\" only"))
        if model.upstream:
            problems.append(
                at("upstream", "upstream entries are for downstream models and modifiers")
            )
    return problems


def _check_placing(model: Model, today: date, at: At) -> list[Problem]:
    problems: list[Problem] = []
    if model.placed_on_market is None and model.planned_placement is None:
        problems.append(
            at(
                "placed_on_market",
                "give placed_on_market (the date it was first "
                "made available on the Union market) or "
                "planned_placement (the date planned)",
            )
        )
    if model.placed_on_market is not None and model.planned_placement is not None:
        problems.append(
            at(
                "planned_placement",
                "give placed_on_market or planned_placement, "
                "not both: once placed, remove "
                "planned_placement",
            )
        )
    if model.placed_on_market is not None and model.placed_on_market > today:
        problems.append(
            at(
                "placed_on_market",
                f"{model.placed_on_market} is later than today "
                f"({today}); a future date belongs in "
                "planned_placement",
            )
        )
    if (
        model.planned_placement is not None
        and model.planned_placement < today
        and model.placed_on_market is None
    ):
        problems.append(
            at(
                "planned_placement",
                f"{model.planned_placement} has passed; once "
                "the model is on the market record "
                "placed_on_market, or move the plan",
                warning=True,
            )
        )
    return problems


def _check_upstream(model: Model, today: date, at: At) -> list[Problem]:
    problems: list[Problem] = []
    slugs: dict[str, int] = {}
    for position, upstream in enumerate(model.upstream):
        field = f"upstream.{position}"
        if upstream.signatory == "partial" and not upstream.chapters:
            problems.append(
                at(
                    f"{field}.signatory",
                    'signatory = "partial" needs chapters = [...] naming the chapters signed',
                )
            )
        if upstream.signatory != "partial" and upstream.chapters:
            problems.append(
                at(
                    f"{field}.chapters",
                    f'chapters are only given with signatory = "partial" '
                    f'(found signatory = "{upstream.signatory}")',
                )
            )
        if upstream.last_verified > today:
            problems.append(
                at(
                    f"{field}.last_verified",
                    f"last_verified {upstream.last_verified} is later than today ({today})",
                )
            )
        if upstream.slug in slugs:
            problems.append(
                at(
                    f"{field}.model",
                    f"'{upstream.provider}' / '{upstream.model}' repeats upstream "
                    f"entry {slugs[upstream.slug] + 1} (both become item id suffix "
                    f"'{upstream.slug}'); list each upstream model once",
                )
            )
        slugs.setdefault(upstream.slug, position)
    return problems
