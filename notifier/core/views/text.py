"""Human-readable text for the terminal: the timeline table and the check summary."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from heapq import nsmallest

from notifier.core.items import REGIMES, Item, Timeline, item_order
from notifier.core.register import Register

_HEADER = f"  {'DUE':<10}  {'STATUS':<8}  {'KIND':<9}  {'BASIS':<8}  ITEM"


def _row(item: Item) -> str:
    due = item.due.isoformat() if item.due else "-"
    late = f" (done {item.done_late_days} days late)" if item.done_late_days else ""
    return (
        f"  {due:<10}  {item.status:<8}  {item.kind:<9}  {item.basis:<8}  {item.title}{late}\n"
        f"  {'':<10}  {'':<8}  {'':<9}  {'':<8}  {item.citation} [{item.id}]"
    )


def _rows(items: Iterable[Item]) -> list[str]:
    rows = [_HEADER]
    rows += [_row(item) for item in items]
    return rows


def timeline_table(timeline: Timeline, model_id: str | None = None) -> str:
    lines = [
        f"{timeline.organisation}: obligations as of {timeline.as_of}",
        f"Law: {timeline.law}",
        "",
    ]
    if model_id is None:
        per_model = {finding for model in timeline.models for finding in model.findings}
        general = [finding for finding in timeline.findings if finding not in per_model]
        warnings = [f"! {warning}" for warning in (*general, *map(str, timeline.unusable))]
        lines += [*warnings, *([""] if warnings else [])]
        lines += ["Organisation", *_rows(timeline.organisation_items), ""]
    for model in timeline.models:
        if model_id is not None and model.id != model_id:
            continue
        deadline = f", deadline {model.regime_deadline}" if model.regime_deadline else ""
        risk = ", systemic risk" if model.systemic_risk else ""
        gone = f", withdrawn {model.withdrawn_on}" if model.withdrawn_on else ""
        lines.append(f"{model.id} ({model.name}): {model.regime}{deadline}{risk}{gone}")
        lines += [f"  ! {finding}" for finding in model.findings]
        lines += [*_rows(model.items), ""]
    return "\n".join(lines).rstrip() + "\n"


def check_summary(register: Register, timeline: Timeline, next_count: int = 5) -> str:
    org = register.organisation
    cop = org.code_of_practice
    place = "third country, Art 54 applies" if org.third_country else "EU/EEA"
    if org.eea_not_eu:
        place = (
            "EEA outside the EU: a third country for Art 54 while the AI Act is not part of "
            "the EEA Agreement (inference)"
        )
    fine = (
        f"EUR {timeline.fine_ceiling_eur:,}"
        if timeline.fine_ceiling_eur is not None
        else "not computed (annual_turnover_eur not given)"
    )
    lines = [
        f"Register: {register.source}: valid ({len(register.models)} models, "
        f"{len(register.people)} people)",
        f"Organisation: {org.name} ({org.established_in}, {place}), time zone {org.timezone}",
        f"Code of Practice: transparency {cop.transparency}, copyright {cop.copyright}, "
        f"safety_and_security {cop.safety_and_security}; version reviewed {cop.version_reviewed}",
        f"Fine ceiling ({timeline.fine_citation}): {fine}",
        f"As of: {timeline.as_of}",
        "",
        "Models by regime:",
    ]
    for regime in REGIMES:
        ids = [m.id for m in timeline.models if m.regime == regime]
        if ids:
            lines.append(f"  {regime:<21} {len(ids)}: {', '.join(ids)}")
    # The first few in the timeline's order, without sorting every item (100,000 at 10,000
    # models): nsmallest gives what sorted(...)[:n] gives, ties in the same order.
    upcoming, overdue = [], []
    for i in _every_item(timeline):
        if i.status == "overdue":
            overdue.append(i)
        elif i.status in ("due-soon", "upcoming") and i.due is not None and i.kind != "milestone":
            upcoming.append(i)
    lines += ["", f"Next {next_count} deadlines:"]
    lines += [
        f"  {i.due}  {i.status:<8}  {i.id}: {i.title}"
        for i in nsmallest(next_count, upcoming, key=item_order)
    ]
    problems = []
    if overdue:
        problems.append(
            f"{len(overdue)} overdue item(s); the oldest {min(len(overdue), 5)} "
            "below ('notifier timeline' lists all; record met ones as done):"
        )
        problems += [f"  {i.due}  {i.id}" for i in nsmallest(5, overdue, key=item_order)]
    for model in timeline.models:
        problems += [f"{model.id}: {finding}" for finding in model.findings]
    shown = {finding for model in timeline.models for finding in model.findings}
    problems += [finding for finding in timeline.findings if finding not in shown]
    problems += [
        f"{unusable} (everything else is computed and reminded)" for unusable in timeline.unusable
    ]
    lines += ["", "Problems:" if problems else "Problems: none"]
    lines += [f"  {p}" for p in problems]
    return "\n".join(lines) + "\n"


def _every_item(timeline: Timeline) -> Iterator[Item]:
    """Every item, in the order `Timeline.all_items` sorts (organisation first, then models)."""
    yield from timeline.organisation_items
    for model in timeline.models:
        yield from model.items
