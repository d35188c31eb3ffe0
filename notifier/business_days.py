"""Public holidays for business-day periods: computed by the holidays package, kept in
cache_dir between runs (loading the package's 250 countries was a fifth of every command's
start). Derived data: a missing, torn or foreign cache file only means computing them again.
"""

from __future__ import annotations

import functools
import json
import logging
from datetime import date
from importlib.metadata import version
from pathlib import Path
from typing import Any

from notifier.errors import Problem, SettingsError
from notifier.output_files import replace_whole

logger = logging.getLogger(__name__)

YEARS = range(2024, 2046)  # every period the rule data can reach (10-year retentions)


def public_holidays(
    country: str, subdivision: str | None, cache_dir: Path | None = None
) -> frozenset[date]:
    """The public holidays of `country` (and `subdivision`) over YEARS, from `cache_dir` when
    they were kept there; SettingsError for a country the holidays package does not know."""
    if cache_dir is not None:
        found = _cached(*_entry(country, subdivision, cache_dir))
        if found is not None:
            return found
    import holidays  # slow to import, and only needed where business days are counted

    try:
        days = holidays.country_holidays(country, subdiv=subdivision, years=YEARS)
    except NotImplementedError:
        raise SettingsError(
            [
                Problem(
                    "settings",
                    f"business_days.country '{country}' is not a country the holidays "
                    'package knows; use an ISO code such as "BE"',
                )
            ]
        ) from None
    return frozenset(days.keys())


def keep_holidays(
    country: str,
    subdivision: str | None,
    days: frozenset[date],
    cache_dir: Path,
    *,
    create: bool = True,
) -> None:
    """Keep the days in `cache_dir` under a key of country, subdivision, years and the holidays
    package's version; the folder is created only if `create`."""
    path, key = _entry(country, subdivision, cache_dir)
    if _cached(path, key) == days:
        return
    try:
        if not create and not cache_dir.is_dir():
            return
    except OSError:  # a name the system refuses: nothing is kept
        return
    _write(path, key, days)


def _entry(country: str, subdivision: str | None, cache_dir: Path) -> tuple[Path, dict[str, Any]]:
    where = country + (f"-{subdivision}" if subdivision else "")
    key = {
        "country": country,
        "subdivision": subdivision,
        "years": [YEARS.start, YEARS.stop],
        "holidays": _package_version(),
    }
    return cache_dir / f"holidays-{where}.json", key


@functools.cache
def _package_version() -> str:
    """The holidays package's version (read from its metadata: once per process)."""
    return version("holidays")


def _cached(path: Path, key: dict[str, Any]) -> frozenset[date] | None:
    """The holidays kept for exactly `key`, or None (no file, another key, an unreadable or
    torn file: the caller computes them again)."""
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
        if kept["key"] != key:
            return None
        return frozenset(date.fromisoformat(day) for day in kept["days"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write(path: Path, key: dict[str, Any], days: frozenset[date]) -> None:
    """Write the cache file whole (a temporary file renamed over it); a folder that cannot be
    written only means the days are computed again next time."""
    text = json.dumps({"key": key, "days": sorted(d.isoformat() for d in days)})
    try:
        replace_whole(path, text.encode("utf-8"))
    except OSError as error:
        logger.debug("holiday cache not written to %s: %s", path, error)
