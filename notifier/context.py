"""Everything a command needs, loaded once: settings, register, rules, timeline options, store.

The clock is read once per run, by the caller, and passed in as `now`.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Collection, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from notifier.core.days import organisation_day
from notifier.core.law import RuleSet, load_ruleset
from notifier.core.register import Register, parse_register
from notifier.core.register.channels import channel_problems
from notifier.core.timeline import TimelineOptions
from notifier.errors import Problem, RegisterError
from notifier.input_files import Unreadable, read_limited
from notifier.settings import Settings, load_settings
from notifier.store.engine import Store
from notifier.store.events import load_events
from notifier.store.marks import load_marks
from notifier.store.watch import code_revisions, signatory_list_changed_on


class KnownZones(Collection[str]):
    """The IANA time zones this machine knows, as `zoneinfo.available_timezones()` lists them,
    without listing them for a membership test: listing walks the whole time zone database
    (20 to 40 ms at every start, issue 22). A key is listed exactly when it is a zone file on
    the time zone path or in tzdata, i.e. when ZoneInfo loads it, except 'posixrules' and the
    right/ and posix/ copies, which the listing leaves out too."""

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str) or name == "posixrules":
            return False
        if name.split("/", 1)[0] in ("right", "posix"):
            return False
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(zoneinfo.available_timezones()))

    def __len__(self) -> int:
        return len(zoneinfo.available_timezones())


@dataclass(frozen=True)
class Context:
    settings: Settings
    register: Register
    rules: RuleSet
    options: TimelineOptions
    store: Store

    @property
    def timezone(self) -> str:
        return self.register.organisation.timezone

    def day(self, instant: datetime) -> date:
        """The organisation's calendar date at `instant`."""
        return organisation_day(instant, self.timezone)


def read_register(
    path: Path, now: datetime, *, channels: Collection[str] | None = None
) -> Register:
    """Read and validate the register file; RegisterError names the file in every problem.
    With `channels` (those the settings name), a person's unknown channel is one too."""
    source = str(path)
    try:
        data = read_limited(path)
    except Unreadable as error:
        raise RegisterError([Problem(source, f"cannot read the register: {error}")]) from None
    except FileNotFoundError:
        raise RegisterError(
            [
                Problem(
                    source,
                    "register file not found; give its path with --register or NOTIFIER_REGISTER",
                )
            ]
        ) from None
    except OSError as error:
        raise RegisterError(
            [Problem(source, f"cannot read the register: {error.strerror}")]
        ) from None
    zones = KnownZones()

    def today(written_zone: object) -> date:
        """'Today' in the register's own time zone, before full validation (UTC if unusable)."""
        zone = written_zone if isinstance(written_zone, str) else "UTC"
        return organisation_day(now, zone if zone in zones else "UTC")

    register = parse_register(data, source, today, zones)
    if channels is not None:
        unknown = channel_problems(register, data.decode("utf-8", "replace"), channels)
        if unknown:
            raise RegisterError(unknown)
    return register


def load_context(
    config: Path | None,
    register: Path | None,
    now: datetime,
    *,
    read_only: bool = False,
) -> Context:
    """Settings, register, rules and store as of `now`. Read-only commands (check, timeline,
    status, the JSON timeline) neither create nor migrate the store."""
    settings = load_settings(config)
    if register is not None:
        settings = settings.model_copy(update={"register_file": register})
    loaded = read_register(settings.register_file, now, channels=settings.channels)
    return assembled(settings, loaded, now, read_only=read_only)


def assembled(
    settings: Settings, loaded: Register, now: datetime, *, read_only: bool = False
) -> Context:
    """The context of settings and a register already read (a feed build in a child process
    is handed the daemon's own), with the store opened and what it holds as of now."""
    options = TimelineOptions(
        due_soon_days=settings.due_soon_days,
        cadences=settings.cadences.periods(),
        business_calendar=settings.business_days.calendar(settings.cache_dir),
        compared_calendar=settings.business_days.compared(),
        offsets={
            "code_revision_review": settings.watch.review_due_days,
            "copyright_complaint": settings.cadences.copyright_complaint_days,
        },
    )
    store = Store.open(settings.database_url, now, read_only=read_only)
    # After the store opened: a command refused for bad input leaves nothing behind, and a
    # read-only one creates no folder.
    settings.business_days.keep(options.business_calendar, settings.cache_dir, create=not read_only)
    return refreshed(Context(settings, loaded, load_ruleset(), options, store))


def opened_for_writing(context: Context, now: datetime) -> Context:
    """The context with its store opened to take writes (created now if it did not exist: a
    read-only context holds a transient store until something is to be written)."""
    if not context.store.transient:
        return context
    return refreshed(replace(context, store=Store.open(context.settings.database_url, now)))


def refreshed(context: Context) -> Context:
    """The same context with what the store holds now: done marks, events, watcher findings."""
    store = context.store
    loaded = load_events(store)
    options = replace(
        context.options,
        done=load_marks(store),
        events=(*loaded.events, *code_revisions(store)),
        unusable=loaded.unusable,
        signatory_list_changed_on=signatory_list_changed_on(store),
    )
    return replace(context, options=options)
