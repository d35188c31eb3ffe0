"""The scan's questions, asked the same way by the terminal and by the /scan page: each names
the answers-file key it fills, how its text answer is read, and why it is asked. Pure."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from notifier.core.register.bounds import value_problem
from notifier.core.register.schema import CHAPTERS
from notifier.core.scan.answers import MODALITIES, SLUG

Kind = Literal["text", "id", "country", "flop", "yes-no", "choice", "choices", "date"]
Value = str | float | bool | date | tuple[str, ...] | None


@dataclass(frozen=True)
class Question:
    key: str
    prompt: str
    kind: Kind
    why: str
    choices: tuple[str, ...] = ()


ORGANISATION_QUESTIONS = (
    Question("name", "Your organisation's name", "text", "shown on reminders and pages"),
    Question(
        "established_in",
        "Country where the organisation is established (ISO code, e.g. FR, US)",
        "country",
        "a provider established outside the Union appoints an authorised representative "
        "(AI Act Art 54(1))",
    ),
    Question(
        "signed_chapters",
        "Code of Practice chapters the organisation signed",
        "choices",
        "a chapter not signed means documenting alternative adequate means (Art 53(4), 55(2))",
        CHAPTERS,
    ),
)

MODEL_QUESTIONS = (
    Question("id", "A short id for the model or system (e.g. atlas-7b)", "id", "names its items"),
    Question("name", "Its name", "text", "shown on reminders and pages"),
    Question(
        "trained_by",
        "Who trained the model",
        "choice",
        "whoever develops a model and places it on the market is its provider (Art 3(3))",
        ("us", "third-party"),
    ),
    Question(
        "training_compute_flop",
        "Training compute in FLOP (e.g. 3e24; blank if not known)",
        "flop",
        "the guidelines' indicative criterion is above 1e23 FLOP (s.2.1); above 1e25 FLOP "
        "systemic risk is presumed (Art 51(2))",
    ),
    Question(
        "modalities",
        "What it generates",
        "choices",
        "the indicative criterion asks for language (text or audio), images or video (GL s.2.1)",
        MODALITIES,
    ),
    Question(
        "placed_on_union_market",
        "Made available on the Union market under your name or trademark",
        "yes-no",
        "duties attach at placing (Art 3(9)); an API, download or app counts (GL s.3.1)",
    ),
    Question(
        "open_source",
        "Free and open-source licence with public weights",
        "yes-no",
        "exempts from Art 53(1)(a),(b) and Art 54 unless systemic (Art 53(2), 54(6))",
    ),
    Question(
        "base",
        "The model you modified, if any (blank if none)",
        "text",
        "a modifier becomes the provider above one third of the original's compute (GL s.3.2)",
    ),
    Question(
        "base_compute_flop",
        "That model's training compute in FLOP (blank if not known)",
        "flop",
        "the one-third rule compares with it (GL s.3.2)",
    ),
    Question(
        "modification_compute_flop",
        "Compute of your modification in FLOP (blank if not known)",
        "flop",
        "more than one third of the original's makes you the provider (GL s.3.2)",
    ),
    Question(
        "uses",
        "A third-party model your system calls or embeds (Provider / model; blank if none)",
        "text",
        "a system integrating another's model makes you a downstream provider (Art 3(68))",
    ),
)
# The questions that matter only when a base model is named.
MODIFIER_KEYS = frozenset({"base_compute_flop", "modification_compute_flop"})

# The other keys of a model's answers (an answers file, a CSV column), read the same way.
OTHER_MODEL_FIELDS = (
    Question("placed_on", "Placed on", "date", "Art 3(9)"),
    Question("planned_placement", "Planned placement", "date", "Art 3(9)"),
    Question("designated", "Designated by the Commission", "yes-no", "Art 52(4)"),
    Question("designated_on", "Designation decision of", "date", "Art 52(4)"),
    Question("threshold_known_on", "Threshold met or known on", "date", "Art 52(1)"),
    Question("base_by", "Who trained the base", "choice", "GL s.2.2", ("us", "third-party")),
    Question("base_systemic_risk", "The base has systemic risk", "yes-no", "GL s.3.2"),
    Question(
        "uses_signatory",
        "Upstream signed the Code",
        "choice",
        "Art 53(4)",
        ("full", "partial", "none"),
    ),
    Question("uses_systemic_risk", "Upstream model has systemic risk", "yes-no", "Art 55"),
    Question("parameters", "Parameters", "flop", "informative only"),
)
MODEL_FIELDS = {q.key: q for q in (*MODEL_QUESTIONS, *OTHER_MODEL_FIELDS)}


def read_answer(question: Question, text: str) -> Value:
    """The value of a text answer; blank is 'not known' (None). ValueError says what is right."""
    text = text.strip()
    if not text:
        return None
    if question.kind == "flop":
        try:
            number = float(text.replace("_", "").replace("\u00d710^", "e").replace("x10^", "e"))
        except ValueError:
            raise ValueError(f"'{text}' is not a number; write it like 3e24") from None
        if not math.isfinite(number) or number < 0:
            raise ValueError(f"'{text}' is not a compute figure; write it like 3e24")
        problem = value_problem("training_compute_flop", number)
        if problem is not None:
            raise ValueError(problem)
        return number
    if question.kind == "date":
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"'{text}' is not a date like 2025-08-02") from None
    if question.kind == "yes-no":
        lowered = text.lower()
        if lowered in ("y", "yes", "true"):
            return True
        if lowered in ("n", "no", "false"):
            return False
        raise ValueError(f"'{text}': answer yes or no (blank if not known)")
    if question.kind == "choice":
        if text not in question.choices:
            raise ValueError(f"'{text}': answer one of {', '.join(question.choices)}")
        return text
    if question.kind == "choices":
        picked = tuple(dict.fromkeys(p.strip() for p in text.replace(",", " ").split()))
        wrong = [p for p in picked if p not in question.choices]
        if wrong:
            raise ValueError(f"{', '.join(wrong)}: choose from {', '.join(question.choices)}")
        return picked
    if question.kind == "country":
        code = text.upper()
        problem = value_problem("established_in", code)
        if len(code) != 2 or problem is not None:
            raise ValueError(problem or f"'{text}' is not a two-letter ISO code such as FR")
        return code
    if question.kind == "id":
        if not re.match(SLUG, text) or len(text) > 64:
            raise ValueError(f"'{text}': use lower-case letters, digits, '.', '_' or '-'")
        return text
    if len(text) > 300:
        raise ValueError("at most 300 characters")
    return text
