"""The pages people read: the organisation (/), a model, an item, the audit log, their feeds."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from notifier.app import audit, history, moves
from notifier.app.events import recorded_events
from notifier.app.records import live_id, mark_history, marks_shown
from notifier.core.advice import advise
from notifier.core.days import local_instant
from notifier.core.items import Item
from notifier.core.recording import read_date
from notifier.errors import InputError
from notifier.web.event_forms import EVENT_FORMS
from notifier.web.site import Snapshot, Web
from notifier.web.svg import timeline_svg
from notifier.web.views import (
    Overview,
    find_item,
    model_of,
    open_counts,
    overview,
    people_names,
)

AUDIT_LIMIT = 500


async def health_banner(web: Web) -> dict[str, Any] | None:
    if web.health is None:
        return None
    try:
        health = await asyncio.to_thread(web.health)
    except Exception as error:  # the page still shows; the banner says why it cannot tell
        return {"status": "unknown", "problems": [{"kind": "health", "detail": str(error)}]}
    if health.get("status") == "ok":
        return None
    return {"status": health.get("status", "unknown"), "problems": list(health.get("problems", []))}


# The last overview and its tables, by (timeline, environment, window); the key's objects are
# held with them, so that their ids cannot be reused.
_tables: dict[tuple[int, int, int], tuple[object, Overview, Markup]] = {}


def home_tables(web: Web, snap: Snapshot, window_days: int) -> tuple[Overview, Markup]:
    """The overview and its tables (overdue, due soon, models by regime): the same for every
    viewer of one timeline, so computed and rendered once per timeline (issue 22: at 1,000
    models they were most of the page's cost)."""
    key = (id(snap.timeline), id(web.env), window_days)
    found = _tables.get(key)
    if found is not None:
        return found[1], found[2]
    view = overview(snap.timeline, window_days)
    body = Markup(
        web.env.get_template("_home_tables.html").render(
            today=snap.today, overview=view, open_counts=open_counts
        )
    )
    _tables.clear()
    _tables[key] = ((snap.timeline, web.env), view, body)
    return view, body


def routes(web: Web) -> list[BaseRoute]:
    async def home(request: Request) -> Response:
        snap = await web.snapshot(request)
        if isinstance(snap, Response):
            return snap
        result = snap.timeline
        settings = snap.context.settings
        view, tables = await asyncio.to_thread(home_tables, web, snap, settings.due_soon_days)
        return web.page(
            request,
            "home.html",
            {
                "today": snap.today,
                "timeline": result,
                "register": snap.context.register,
                "overview": view,
                "tables": tables,
                "banner": await health_banner(web),
                "may_record_org": snap.viewer.may_act_on(snap.context.register, None),
            },
            viewer=snap.viewer,
        )

    async def model_page(request: Request) -> Response:
        snap = await web.snapshot(request)
        if isinstance(snap, Response):
            return snap
        model_id = request.path_params["model_id"]
        register = snap.context.register
        model = model_of(register, model_id)
        found = next((m for m in snap.timeline.models if m.id == model_id), None)
        if model is None or found is None:
            return not_found(web, request, snap, f"There is no model '{model_id}' in the register.")
        items = list(found.items)
        records = await asyncio.to_thread(mark_history, snap.context, {live_id(i) for i in items})
        lately = await asyncio.to_thread(moves.lately, snap.context, snap.now, model=model.id)
        return web.page(
            request,
            "model.html",
            {
                "today": snap.today,
                "now": snap.now,
                "model": model,
                "found": found,
                "items": items,
                "marks": {i.id: marks_shown(i, items, records) for i in items},
                "reasons": found.reasons,
                "owners": people_names(register, model.owners),
                "chart": timeline_svg(items, snap.today, f"Timeline of {model.name}"),
                "may_act": snap.viewer.may_act_on(register, model.id),
                "law": snap.timeline.law,
                "draft_kinds": DRAFT_LABELS,
                "event_forms": EVENT_FORMS,
                "moves": lately,
            },
            viewer=snap.viewer,
        )

    async def item_page(request: Request) -> Response:
        snap = await web.snapshot(request)
        if isinstance(snap, Response):
            return snap
        item = find_item(snap.timeline, request.path_params["item_id"])
        if item is None:
            return not_found(web, request, snap, "There is no such item in the timeline today.")
        return await item_view(web, request, snap, item)

    async def audit_page(request: Request) -> Response:
        snap = await web.snapshot(request)
        if isinstance(snap, Response):
            return snap
        return await audit_view(web, request, snap)

    async def advice_page(request: Request) -> Response:
        snap = await web.snapshot(request)
        if isinstance(snap, Response):
            return snap
        context = snap.context
        advice = advise(context.register, snap.timeline, context.rules.landmarks)
        return web.page(
            request,
            "advice.html",
            {"advice": advice, "titles": CHAPTER_TITLES, "recommendations": RECOMMENDATIONS},
            viewer=snap.viewer,
        )

    return [
        Route("/", home, methods=["GET"]),
        Route("/models/{model_id}", model_page, methods=["GET"]),
        Route("/items/{item_id:path}", item_page, methods=["GET"]),
        Route("/audit", audit_page, methods=["GET"]),
        Route("/advice", advice_page, methods=["GET"]),
    ]


DRAFT_LABELS = (
    ("model-documentation", "Model Documentation Form"),
    ("training-summary", "Public summary of training content"),
    ("notification", "Art 52(1) notification"),
    ("incident-report", "Serious incident report"),
    ("alternative-means", "Alternative adequate means"),
)
CHAPTER_TITLES = {
    "transparency": "Transparency",
    "copyright": "Copyright",
    "safety_and_security": "Safety and Security",
}
RECOMMENDATIONS = {
    "operate-per-code": "Signed: operate per the Code.",
    "sign-or-document-alternative": (
        "Not signed: sign the chapter, or document the alternative adequate means of compliance."
    ),
    "keep-alternative-current": "Not signed: keep the documented alternative means current.",
    "not-relevant": "Not relevant to your models.",
}


def not_found(web: Web, request: Request, snap: Snapshot, message: str) -> Response:
    return web.refusal(request, 404, "Not found", message, snap.viewer)


async def item_view(
    web: Web,
    request: Request,
    snap: Snapshot,
    item: Item,
    *,
    errors: Mapping[str, str] | None = None,
    values: Mapping[str, str] | None = None,
    status: int = 200,
) -> Response:
    """The item page; with `errors`, the form as sent and each message beside its field."""
    context = snap.context
    items = snap.timeline.all_items()
    records = await asyncio.to_thread(mark_history, context, {live_id(item)})
    marks = marks_shown(item, items, records)
    ids = {item.id, live_id(item)}
    reminders = await asyncio.to_thread(history.reminders, context, ids)
    events = (await asyncio.to_thread(recorded_events, context)).events
    event = next((e for e in events if e.id == item.event), None)
    subjects = ids | ({item.event} if item.event else set())
    past = await asyncio.to_thread(history.audit, context, subjects=subjects, limit=AUDIT_LIMIT)
    lately = await asyncio.to_thread(moves.lately, context, snap.now, item=item.id)
    register = snap.context.register
    model = model_of(register, item.model) if item.model else None
    correctable = [m for m in marks if m.in_force]
    return web.page(
        request,
        "item.html",
        {
            "today": snap.today,
            "item": item,
            "model": model,
            "owners": people_names(register, item.owners),
            "marks": marks,
            "reminders": reminders,
            "event": event,
            "history": past,
            "moves": lately,
            "may_act": snap.viewer.may_act(item),
            "can_mark": item.status != "done",
            "correctable": correctable,
            "errors": errors or {},
            "values": values or {"on": snap.today.isoformat(), "note": "", "evidence_url": ""},
            "recurring_open": item.occurrence is None
            and any(o.occurrence is not None and live_id(o) == item.id for o in items),
        },
        viewer=snap.viewer,
        status=status,
    )


@dataclass(frozen=True)
class AuditFilter:
    since: date | None
    until: date | None
    model: str
    kind: str


async def audit_view(web: Web, request: Request, snap: Snapshot) -> Response:
    query = request.query_params
    errors: dict[str, str] = {}
    days: dict[str, date | None] = {}
    for name in ("since", "until"):
        text = query.get(name, "").strip()
        days[name] = None
        if text:
            try:
                days[name] = read_date(name, text)
            except InputError as error:
                errors[name] = error.problems[0].message
    chosen = AuditFilter(
        days["since"], days["until"], query.get("model", ""), query.get("kind", "")
    )
    tz = snap.context.timezone
    since = local_instant(chosen.since, time(), tz) if chosen.since else None
    until = local_instant(chosen.until + timedelta(days=1), time(), tz) if chosen.until else None
    entries = await asyncio.to_thread(
        history.audit,
        snap.context,
        since=since,
        until=until,
        actions=[chosen.kind] if chosen.kind else [],
        limit=AUDIT_LIMIT * 4 if chosen.model else AUDIT_LIMIT,
    )
    if chosen.model:
        m = chosen.model
        entries = [
            e
            for e in entries
            if e.subject.startswith(f"{m}/")
            or e.subject == f"model:{m}"
            or f"model={m}" in e.detail
        ]
    names = {p.id: p.name for p in snap.context.register.people}
    return web.page(
        request,
        "audit.html",
        {
            "entries": entries[:AUDIT_LIMIT],
            "limited": len(entries) >= AUDIT_LIMIT,
            "limit": AUDIT_LIMIT,
            "filter": chosen,
            "query": {k: query.get(k, "") for k in ("since", "until", "model", "kind")},
            "errors": errors,
            "kinds": await asyncio.to_thread(history.audit_kinds, snap.context),
            "models": snap.context.register.models,
            "names": names,
            "chain": await asyncio.to_thread(audit.head, snap.context),
        },
        viewer=snap.viewer,
        status=400 if errors else 200,
    )
