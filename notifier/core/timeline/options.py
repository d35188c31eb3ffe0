"""What the timeline is told besides the register and the rules: settings and recorded facts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from notifier.core.events import DoneMark, Event
from notifier.core.items import Unusable
from notifier.core.law.model import Period, SettingName
from notifier.core.periods import WEEKENDS_ONLY, BusinessCalendar


@dataclass(frozen=True)
class TimelineOptions:
    due_soon_days: int = 30
    cadences: Mapping[SettingName, Period] = field(default_factory=dict)
    business_calendar: BusinessCalendar = WEEKENDS_ONLY
    # L5: business days towards the AI Office are also counted on this calendar (the
    # Commission's), and the earlier date is shown, the other named; None: one calendar only
    compared_calendar: BusinessCalendar | None = None
    done: Mapping[str, Sequence[DoneMark]] = field(default_factory=dict)
    notifications_sent: Mapping[str, date] = field(default_factory=dict)  # model id -> date
    events: Sequence[Event] = ()  # recorded events and watcher findings
    # settings overriding periods (days)
    offsets: Mapping[SettingName, int] = field(default_factory=dict)
    signatory_list_changed_on: date | None = None  # the watcher's latest signatory-list change
    unusable: Sequence[Unusable] = ()  # recorded events the store could not read
    # Give a model the timeline of an earlier model of the same shape, renamed (shapes.py);
    # False works out every model (the tests compare the two).
    reuse_shapes: bool = True
