"""Jinja2 for the pages: templates shipped in the package (notifier/web/templates/); a file of
the same name in `<templates_dir>/web/` wins, as for email. Undefined variables are errors and
everything is escaped."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined

from notifier.core.items import Item

STATUS_LABELS = {
    "overdue": "Overdue",
    "due-soon": "Due soon",
    "upcoming": "Upcoming",
    "standing": "Standing duty",
    "done": "Done",
    "open": "Open (a right you may exercise)",
}
REGIME_LABELS = {
    "chapter-v": "Chapter V applies",
    "art-111-3-transition": "Art 111(3) transition",
    "planned": "Planned",
    "downstream": "Downstream",
}
BASIS_LABELS = {"law": "Law", "code": "Code of Practice", "guidance": "Commission guidance"}
VERIFICATION_HELP = {
    "primary": "read in the primary legal text",
    "secondary": "from secondary sources only",
    "inference": "inferred from verified text; another reading may exist",
    "unverified": "not verified",
}


def environment(templates_dir: Path | None) -> Environment:
    overrides = [FileSystemLoader(templates_dir / "web")] if templates_dir else []
    env = Environment(
        loader=ChoiceLoader([*overrides, PackageLoader("notifier.web", "templates")]),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        day=day_text,
        moment=moment_text,
        money=money_text,
        status_label=STATUS_LABELS.get,
        regime_label=REGIME_LABELS.get,
        basis_label=BASIS_LABELS.get,
        verification_help=VERIFICATION_HELP.get,
        days_text=days_text,
    )
    env.globals.update(item_href=item_href, days_text=days_text)
    return env


# Not strftime('%a'): its names follow the C library's locale, which a library (Pango, when a
# pack is printed) may set; these never change.
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def day_text(value: date | None) -> str:
    """ISO and the weekday: exact in every locale, and easy to check against a calendar."""
    if value is None:
        return "no fixed date"
    return f"{value.isoformat()} ({WEEKDAYS[value.weekday()]})"


def moment_text(value: datetime | None, zone: Any = None) -> str:
    if value is None:
        return ""
    local = value.astimezone(zone) if zone is not None else value
    return local.strftime("%Y-%m-%d %H:%M %Z").strip()


def money_text(value: int | None) -> str:
    return "not computed (annual_turnover_eur not given)" if value is None else f"EUR {value:,}"


def days_text(item: Item, today: date) -> str:
    if item.due is None:
        return "continuing duty"
    if item.status == "done":
        return f"met {day_text(item.done_on)}" if item.done_on else "passed"
    left = (item.due - today).days
    if left > 1:
        return f"in {left} days"
    if left == 1:
        return "tomorrow"
    if left == 0:
        return "today"
    return f"{-left} day{'s' if left != -1 else ''} late"


def item_href(item_id: str) -> str:
    """Item ids are slugs joined by '/' and '@': safe in a path as they are."""
    return f"/items/{item_id}"
