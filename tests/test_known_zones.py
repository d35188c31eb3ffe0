"""The register's time zone check answers as `zoneinfo.available_timezones()` would, without
listing the whole database at every start (issue 22)."""

from __future__ import annotations

import os
import zoneinfo

import pytest

from notifier.context import KnownZones


def names_on_this_machine() -> set[str]:
    """Every file under the time zone path, as a key, and every listed zone."""
    found = set(zoneinfo.available_timezones())
    for base in zoneinfo.TZPATH:
        for folder, _dirs, files in os.walk(base):
            found |= {os.path.relpath(os.path.join(folder, f), base) for f in files}
    return found


def test_every_name_is_known_exactly_when_it_is_listed() -> None:
    listed = zoneinfo.available_timezones()
    known = KnownZones()

    differ = sorted(n for n in names_on_this_machine() if (n in listed) != (n in known))

    assert differ == []
    assert set(known) == listed
    assert len(known) == len(listed)


@pytest.mark.parametrize(
    "name",
    ["Europe/Pari", "europe/paris", "posixrules", "right/UTC", "posix/Europe/Paris", "",
     "../etc/passwd", "/etc/passwd", "Europe/../Europe/Paris", "Europe/Paris\x00"],
)  # fmt: skip
def test_names_that_are_not_zones_are_unknown(name: str) -> None:
    assert name not in KnownZones()
    assert name not in zoneinfo.available_timezones()
