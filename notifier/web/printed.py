"""The evidence pack's PDF is the pages printed: the pack template (templates/pack.html) uses
the model page's and the advice page's own macros and the print stylesheet, inline. And the one
function the command line and the pages call to make a pack."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from typing import Any

from jinja2 import Environment

from notifier.app.records import marks_shown
from notifier.context import Context
from notifier.core.days import zone
from notifier.core.events import Event, describe
from notifier.core.items import Item
from notifier.core.register import Model
from notifier.documents.pack import Pack, build_pack
from notifier.documents.records import PackRecords
from notifier.web.pages import CHAPTER_TITLES, RECOMMENDATIONS
from notifier.web.render import environment
from notifier.web.views import people_names

# Above this many models, each item is a paragraph rather than a row of the model page's table:
# WeasyPrint lays tables out slowly (a 1,000-model register: minutes instead of under one).
COMPACT_ABOVE = 25
# Models per HTML document of a large pack: the documents are printed in parallel, then joined.
CHUNK = 100


@dataclass(frozen=True)
class EventShown:
    id: str
    kind: str
    detail: str
    items: list[Item]


def evidence_pack(context: Context, now: datetime, as_of: date, model_id: str | None) -> Pack:
    """The pack of one model (or of the register) as of a day: what `notifier export pack` and
    the pages' download both give."""
    env = environment(context.settings.templates_dir)
    return build_pack(
        context, now, as_of, model_id, lambda records: pack_html(env, context, records)
    )


def _static(name: str) -> str:
    return resources.files("notifier.web").joinpath("static", name).read_text(encoding="utf-8")


def pack_html(env: Environment, context: Context, records: PackRecords) -> list[str]:
    """The pack's pages as HTML documents, in order: one, or for a large register one per
    CHUNK models (the front matter in the first, the organisation's items and the advice in the
    last), so that they can be printed side by side."""
    register = context.register
    by_id: dict[str, Model] = {m.id: m for m in records.models}
    models: list[dict[str, Any]] = []
    for found in records.timeline.models:
        model = by_id[found.id]
        items = list(found.items)
        models.append(
            {
                "model": model,
                "found": found,
                "reasons": found.reasons,
                "owners": people_names(register, model.owners),
                "marks": {i.id: marks_shown(i, items, records.marks) for i in items},
                "events": [
                    _event(e, items)
                    for e in records.events
                    if getattr(e, "model", None) == model.id
                ],
            }
        )
    subject = (
        f"{records.models[0].name} ({records.model_id})"
        if records.model_id is not None
        else f"every model of {register.organisation.name}"
    )
    template = env.get_template("pack.html")
    chunks = [models[start : start + CHUNK] for start in range(0, len(models), CHUNK)] or [[]]
    return [
        template.render(
            front=n == 0,
            tail=n == len(chunks) - 1,
            models=chunk,
            model_count=len(models),
            **_common(register.organisation.name, subject, records, len(models) > COMPACT_ABOVE),
        )
        for n, chunk in enumerate(chunks)
    ]


def _common(organisation: str, subject: str, records: PackRecords, compact: bool) -> dict[str, Any]:
    return {
        "organisation": organisation,
        "subject": subject,
        "today": records.as_of,
        "made_at": records.made_at,
        "zone": zone(records.timezone),
        "timezone": records.timezone,
        "rules": records.rules,
        "chain": records.chain,
        "organisation_items": list(records.timeline.organisation_items),
        "compact": compact,
        "advice": records.advice,
        "titles": CHAPTER_TITLES,
        "recommendations": RECOMMENDATIONS,
        "site_css": _static("site.css"),
        "print_css": _static("print.css"),
    }


def _event(event: Event, items: list[Item]) -> EventShown:
    return EventShown(
        event.id, event.kind, describe(event), [i for i in items if i.event == event.id]
    )
