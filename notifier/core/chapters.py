"""The Code of Practice's three chapters: their names, the article that applies when one is not
signed (K11), and what to ask of an upstream provider that has not signed one. Pure."""

from __future__ import annotations

from notifier.core.register import CHAPTERS, Chapter, Upstream

TITLES: dict[Chapter, str] = {
    "transparency": "Transparency",
    "copyright": "Copyright",
    "safety_and_security": "Safety and Security",
}

# Art 53(4), 55(2): without the Code (or a harmonised standard), alternative adequate means.
ALTERNATIVE_BASIS: dict[Chapter, str] = {
    "transparency": "AI Act Art 53(4)",
    "copyright": "AI Act Art 53(4)",
    "safety_and_security": "AI Act Art 55(2)",
}

# What each chapter's missing signature leaves to be shown otherwise, as evidence to ask for.
UPSTREAM_EVIDENCE: dict[Chapter, tuple[str, ...]] = {
    "transparency": (
        "the information and documentation for integrating the model "
        "(AI Act Art 53(1)(b), Annex XII)",
        "how it draws up and keeps up to date the model's technical documentation, as "
        "alternative adequate means of compliance (AI Act Art 53(1)(a), 53(4))",
    ),
    "copyright": (
        "its copyright policy, incl. how it identifies and complies with rights reservations "
        "under Art 4(3) of Directive (EU) 2019/790 (AI Act Art 53(1)(c), 53(4))",
    ),
    "safety_and_security": (
        "evidence of model evaluation incl. adversarial testing, systemic-risk assessment and "
        "mitigation, serious-incident reporting and cybersecurity (AI Act Art 55(1)(a)-(d)), as "
        "alternative adequate means of compliance (AI Act Art 55(2))",
    ),
}
UNKNOWN_RISK = (
    " - only if the model presents systemic risk; record systemic_risk = true or false on the "
    "upstream entry"
)


def signed_chapters(upstream: Upstream) -> frozenset[Chapter]:
    if upstream.signatory == "full":
        return frozenset(CHAPTERS)
    return frozenset(upstream.chapters if upstream.signatory == "partial" else ())


def relevant_chapters(upstream: Upstream) -> tuple[Chapter, ...]:
    """The chapters that matter to the upstream model: Safety and Security only where it
    presents systemic risk, or may (unknown); the chapter 'is only relevant' then (K6)."""
    if upstream.systemic_risk is False:
        return ("transparency", "copyright")
    return CHAPTERS


def evidence_gap(upstream: Upstream) -> tuple[Chapter, ...]:
    """Relevant chapters the upstream provider has not signed."""
    signed = signed_chapters(upstream)
    return tuple(c for c in relevant_chapters(upstream) if c not in signed)


def evidence_to_request(upstream: Upstream) -> list[str]:
    """Sentences naming what to ask for, chapter by chapter (empty when nothing is missing)."""
    found = []
    for chapter in evidence_gap(upstream):
        unknown = chapter == "safety_and_security" and upstream.systemic_risk is None
        for text in UPSTREAM_EVIDENCE[chapter]:
            found.append(f"{TITLES[chapter]}: {text}{UNKNOWN_RISK if unknown else ''}")
    return found


def evidence_note(upstream: Upstream) -> str | None:
    """The item's note: which chapters are missing and what to ask for."""
    gap = evidence_gap(upstream)
    if not gap:
        return None
    names = ", ".join(TITLES[c] for c in gap)
    asks = "; ".join(evidence_to_request(upstream))
    return f"Chapters not signed that matter here: {names}. Ask for: {asks}."
