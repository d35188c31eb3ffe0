"""Due dates of the duties that recorded events start (incidents, requests, decisions). Pure."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from notifier.core.events import (
    CodeRevision,
    CommissionRequest,
    DesignationDecision,
    DownstreamRequest,
    Event,
    Incident,
    occurred_on,
)
from notifier.core.law.model import (
    INCIDENT_FINAL_REPORT,
    INCIDENT_INITIAL_REPORT,
    Period,
    Rule,
    SettingName,
)
from notifier.core.periods import BusinessCalendar
from notifier.core.timeline.due_dates import Derived, Subject, move


def derive_event(
    rule: Rule,
    subject: Subject,
    business: BusinessCalendar,
    earlier: Mapping[str, Derived],
    offsets: Mapping[SettingName, int],
) -> Derived:
    """The due date of `rule` for the event in `subject` (for a recurring rule: its start)."""
    spec = rule.due
    event = subject.event
    assert event is not None
    offset = spec.offset
    if spec.offset_setting is not None and spec.offset_setting in offsets:
        offset = Period(value=offsets[spec.offset_setting], unit="days")
    if spec.anchor == "event_day":
        start: date | None = occurred_on(event)
    elif spec.anchor == "event_model_placing":
        start = subject.model.placing if subject.model is not None else None
    else:
        start = None if spec.anchor == "none" else _start(spec.anchor, event, earlier)
    if start is None:
        return Derived(None)
    if spec.anchor == "incident_aware":
        assert isinstance(event, Incident)
        assert spec.days_by_type is not None
        due = move(start, Period(value=spec.days_by_type[event.type], unit="days"), business)
    elif spec.anchor == "request_due":
        assert isinstance(event, CommissionRequest)
        due = event.due
    elif spec.every is not None:
        due = start  # recurring: the builder adds the intervals
    else:
        due = move(start, offset, business)
        due = due + timedelta(days=1) if spec.after_period_ends else due
    return Derived(due, start)


def _start(anchor: str, event: Event, earlier: Mapping[str, Derived]) -> date | None:
    """The day the event's period runs from, or None while it has not happened."""
    if isinstance(event, Incident):
        starts = {
            "incident_aware": event.aware_on,
            "incident_resolved": event.resolved_on,
            "incident_documented": max(event.aware_on, event.resolved_on or event.aware_on),
            "incident_initial": (
                earlier[INCIDENT_INITIAL_REPORT].due if INCIDENT_INITIAL_REPORT in earlier else None
            ),
            # L6: the documentation includes the final report: as made, else as due (None
            # while unresolved: the retention's end is not yet known)
            "incident_final_report": (
                earlier[INCIDENT_FINAL_REPORT].due if INCIDENT_FINAL_REPORT in earlier else None
            ),
        }
        return starts.get(anchor)
    if isinstance(event, DownstreamRequest | CommissionRequest):
        return event.received_on
    if isinstance(event, DesignationDecision):
        return event.decided_on
    if isinstance(event, CodeRevision):
        return event.detected_on
    return None
