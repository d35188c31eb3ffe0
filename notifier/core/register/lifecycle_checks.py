"""Register checks for a model's life after placing: systemic risk and the Commission's answers
(Art 52), withdrawal, and versions of one model (GL s.2.2). Each check is one small function."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from notifier.core.register.classification import (
    base_systemic,
    classify,
    flop_text,
    systemic_risk_flop,
)
from notifier.core.register.located import At
from notifier.errors import Problem

if TYPE_CHECKING:
    from notifier.core.register.schema import Model


def check_systemic_risk(model: Model, at: At) -> list[Problem]:
    """A designation needs its date; a presumption needs the day the threshold became known;
    "none" cannot hide a presumption unless the Commission accepted arguments (Art 52(2)-(3))."""
    problems: list[Problem] = []
    cls = classify(model)
    if model.systemic_risk == "designated" and model.designated_on is None:
        problems.append(
            at(
                "designated_on",
                "give the date of the Commission's designation decision (Art 52(4)); the "
                "Art 52(5) reassessment date runs from it",
            )
        )
    if cls.systemic_risk == "presumed" and model.threshold_known_on is None:
        problems.append(
            at(
                "threshold_known_on",
                f"systemic risk is presumed (compute over {_over()} FLOP, Art 51(2), or a "
                f"modifier of a systemic-risk model, or of a base model over {_over()} FLOP); give "
                "threshold_known_on, the date the threshold was met or known to be met (the "
                "Art 52(1) two-week clock runs from it)",
            )
        )
    hidden = cls.provider and model.systemic_risk == "none" and cls.systemic_risk == "presumed"
    if hidden and model.arguments_decision != "accepted":
        problems.append(
            at(
                "systemic_risk",
                f"'none' contradicts the presumption of systemic risk ({_presumption(model)}; "
                "Art 51(2)): the notification is still due (Art 52(1)); 'none' holds only once "
                'the Commission accepted your arguments: record arguments_decision = "accepted" '
                "and arguments_decided_on (Art 52(2)-(3)), or remove systemic_risk",
            )
        )
    return problems


def _over() -> str:
    """The Art 51(2) threshold as the messages write it, from the rule data."""
    return flop_text(systemic_risk_flop())


def _presumption(model: Model) -> str:
    if (model.training_compute_flop or 0) > systemic_risk_flop():
        return f"compute over {_over()} FLOP"
    if model.threshold_known_on is not None:
        return "threshold_known_on is given"
    return "a modifier of a systemic-risk base model" if base_systemic(model) else "presumed"


def check_arguments(model: Model, today: date, at: At) -> list[Problem]:
    """Art 52(2)-(3): arguments go with the Art 52(1) notification of a presumed model; an
    accepted or rejected decision has a date, which has happened and follows the threshold."""
    decision, decided_on = model.arguments_decision, model.arguments_decided_on
    if decision is None and decided_on is None:
        return []
    if model.role == "downstream":
        return []  # reported with the other keys a downstream model cannot have
    problems: list[Problem] = []
    if decision is None:
        problems.append(
            at(
                "arguments_decided_on",
                'give arguments_decision ("accepted" or "rejected") with the date of the '
                "Commission's decision",
            )
        )
    elif decision == "pending" and decided_on is not None:
        problems.append(
            at(
                "arguments_decided_on",
                "a pending decision has no date yet; remove arguments_decided_on, or set "
                'arguments_decision to "accepted" or "rejected"',
            )
        )
    elif decision != "pending" and decided_on is None:
        problems.append(
            at(
                "arguments_decided_on",
                f'arguments_decision = "{decision}" needs arguments_decided_on, the date of '
                "the Commission's decision (Art 52(3); GL s.2.3.3: an acceptance applies from "
                "the moment you are informed of it)",
            )
        )
    if classify(model).systemic_risk != "presumed":
        problems.append(
            at(
                "arguments_decision",
                "arguments under Art 52(2) accompany the Art 52(1) notification of a model "
                f"presumed to present systemic risk (compute over {_over()} FLOP or "
                "threshold_known_on); a designated model asks for reassessment instead "
                "(Art 52(5))",
            )
        )
    if decided_on is not None and decided_on > today:
        problems.append(
            at(
                "arguments_decided_on",
                f"{decided_on} is later than today ({today}); record the date it happened",
            )
        )
    known = model.threshold_known_on
    if decided_on is not None and known is not None and decided_on < known:
        problems.append(
            at(
                "arguments_decided_on",
                f"{decided_on} is before threshold_known_on ({known}); the Commission "
                "decides on arguments sent with the notification, which follows the threshold",
            )
        )
    return problems


def check_withdrawal(model: Model, today: date, at: At) -> list[Problem]:
    """A model is withdrawn after it was placed, on a day that has happened."""
    withdrawn = model.withdrawn_on
    if withdrawn is None or model.role == "downstream":
        return []
    if model.placed_on_market is None:
        return [
            at(
                "withdrawn_on",
                "only a model placed on the market can be withdrawn; give placed_on_market, "
                "or remove withdrawn_on (a plan that is dropped needs no date)",
            )
        ]
    problems: list[Problem] = []
    if withdrawn < model.placed_on_market:
        problems.append(
            at(
                "withdrawn_on",
                f"{withdrawn} is before placed_on_market ({model.placed_on_market})",
            )
        )
    if withdrawn > today:
        problems.append(
            at(
                "withdrawn_on",
                f"{withdrawn} is later than today ({today}); record the withdrawal once it "
                "has happened (until then every duty stays due)",
            )
        )
    return problems


def check_versions(
    model: Model, models: Mapping[str, Model], loops: frozenset[str], at: At
) -> list[Problem]:
    """`version_of` names an earlier model of the register, provided by the organisation, placed
    no later than this one, without a loop (`loops`: lineage.looping's, found once)."""
    earlier_id = model.version_of
    if earlier_id is None or model.role == "downstream":
        return []
    if earlier_id == model.id:
        return [at("version_of", "a model cannot be a version of itself")]
    earlier = models.get(earlier_id)
    if earlier is None:
        known = ", ".join(sorted(i for i in models if i != model.id)) or "none"
        return [
            at(
                "version_of",
                f"'{earlier_id}' is not the id of another [[models]] entry (known: {known})",
            )
        ]
    problems: list[Problem] = []
    if not classify(earlier).provider:
        problems.append(
            at(
                "version_of",
                f"'{earlier_id}' is not a model you provide; version_of names an earlier "
                "version of your own model (same large pre-training run, GL s.2.2)",
            )
        )
    placed, earlier_placed = model.placing, earlier.placing
    if placed is not None and earlier_placed is not None and earlier_placed > placed:
        problems.append(
            at(
                "version_of",
                f"'{earlier_id}' is placed on {earlier_placed}, after this version "
                f"({placed}); version_of names the earlier version",
            )
        )
    if model.id in loops:
        problems.append(at("version_of", f"version_of makes a loop through '{earlier_id}'"))
    if classify(earlier).systemic and not classify(model).systemic:
        problems.append(
            at(
                "version_of",
                f"'{earlier_id}' presents systemic risk and a later version from the same "
                "pre-training run is the same model (GL s.2.2): check this version's "
                "systemic_risk, threshold_known_on or training_compute_flop",
                warning=True,
            )
        )
    return problems
