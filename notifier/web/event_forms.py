"""The pages' forms for recording events: one per kind `notifier event add` records, asking the
fields that kind takes (notifier.core.recording.USED_BY), read as the command line reads them."""

from __future__ import annotations

from collections.abc import Mapping

from notifier.core import recording
from notifier.core.events import INCIDENT_TYPES
from notifier.errors import InputError, Problem

# Each kind of event: its title, and its fields in the order asked, as (name, label, kind of
# input, hint). tests/pages/test_event_forms.py holds them to recording.EVENT_KINDS/USED_BY.
EVENT_FORMS: dict[str, tuple[str, tuple[tuple[str, str, str, str], ...]]] = {
    "incident": (
        "A serious incident",
        (
            ("type", "Kind of harm", "select", ""),
            ("aware_on", "Became aware of the model's involvement on", "date", ""),
        ),
    ),
    "downstream-request": (
        "A downstream provider's request for information",
        (
            ("received_on", "Received on", "date", ""),
            ("requester", "Who asked", "text", "Optional: the downstream provider"),
        ),
    ),
    "commission-request": (
        "A Commission (AI Office) request",
        (
            ("received_on", "Received on", "date", ""),
            ("due", "Due date the request sets", "date", "Give this, or the period in days"),
            ("period_days", "Or: period in days", "number", "From the day received"),
            ("reference", "Reference", "text", "Optional: the request's reference"),
        ),
    ),
    "notification": (
        "The Art 52(1) notification, sent",
        (("sent_on", "Sent on", "date", ""),),
    ),
    "designation": (
        "A Commission designation decision",
        (
            ("decided_on", "Decision dated", "date", ""),
            (
                "informed_on",
                "You were informed of it on",
                "date",
                "Optional: the day the decision reached you, if later than its date",
            ),
        ),
    ),
    "arguments-decision": (
        "The Commission's decision on your Art 52(2) arguments",
        (
            ("decision", "Outcome", "select", ""),
            ("decided_on", "Decision dated", "date", ""),
        ),
    ),
    "further-training": (
        "The model was further trained",
        (
            ("trained_on", "Trained on", "date", ""),
            (
                "compute_flop",
                "Cumulative training compute after it (FLOP)",
                "text",
                "Optional: e.g. 2.1e25",
            ),
        ),
    ),
    "evaluator-findings": (
        "An external evaluator's findings",
        (("aware_on", "Made aware of them on", "date", ""),),
    ),
    "model-report-delayed": (
        "The Model Report delayed to facilitate placing",
        (("decided_on", "Decided on", "date", ""),),
    ),
    "reference-model-lost": (
        "A safe reference model lost that status",
        (("aware_on", "Became aware of it on", "date", ""),),
    ),
    "copyright-complaint": (
        "A rightsholder's copyright complaint",
        (
            ("received_on", "Received on", "date", ""),
            ("requester", "Who complained", "text", "Optional: the rightsholder"),
        ),
    ),
}
# The options of each select, as the command line's --type and --decision choices.
CHOICES: dict[str, tuple[str, ...]] = {
    "type": INCIDENT_TYPES,
    "decision": recording.ARGUMENTS_OUTCOMES,
}
DATE_FIELDS = {*recording.EVENT_DATES, "due"}


def parse_fields(
    form: Mapping[str, str], names: tuple[str, ...]
) -> tuple[dict[str, object], list[Problem]]:
    """The fields typed, as the command line's options read them; a problem per unreadable one."""
    values: dict[str, object] = {}
    problems: list[Problem] = []
    for name in names:
        text = form.get(name, "").strip()
        if not text:
            continue
        if name in DATE_FIELDS:
            try:
                values[name] = recording.read_date(name, text)
            except InputError as error:
                problems += error.problems
        elif name == "period_days":
            if text.lstrip("-").isdigit():
                values[name] = int(text)
            else:
                problems.append(Problem(name, f"'{text}' is not a whole number of days"))
        elif name == "compute_flop":
            try:
                values[name] = float(text)
            except ValueError:
                problems.append(Problem(name, f"'{text}' is not a number; write it like 2.1e25"))
        else:
            values[name] = text
    return values, problems
