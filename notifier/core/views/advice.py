"""The advice as JSON (the contract in docs/contracts.md) and as a short guide for people."""

from __future__ import annotations

import textwrap
from typing import Any

from notifier.core.advice import Advice, ChapterAdvice, Recommendation
from notifier.core.chapters import TITLES

WIDTH = 100
SAYS: dict[Recommendation, str] = {
    "operate-per-code": "operate per the Code",
    "sign-or-document-alternative": "sign it, or document the alternative adequate means",
    "keep-alternative-current": "keep the documented alternative current",
    "not-relevant": "not relevant to you now",
}


def advice_json(advice: Advice) -> dict[str, Any]:
    return {
        "as_of": advice.as_of.isoformat(),
        "chapters": [
            {
                "chapter": chapter.chapter,
                "status": chapter.status,
                "models": list(chapter.models),
                "recommendation": chapter.recommendation,
                "reasons": list(advice.reasons(chapter)),
            }
            for chapter in advice.chapters
        ],
        "upstream": [
            {
                "model": entry.model,
                "provider": entry.provider,
                "signatory": entry.signatory,
                "evidence_to_request": list(entry.evidence_to_request),
            }
            for entry in advice.upstream
        ],
    }


def _paragraph(text: str, indent: str = "  ") -> list[str]:
    return textwrap.wrap(
        text, WIDTH, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False
    )


def _chapter(chapter: ChapterAdvice) -> list[str]:
    status = "signed" if chapter.status == "signed" else "not signed"
    head = f"{TITLES[chapter.chapter]} ({status}): {SAYS[chapter.recommendation]}."
    models = f" Covers: {', '.join(chapter.models)}." if chapter.models else ""
    return [head, *_paragraph(" ".join(chapter.reasons) + models), ""]


def advice_table(advice: Advice) -> str:
    lines = [
        f"Should we sign the Code of Practice? {advice.organisation}, as of {advice.as_of}",
        "",
    ]
    for chapter in advice.chapters:
        lines += _chapter(chapter)
    if any(c.recommendation != "not-relevant" for c in advice.chapters):
        lines += ["Why not wait for harmonised standards?", *_paragraph(advice.standards), ""]
    if advice.upstream:
        lines.append("Upstream providers (diligence for the models you build on):")
        for entry in advice.upstream:
            name = f"{entry.provider}, {entry.model} (signatory: {entry.signatory})"
            if entry.evidence_to_request:
                lines.append(f"  {name}: ask for")
                for ask in entry.evidence_to_request:
                    lines += textwrap.wrap(
                        ask,
                        WIDTH,
                        initial_indent="    - ",
                        subsequent_indent="      ",
                        break_on_hyphens=False,
                    )
            else:
                lines.append(f"  {name}: signed every chapter that matters; nothing to ask for.")
        lines.append("")
    lines.append("This is a tool, not legal advice.")
    return "\n".join(lines) + "\n"
