"""Facts the user records: events (and watcher findings) that start clocks, and done marks.

Pure values. They live in the state store and are handed to the timeline, which derives the
events' items from the rule data (scope "event") and closes items with the done marks.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Literal

IncidentType = Literal["critical-infrastructure", "cybersecurity", "death", "other-harm"]
INCIDENT_TYPES: tuple[IncidentType, ...] = (
    "critical-infrastructure",
    "cybersecurity",
    "death",
    "other-harm",
)
EventKind = Literal[
    "incident",
    "downstream-request",
    "commission-request",
    "notification",
    "designation",
    "arguments-decision",
    "further-training",
    "evaluator-findings",
    "model-report-delayed",
    "reference-model-lost",
    "copyright-complaint",
    "code-revision",
]
ArgumentsOutcome = Literal["accepted", "rejected"]


@dataclass(frozen=True)
class DoneMark:
    """A user's record that an item (or one occurrence of a recurring item) was met."""

    on: date
    note: str = ""


@dataclass(frozen=True)
class Incident:
    """A serious incident the provider became aware of the model's involvement in."""

    id: str
    model: str
    type: IncidentType
    aware_on: date
    resolved_on: date | None = None
    kind: EventKind = "incident"


@dataclass(frozen=True)
class DownstreamRequest:
    """A downstream provider's request for additional information (Transparency Measure 1.2)."""

    id: str
    model: str
    received_on: date
    requester: str = ""
    kind: EventKind = "downstream-request"


@dataclass(frozen=True)
class CommissionRequest:
    """A Commission (AI Office) request for information or access, with the period it sets."""

    id: str
    model: str | None
    received_on: date
    due: date
    reference: str = ""
    kind: EventKind = "commission-request"


@dataclass(frozen=True)
class NotificationSent:
    """The Art 52(1) notification actually sent."""

    id: str
    model: str
    sent_on: date
    kind: EventKind = "notification"


@dataclass(frozen=True)
class DesignationDecision:
    """A Commission decision designating a model (Art 52(4)) or maintaining a designation;
    `informed_on`: the day the provider was informed of it, when recorded (K4, L1)."""

    id: str
    model: str
    decided_on: date
    kind: EventKind = "designation"
    informed_on: date | None = None


@dataclass(frozen=True)
class ArgumentsDecided:
    """The Commission's decision on the provider's Art 52(2) arguments (Art 52(3)): accepted
    (not systemic from the day the provider is informed, GL s.2.3.3) or rejected."""

    id: str
    model: str
    decision: ArgumentsOutcome
    decided_on: date
    kind: EventKind = "arguments-decision"


@dataclass(frozen=True)
class FurtherTraining:
    """The provider further trained the placed model (e.g. on additional data, TPL point 29);
    `compute_flop`, if given, is the cumulative training compute after it (Art 51(2))."""

    id: str
    model: str
    trained_on: date
    compute_flop: float | None = None
    kind: EventKind = "further-training"


@dataclass(frozen=True)
class EvaluatorFindings:
    """An external evaluator's findings the provider was made aware of (CoP S&S Measure 3.5)."""

    id: str
    model: str
    aware_on: date
    kind: EventKind = "evaluator-findings"


@dataclass(frozen=True)
class ModelReportDelayed:
    """The Model Report (or its update) is delayed to facilitate placing (Measure 7.7)."""

    id: str
    model: str
    decided_on: date
    kind: EventKind = "model-report-delayed"


@dataclass(frozen=True)
class ReferenceModelLost:
    """A safe reference model the model relies on lost that status (Appendix 2.2)."""

    id: str
    model: str
    aware_on: date
    kind: EventKind = "reference-model-lost"


@dataclass(frozen=True)
class CopyrightComplaint:
    """A rightsholder's complaint under the Copyright chapter (Measure 1.5)."""

    id: str
    model: str
    received_on: date
    complainant: str = ""
    kind: EventKind = "copyright-complaint"


@dataclass(frozen=True)
class CodeRevision:
    """A watcher finding: a watched Code of Practice source changed."""

    id: str
    source: str
    detected_on: date
    kind: EventKind = "code-revision"


Event = (
    Incident
    | DownstreamRequest
    | CommissionRequest
    | NotificationSent
    | DesignationDecision
    | ArgumentsDecided
    | FurtherTraining
    | EvaluatorFindings
    | ModelReportDelayed
    | ReferenceModelLost
    | CopyrightComplaint
    | CodeRevision
)


def occurred_on(event: Event) -> date:
    """The day the event happened, by which the model's status is judged (K4, K6, K7)."""
    if isinstance(event, Incident | EvaluatorFindings | ReferenceModelLost):
        return event.aware_on
    if isinstance(event, DownstreamRequest | CommissionRequest | CopyrightComplaint):
        return event.received_on
    if isinstance(event, NotificationSent):
        return event.sent_on
    if isinstance(event, DesignationDecision | ArgumentsDecided | ModelReportDelayed):
        return event.decided_on
    if isinstance(event, FurtherTraining):
        return event.trained_on
    return event.detected_on


def describe(event: Event) -> str:
    """An event in one line, `kind: field=value, ...` (the audit log's detail, the pack's)."""
    parts = [f"{k}={v}" for k, v in asdict(event).items() if k not in ("id", "kind") and v]
    return f"{event.kind}: " + ", ".join(str(p) for p in parts)
