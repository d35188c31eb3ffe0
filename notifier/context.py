"""Everything a command needs, loaded once: settings, register, rules and timeline options."""

from __future__ import annotations

import tomllib
import zoneinfo
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from notifier import clock
from notifier.errors import Problem, RegisterError
from notifier.holiday_calendar import business_calendar
from notifier.law import RuleSet, load_ruleset
from notifier.register import Register, parse_register
from notifier.settings import Settings, load_settings
from notifier.store import Store
from notifier.store.event_log import load_events
from notifier.store.marks import load_marks
from notifier.store.watch_state import code_revisions, signatory_list_changed_on
from notifier.timeline import TimelineOptions


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


def read_register(path: Path) -> Register:
    """Read and validate the register file; RegisterError names the file in every problem."""
    source = str(path)
    try:
        data = path.read_bytes()
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
    zones = zoneinfo.available_timezones()
    return parse_register(data, source, clock.today(_declared_zone(data, zones)), zones)


def _declared_zone(data: bytes, zones: set[str]) -> str:
    """The register's own time zone for 'today', before full validation (UTC if unusable)."""
    try:
        zone = tomllib.loads(data.decode("utf-8")).get("organisation", {}).get("timezone")
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, AttributeError):
        return "UTC"
    return zone if isinstance(zone, str) and zone in zones else "UTC"


def load_context(config: Path | None = None, register: Path | None = None) -> Context:
    settings = load_settings(config)
    if register is not None:
        settings = settings.model_copy(update={"register_file": register})
    loaded = read_register(settings.register_file)
    store = Store.open(settings.database_url, clock.now("UTC"))
    options = TimelineOptions(
        due_soon_days=settings.due_soon_days,
        cadences=settings.cadences.periods(),
        business_calendar=business_calendar(
            settings.business_days.country, settings.business_days.subdivision
        ),
        offsets={"code_revision_review": settings.watch.review_due_days},
    )
    return refreshed(Context(settings, loaded, load_ruleset(), options, store))


def refreshed(context: Context) -> Context:
    """The same context with what the store holds now: done marks, events, watcher findings."""
    store = context.store
    options = replace(
        context.options,
        done=load_marks(store),
        events=(*load_events(store), *code_revisions(store)),
        signatory_list_changed_on=signatory_list_changed_on(store),
    )
    return replace(context, options=options)


def default_as_of(context: Context) -> date:
    return clock.today(context.timezone)
