"""The operations of /api/v1/ and /api/openapi.json, all from one registry (api/registry.py).

Reads need a token of scope read or write; writes a token of scope write, and the person's
rights by the register (web/session.py `Viewer`: owners act on their models, contacts on
everything, everyone else reads). Every write goes through api/actions.py and is audited as
`api:<person> (<token name>)`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.datastructures import URLPath
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Match, NoMatchFound, Route
from starlette.types import Receive, Send
from starlette.types import Scope as AsgiScope

from notifier import __version__
from notifier.api import actions, schemas
from notifier.api.auth import Caller, Gate
from notifier.api.problems import FieldError, from_problems, problem
from notifier.api.registry import Operation, Registry, Scope
from notifier.app import events, feeds, history, records, tokens
from notifier.app.records import live_id
from notifier.clock import Clock
from notifier.context import Context, refreshed
from notifier.core.advice import advise
from notifier.core.events import Event
from notifier.core.items import Item, Timeline
from notifier.core.recording import EventFields
from notifier.core.timeline import timeline
from notifier.core.views.advice import advice_json
from notifier.core.views.timeline_json import item_json, timeline_json
from notifier.errors import InputError
from notifier.web.views import find_item

MAX_BODY = 65_536
Health = Callable[[], Mapping[str, Any]]
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Call:
    """One admitted request: who, the context, the instant, the day and the timeline."""

    caller: Caller
    context: Context
    now: datetime
    today: date
    timeline: Timeline


Inner = Callable[[Request, Call, Any], Awaitable[BaseModel | Response]]


def api_routes(
    current: Callable[[], Context],
    clock: Clock,
    *,
    health: Health | None = None,
) -> list[BaseRoute]:
    registry = build_registry(current, clock, health=health)

    async def openapi(request: Request) -> Response:
        return JSONResponse(registry.openapi(), headers={"cache-control": "no-store"})

    return [Route("/api/openapi.json", openapi, methods=["GET"]), *registry.routes(), Unknown()]


class Unknown(BaseRoute):
    """Anything else under /api/ (any method, any characters, a line break too, which
    Starlette's path patterns do not match): a problem document, never the pages' 404."""

    def matches(self, scope: AsgiScope) -> tuple[Match, AsgiScope]:
        path = scope.get("path", "")
        found = scope["type"] == "http" and (path == "/api" or path.startswith("/api/"))
        return (Match.FULL, {}) if found else (Match.NONE, {})

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        raise NoMatchFound(name, path_params)

    async def handle(self, scope: AsgiScope, receive: Receive, send: Send) -> None:
        answer = problem(404, "There is no such operation; /api/openapi.json lists them.")
        await answer(scope, receive, send)


def build_registry(
    current: Callable[[], Context],
    clock: Clock,
    *,
    health: Health | None = None,
) -> Registry:
    registry = Registry("GPAI obligations notifier API", __version__)
    api = current().settings.api
    gate = Gate(api.requests_per_minute, api.failed_per_minute)

    def add(
        method: str,
        path: str,
        summary: str,
        scope: Scope,
        answer: type[BaseModel],
        inner: Inner,
        *,
        body: type[BaseModel] | None = None,
        query: type[BaseModel] | None = None,
        status: int = 200,
        errors: tuple[int, ...] = (),
    ) -> None:
        async def handler(request: Request) -> Response:
            context = await asyncio.to_thread(refreshed, current())
            now = clock.now()
            admitted = await gate.admit(request, context, now, scope)
            if isinstance(admitted, Response):
                return admitted
            given: Any = None
            if body is not None:
                given = await _body(request, body)
            elif query is not None:
                given = _query(request, query)
            if isinstance(given, Response):
                return given
            today = context.day(now)
            result = timeline(context.register, context.rules, today, context.options)
            call = Call(admitted, context, now, today, result)
            try:
                answer_model = await inner(request, call, given)
            except InputError as error:
                return from_problems(422, "Nothing was recorded: see errors.", error.problems)
            if isinstance(answer_model, Response):
                return answer_model
            return JSONResponse(
                answer_model.model_dump(mode="json"),
                status_code=status,
                headers={"cache-control": "no-store"},
            )

        name = inner.__name__.strip("_")
        tag = "write" if scope == "write" else "read"
        registry.add(
            Operation(
                method,  # type: ignore[arg-type]
                path,
                name,
                summary,
                scope,
                answer,
                handler,
                body=body,
                query=query,
                status=status,
                errors=errors,
                tag=tag,
            )
        )

    # ------------------------------------------------------------------ reads
    async def organisation(request: Request, call: Call, _: None) -> BaseModel:
        org = call.context.register.organisation
        shape = timeline_json(call.timeline)["organisation"]
        return schemas.Organisation(
            name=org.name,
            established_in=org.established_in,
            timezone=org.timezone,
            contacts=list(org.contacts),
            admins=list(org.admins),
            fine_ceiling_eur=shape["fine_ceiling_eur"],
            fine_citation=shape["fine_citation"],
            as_of=call.today,
            items=shape["items"],
        )

    async def list_models(request: Request, call: Call, _: None) -> BaseModel:
        shape = timeline_json(call.timeline)
        return schemas.Models(as_of=call.today, models=shape["models"])

    async def get_model(request: Request, call: Call, _: None) -> BaseModel | Response:
        model_id = request.path_params["model_id"]
        shape = timeline_json(call.timeline)
        found = next((m for m in shape["models"] if m["id"] == model_id), None)
        if found is None:
            return problem(404, f"There is no model '{model_id}' in the timeline today.")
        return schemas.Model.model_validate(found)

    async def get_item(request: Request, call: Call, _: None) -> BaseModel | Response:
        item = find_item(call.timeline, request.path_params["item_id"])
        if item is None:
            return problem(404, "There is no such item in the timeline today.")
        marks = await asyncio.to_thread(
            records.marks_of, call.context, item, call.timeline.all_items()
        )
        subjects = {item.id, live_id(item), *([item.event] if item.event else [])}
        past = await asyncio.to_thread(history.audit, call.context, subjects=subjects, limit=200)
        return schemas.ItemHistory(
            item=_item(item),
            may_act=call.caller.viewer.may_act(item),
            marks=[schemas.Mark.model_validate(asdict(m)) for m in marks],
            history=[schemas.AuditEntry.model_validate(asdict(e)) for e in past],
        )

    async def list_events(request: Request, call: Call, _: None) -> BaseModel:
        loaded = await asyncio.to_thread(events.recorded_events, call.context)
        return schemas.Events(events=[_event(e) for e in loaded.events])

    async def get_advice(request: Request, call: Call, _: None) -> BaseModel:
        context = call.context
        found = advise(context.register, call.timeline, context.rules.landmarks)
        return schemas.Advice.model_validate(advice_json(found))

    async def get_audit(request: Request, call: Call, page: schemas.AuditQuery) -> BaseModel:
        found = await asyncio.to_thread(
            tokens.audit_paged, call.context, page=page.page, per_page=page.per_page
        )
        return schemas.AuditPage(
            entries=[schemas.AuditEntry.model_validate(asdict(e)) for e in found.entries],
            page=page.page,
            per_page=page.per_page,
            total=found.total,
            head=found.head,
        )

    async def get_health(request: Request, call: Call, _: None) -> BaseModel:
        fields: dict[str, Any] = {"status": "ok"}
        if health is not None:
            fields.update(health())
        return schemas.Health.model_validate(fields)

    # ------------------------------------------------------------------ writes
    async def mark_done(request: Request, call: Call, given: schemas.DoneIn) -> Any:
        item = find_item(call.timeline, request.path_params["item_id"])
        if item is None:
            return problem(404, "There is no such item in the timeline today.")
        if not call.caller.viewer.may_act(item):
            return _not_yours("You are not an owner of this item.")
        marked = await asyncio.to_thread(
            actions.mark_done,
            call.context,
            item,
            on=given.on,
            note=given.note,
            evidence_url=given.evidence_url,
            corrects=given.corrects,
            actor=call.caller.actor,
            now=call.now,
        )
        after = await asyncio.to_thread(refreshed, call.context)
        now_timeline = timeline(after.register, after.rules, call.today, after.options)
        shown = find_item(now_timeline, item.id)
        return schemas.DoneOut(
            item_id=live_id(item) if marked.corrected else item.id,
            on=marked.on,
            recorded_by=call.caller.actor,
            corrects=given.corrects,
            item=_item(shown) if shown is not None else None,
        )

    async def add_event(request: Request, call: Call, given: schemas.EventIn) -> Any:
        register = call.context.register
        if given.model is not None and not any(m.id == given.model for m in register.models):
            return problem(404, f"There is no model '{given.model}' in the register.")
        if not call.caller.viewer.may_act_on(register, given.model):
            return _not_yours("You may not record events for this model or the organisation.")
        fields = EventFields(**given.model_dump(exclude={"kind"}))
        event = await asyncio.to_thread(
            actions.add_event,
            call.context,
            given.kind,
            fields,
            actor=call.caller.actor,
            now=call.now,
        )
        return await _recorded(call, event)

    async def resolve_event(request: Request, call: Call, given: schemas.ResolveIn) -> Any:
        found = await _event_of(call, request.path_params["event_id"])
        if isinstance(found, Response):
            return found
        event = await asyncio.to_thread(
            actions.resolve_incident,
            call.context,
            found.id,
            given.on,
            actor=call.caller.actor,
            now=call.now,
        )
        return await _recorded(call, event)

    async def void_event(request: Request, call: Call, given: schemas.VoidIn) -> Any:
        found = await _event_of(call, request.path_params["event_id"])
        if isinstance(found, Response):
            return found
        await asyncio.to_thread(
            actions.void_event,
            call.context,
            found.id,
            given.reason,
            actor=call.caller.actor,
            now=call.now,
        )
        return schemas.Recorded(event=_event(found), items=[], said=[f"Voided {found.id}."])

    async def _event_of(call: Call, event_id: str) -> Event | Response:
        loaded = (await asyncio.to_thread(events.recorded_events, call.context)).events
        event = next((e for e in loaded if e.id == event_id), None)
        if event is None:
            return problem(404, f"There is no event '{event_id}' in force.")
        model = getattr(event, "model", None)
        if not call.caller.viewer.may_act_on(call.context.register, model):
            return _not_yours("You may not record events for this model or the organisation.")
        return event

    async def _recorded(call: Call, event: Event) -> BaseModel:
        try:  # the owners told at once when urgent, as `notifier event add` does
            said = (await events.tell_owners(call.context, event, call.now)).lines
        except Exception:  # recorded whatever happens; the reminders follow as scheduled
            said = ["Could not email the owners at once; the reminders follow as scheduled."]
        after = await asyncio.to_thread(refreshed, call.context)
        result = timeline(after.register, after.rules, call.today, after.options)
        items = [i for i in result.all_items() if i.event == event.id]
        return schemas.Recorded(event=_event(event), items=[_item(i) for i in items], said=said)

    # ------------------------------------------------------------------ admin
    async def list_tokens(request: Request, call: Call, _: None) -> BaseModel:
        viewer = call.caller.viewer
        person = None if viewer.admin else viewer.person.id
        found = await asyncio.to_thread(tokens.listed, call.context, person)
        return schemas.Tokens(tokens=[_token(t, call.now) for t in found])

    async def revoke_token(request: Request, call: Call, _: None) -> Any:
        viewer = call.caller.viewer
        given = request.path_params["token_id"]
        person = None if viewer.admin else viewer.person.id
        found = await asyncio.to_thread(tokens.listed, call.context, person)
        chosen = next((t for t in found if str(t.id) == given and t.live(call.now)), None)
        if chosen is None:
            return problem(404, f"No live token {given} of yours (an admin may revoke any).")
        await asyncio.to_thread(
            tokens.revoke, call.context, chosen.id, actor=call.caller.actor, now=call.now
        )
        listed = await asyncio.to_thread(tokens.listed, call.context, chosen.person)
        return next(_token(t, call.now) for t in listed if t.id == chosen.id)

    async def rotate_feed(request: Request, call: Call, given: schemas.RotateIn) -> Any:
        if not call.caller.viewer.admin:
            return _not_yours("Only the register's organisation.admins rotate feeds here.")
        await asyncio.to_thread(
            feeds.rotate, call.context, given.audience, now=call.now, actor=call.caller.actor
        )
        return schemas.Rotated(audience=given.audience, rotated_at=call.now)

    v1 = "/api/v1"
    add("GET", f"{v1}/organisation", "The organisation and its own items", "read",
        schemas.Organisation, organisation)  # fmt: skip
    add("GET", f"{v1}/models", "Every model with its regime and items", "read",
        schemas.Models, list_models)  # fmt: skip
    add("GET", f"{v1}/models/{{model_id}}", "One model with its regime and items", "read",
        schemas.Model, get_model, errors=(404,))  # fmt: skip
    add("POST", f"{v1}/items/{{item_id:path}}/done", "Record an item met (or correct a mark)",
        "write", schemas.DoneOut, mark_done, body=schemas.DoneIn, status=201,
        errors=(404, 413, 415, 422))  # fmt: skip
    add("GET", f"{v1}/items/{{item_id:path}}", "One item with its marks and history", "read",
        schemas.ItemHistory, get_item, errors=(404,))  # fmt: skip
    add("GET", f"{v1}/events", "The events in force", "read", schemas.Events, list_events)
    add("POST", f"{v1}/events", "Record an event", "write", schemas.Recorded, add_event,
        body=schemas.EventIn, status=201, errors=(404, 413, 415, 422))  # fmt: skip
    add("POST", f"{v1}/events/{{event_id}}/resolve", "Record an incident resolved", "write",
        schemas.Recorded, resolve_event, body=schemas.ResolveIn, status=201,
        errors=(404, 413, 415, 422))  # fmt: skip
    add("POST", f"{v1}/events/{{event_id}}/void", "Set aside an event recorded by mistake",
        "write", schemas.Recorded, void_event, body=schemas.VoidIn, status=201,
        errors=(404, 413, 415, 422))  # fmt: skip
    add("GET", f"{v1}/advice", "Should we sign the Code of Practice?", "read",
        schemas.Advice, get_advice)  # fmt: skip
    add("GET", f"{v1}/audit", "The audit log, newest first, a page at a time", "read",
        schemas.AuditPage, get_audit, query=schemas.AuditQuery)  # fmt: skip
    add("GET", f"{v1}/health", "The service's health, as /healthz", "read",
        schemas.Health, get_health)  # fmt: skip
    add("GET", f"{v1}/tokens", "API tokens: your own (an admin: everyone's)", "read",
        schemas.Tokens, list_tokens)  # fmt: skip
    add("POST", f"{v1}/tokens/{{token_id}}/revoke", "Revoke an API token at once", "write",
        schemas.Token, revoke_token, status=201, errors=(404,))  # fmt: skip
    add("POST", f"{v1}/feeds/rotate", "Give a feed a new secret link (admins)", "write",
        schemas.Rotated, rotate_feed, body=schemas.RotateIn, status=201,
        errors=(413, 415, 422))  # fmt: skip
    return registry


def _token(record: tokens.TokenRecord, now: datetime) -> schemas.Token:
    return schemas.Token(
        id=record.id,
        name=record.name,
        person=record.person,
        scope=record.scope,
        created_at=record.created_at,
        expires_at=record.expires_at,
        revoked_at=record.revoked_at,
        live=record.live(now),
    )


def _item(item: Item) -> schemas.Item:
    return schemas.Item.model_validate(item_json(item))


def _event(event: Event) -> schemas.Event:
    fields = {k: v.isoformat() if isinstance(v, date) else v for k, v in asdict(event).items()}
    return schemas.Event.model_validate(fields)


def _not_yours(why: str) -> Response:
    return problem(
        403,
        f"{why} Everyone may read; the owners act on their models, the organisation's contacts "
        "on everything. Nothing was recorded.",
    )


async def _body(request: Request, model: type[M]) -> M | Response:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json":
        return problem(415, "Send the body as JSON with 'Content-Type: application/json'.")
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_BODY:
            return problem(413, f"The body may be at most {MAX_BODY} bytes.")
    try:
        return model.model_validate_json(raw or b"null")
    except ValidationError as error:
        return _invalid(error)


def _query(request: Request, model: type[M]) -> M | Response:
    try:
        return model.model_validate(dict(request.query_params))
    except ValidationError as error:
        return _invalid(error)


def _invalid(error: ValidationError) -> Response:
    found = error.errors(include_url=False, include_context=False, include_input=False)
    if any(e["type"] == "json_invalid" for e in found):
        return problem(400, "The body is not valid JSON.")
    return problem(
        422,
        "Nothing was recorded: see errors.",
        errors=[
            FieldError(field=".".join(str(p) for p in e["loc"]) or "body", message=e["msg"])
            for e in found
        ],
    )
