"""The scan's outcome as JSON (the contract in docs/contracts.md) and as a terminal table. Pure."""

from __future__ import annotations

import textwrap
from typing import Any

from notifier.core.scan.decide import CHAPTER_NAMES, Outcome


def scan_json(outcomes: tuple[Outcome, ...]) -> dict[str, Any]:
    return {
        "models": [
            {
                "id": o.id,
                "role": o.role,
                "systemic_risk": o.systemic_risk,
                "art_54": o.art_54,
                "chapters": list(o.chapters),
                "reasons": [{"text": r.text, "citation": r.citation} for r in o.reasons],
                "unknowns": list(o.unknowns),
            }
            for o in outcomes
        ]
    }


def scan_table(outcomes: tuple[Outcome, ...], width: int = 100) -> str:
    lines: list[str] = []
    for o in outcomes:
        chapters = ", ".join(CHAPTER_NAMES[c] for c in o.chapters) or "none"
        lines += [
            f"{o.id} ({o.name}): {o.role}",
            f"  systemic risk: {'yes' if o.systemic_risk else 'no'} · "
            f"Art 54 authorised representative: {'yes' if o.art_54 else 'no'} · "
            f"Code chapters: {chapters}",
        ]
        for reason in o.reasons:
            label = f" [{reason.verification}]" if reason.verification != "primary" else ""
            text = f"- {reason.text} ({reason.citation}){label}"
            lines += textwrap.wrap(text, width, initial_indent="  ", subsequent_indent="    ")
        if o.unknowns:
            lines.append("  To find out:")
            for unknown in o.unknowns:
                lines += textwrap.wrap(
                    f"- {unknown}", width, initial_indent="    ", subsequent_indent="      "
                )
        lines.append("")
    lines.append(
        "This is a tool, not legal advice. The guidelines' criterion for a general-purpose AI "
        "model is indicative; every reason cites its source."
    )
    return "\n".join(lines) + "\n"
