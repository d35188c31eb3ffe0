"""What people record: an item met (and a correction of that), and events that start clocks.

Every check is notifier.core.recording's, as for the command line: a refusal shows the same
message beside the field and records nothing. Owners act on their models' items, the
organisation's contacts on everything (403 otherwise); the audit log names the person (`web:<id>`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from datetime import date

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from notifier.app import events, records
from notifier.core import recording
from notifier.core.events import Event
from notifier.core.items import Item
from notifier.errors import InputError, Problem
from notifier.web.event_forms import CHOICES, EVENT_FORMS, parse_fields
from notifier.web.pages import item_view, not_found
from notifier.web.site import Snapshot, Web
from notifier.web.views import find_item, model_of

logger = logging.getLogger(__name__)


def actor(snap: Snapshot) -> str:
    """Who the audit log says acted: the person's register id, via the web."""
    return f"web:{snap.viewer.person.id}"


def field_errors(problems: list[Problem]) -> dict[str, str]:
    """Each message beside its field (a message about two fields sits by the first)."""
    errors: dict[str, str] = {}
    for problem in problems:
        field = problem.source.split("/")[0]
        errors[field] = f"{errors[field]} {problem.message}" if field in errors else problem.message
    return errors


def forbidden(web: Web, request: Request, snap: Snapshot, what: str) -> Response:
    return web.refusal(
        request,
        403,
        "Not yours to record",
        f"{what} Everyone signed in may read; the owners act on their models, the "
        "organisation's contacts on everything. Nothing was recorded.",
        snap.viewer,
    )


def routes(web: Web) -> list[BaseRoute]:
    async def item_action(request: Request) -> Response:
        posted = await web.posted(request)
        if isinstance(posted, Response):
            return posted
        form, snap = posted
        item = find_item(snap.timeline, request.path_params["item_id"])
        if item is None:
            return not_found(web, request, snap, "There is no such item in the timeline today.")
        if not snap.viewer.may_act(item):
            return forbidden(web, request, snap, "You are not an owner of this item.")
        return await record_mark(web, request, snap, item, form)

    async def event_form(request: Request) -> Response:
        return await record_event_page(web, request)

    async def resolve(request: Request) -> Response:
        return await resolve_page(web, request)

    return [
        Route("/items/{item_id:path}", item_action, methods=["POST"]),
        Route("/models/{model_id}/record/{kind}", event_form, methods=["GET", "POST"]),
        Route("/organisation/record/{kind}", event_form, methods=["GET", "POST"]),
        Route("/events/{event_id}/resolve", resolve, methods=["GET", "POST"]),
    ]


async def record_mark(
    web: Web, request: Request, snap: Snapshot, item: Item, form: Mapping[str, str]
) -> Response:
    """A done mark, or a correction of one: the use case is notifier.app.records', as for
    `notifier done`; its refusals are shown beside the fields."""
    values = {k: form.get(k, "").strip() for k in ("on", "note", "evidence_url", "mark", "next")}
    # A note typed over several lines in the text box is kept as one line: the audit log
    # and the mails show one line per entry (other control characters are refused).
    values["note"] = " ".join(values["note"].splitlines())
    correcting = form.get("action") == "correct"
    try:
        on = recording.read_date("on", values["on"]) if values["on"] else None
        if correcting:
            mark = int(values["mark"]) if values["mark"].isdigit() else None
            done = await asyncio.to_thread(
                records.correct,
                snap.context,
                item,
                mark,
                now=snap.now,
                actor=actor(snap),
                on=on or snap.today,
                note=values["note"],
                evidence_url=values["evidence_url"],
            )
        else:
            done = await asyncio.to_thread(
                records.done,
                snap.context,
                item.id,
                now=snap.now,
                actor=actor(snap),
                on=on,
                note=values["note"],
                evidence_url=values["evidence_url"],
                allow_next=bool(values["next"]),
            )
    except InputError as error:
        return await item_view(
            web,
            request,
            snap,
            item,
            errors=field_errors(error.problems),
            values={**values, "action": "correct" if correcting else "done"},
            status=400,
        )
    verb = "Corrected: met on" if correcting else "Recorded: met on"
    return web.redirect(f"/items/{item.id}", f"{verb} {done.on.isoformat()}. {item.title}")


async def follow_up(snap: Snapshot, event: Event) -> list[str]:
    """What `notifier event add` does after recording: the owners told at once when the event
    is urgent. The event is recorded whatever happens here: a failure is said, and the
    reminders follow as scheduled."""
    try:
        return (await events.tell_owners(snap.context, event, snap.now)).lines
    except Exception as error:
        logger.exception("telling the owners at once after %s failed", event.id)
        return [
            f"Could not email the owners at once ({type(error).__name__}); the event is "
            "recorded and the reminders follow on the normal schedule."
        ]


async def record_event_page(web: Web, request: Request) -> Response:
    viewed = await web.viewed(request)
    if isinstance(viewed, Response):
        return viewed
    form, snap = viewed
    kind = request.path_params["kind"]
    model_id: str | None = request.path_params.get("model_id")
    register = snap.context.register
    if kind not in EVENT_FORMS or (model_id is None and kind != "commission-request"):
        return not_found(web, request, snap, f"There is no form for '{kind}'.")
    model = model_of(register, model_id) if model_id else None
    if model_id is not None and model is None:
        return not_found(web, request, snap, f"There is no model '{model_id}' in the register.")
    if not snap.viewer.may_act_on(register, model_id):
        who = "this model" if model_id else "the organisation"
        return forbidden(web, request, snap, f"You may not record events for {who}.")
    title, fields = EVENT_FORMS[kind]
    values = {name: "" for name, *_ in fields}
    errors: dict[str, str] = {}
    preview = None
    if form is not None:
        values = {name: form.get(name, "").strip() for name, *_ in fields}
        parsed, problems = parse_fields(form, tuple(values))
        if not problems and form.get("preview"):  # what it would move; nothing recorded
            fields_given = recording.EventFields(model=model_id, **parsed)  # type: ignore[arg-type]
            try:
                preview = await asyncio.to_thread(
                    events.would_move, snap.context, kind, fields_given, now=snap.now
                )
            except InputError as error:
                problems = error.problems
        elif not problems:
            fields_given = recording.EventFields(model=model_id, **parsed)  # type: ignore[arg-type]
            try:
                event = await asyncio.to_thread(
                    events.add, snap.context, kind, fields_given, now=snap.now, actor=actor(snap)
                )
            except InputError as error:
                problems = error.problems
            else:
                said = [f"Recorded {event.id}.", *await follow_up(snap, event)]
                back = f"/models/{model_id}" if model_id else "/"
                return web.redirect(back, " ".join(said))
        errors = field_errors(problems)
    return web.page(
        request,
        "record_event.html",
        {
            "kind": kind,
            "title": title,
            "fields": fields,
            "values": values,
            "errors": errors,
            "model": model,
            "choices": CHOICES,
            "today": snap.today,
            "preview": preview,
        },
        viewer=snap.viewer,
        status=400 if errors else 200,
    )


async def resolve_page(web: Web, request: Request) -> Response:
    viewed = await web.viewed(request)
    if isinstance(viewed, Response):
        return viewed
    form, snap = viewed
    try:
        incident = await asyncio.to_thread(
            events.find_incident, snap.context, request.path_params["event_id"]
        )
    except InputError as error:
        return not_found(web, request, snap, error.problems[0].message)
    if not snap.viewer.may_act_on(snap.context.register, incident.model):
        return forbidden(web, request, snap, "You may not record events for this model.")
    value = snap.today.isoformat()
    errors: dict[str, str] = {}
    if form is not None:
        value = form.get("on", "").strip()
        try:
            on: date = recording.read_date("on", value)
            resolved = await asyncio.to_thread(
                events.resolve, snap.context, incident.id, on, now=snap.now, actor=actor(snap)
            )
        except InputError as error:
            problems = error.problems
        else:
            said = [
                f"Recorded {incident.id} resolved on {on.isoformat()}.",
                *await follow_up(snap, resolved),
            ]
            return web.redirect(f"/models/{incident.model}", " ".join(said))
        errors = field_errors(problems)
    return web.page(
        request,
        "resolve.html",
        {"incident": incident, "value": value, "errors": errors, "today": snap.today},
        viewer=snap.viewer,
        status=400 if errors else 200,
    )
