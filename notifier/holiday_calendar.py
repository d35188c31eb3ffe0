"""The business-day calendar from the `holidays` package (an edge: the core takes a set)."""

from __future__ import annotations

import holidays

from notifier.errors import Problem, SettingsError
from notifier.periods import BusinessCalendar

YEARS = range(2024, 2046)  # covers every period the rule data can reach (10-year retentions)


def business_calendar(country: str, subdivision: str | None = None) -> BusinessCalendar:
    """Monday-Friday less the public holidays of `country`, labelled as the assumption it is."""
    try:
        days = holidays.country_holidays(country, subdiv=subdivision, years=YEARS)
    except NotImplementedError:
        raise SettingsError(
            [
                Problem(
                    "settings",
                    f"business_days.country '{country}' is not "
                    "a country the holidays package knows; use "
                    'an ISO code such as "BE"',
                )
            ]
        ) from None
    where = country + (f"-{subdivision}" if subdivision else "")
    name = (
        f"Monday-Friday less public holidays of {where} (holidays package); an assumption, "
        "as the Code of Practice does not define business days"
    )
    return BusinessCalendar(name, frozenset(days.keys()))
