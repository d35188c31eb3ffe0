"""The European Commission's public holidays for its staff in Brussels (REFERENCE.md L5). Pure.

Adopted years come from the rule data (commission_holidays.toml, each with its Official Journal
source). A year without an adopted decision follows the usual pattern of those decisions,
labelled as the inference it is: 1 and 2 January, Maundy Thursday, Good Friday, Easter Monday,
1 May, 9 May (Schuman Declaration), Ascension Day and the day after, Whit Monday, 21 July
(Belgian National Holiday, staff in Brussels), 15 August, 1 and 2 November, 24 to 31 December.
11 November is not a Commission holiday.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

import tomli
from pydantic import BaseModel, ConfigDict, ValidationError

from notifier.core.periods import BusinessCalendar
from notifier.errors import InputError, Problem


class AdoptedYear(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    year: int
    source: str
    days: tuple[date, ...]


def parse_adopted(text: str, source: str) -> dict[int, AdoptedYear]:
    """The adopted years of the rule data; a defect is a packaging bug, reported as bad input."""
    try:
        years = [AdoptedYear.model_validate(y) for y in tomli.loads(text).get("year", [])]
    except (tomli.TOMLDecodeError, ValidationError) as error:
        raise InputError([Problem(source, f"Commission holidays are invalid: {error}")]) from None
    wrong = [y.year for y in years if any(d.year != y.year for d in y.days)]
    if wrong:
        raise InputError([Problem(source, f"days outside their year in {wrong}")])
    return {y.year: y for y in years}


def easter(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def usual_pattern(year: int) -> frozenset[date]:
    """The days the Commission's decisions usually list for Brussels (inference for a year)."""
    sunday = easter(year)
    movable = {-3, -2, 1, 39, 40, 50}  # Maundy Thu, Good Fri, Easter Mon, Ascension, +1, Whit Mon
    fixed = [(1, 1), (1, 2), (5, 1), (5, 9), (7, 21), (8, 15), (11, 1), (11, 2)]
    days = {sunday + timedelta(days=n) for n in movable}
    days |= {date(year, month, day) for month, day in fixed}
    days |= {date(year, 12, day) for day in range(24, 32)}
    return frozenset(days)


def commission_calendar(
    adopted: Mapping[int, AdoptedYear], years: Iterable[int]
) -> BusinessCalendar:
    """Monday-Friday less the Commission's holidays over `years`: the adopted list where there
    is one, else the usual pattern (those years are the calendar's `assumed_years`)."""
    days: set[date] = set()
    assumed = []
    for year in years:
        if year in adopted:
            days |= set(adopted[year].days)
        else:
            days |= usual_pattern(year)
            assumed.append(year)
    name = (
        "Monday-Friday less the European Commission's public holidays for staff in Brussels "
        "(adopted decisions where published, else their usual pattern)"
    )
    return BusinessCalendar(name, frozenset(days), frozenset(assumed))
