"""The timeline: regimes, items, due dates and event dates, computed from the register and rules."""

from notifier.core.events import DoneMark
from notifier.core.timeline.build import as_date, fine_ceiling, regime_of, timeline
from notifier.core.timeline.options import TimelineOptions

__all__ = ["DoneMark", "TimelineOptions", "as_date", "fine_ceiling", "regime_of", "timeline"]
