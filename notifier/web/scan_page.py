"""/scan: "Check your GPAI exposure", public (no sign-in), plain forms, no JavaScript.

It stores nothing: the answers travel in the form, the result is computed by the core's scan and
shown; only when the visitor asks for it is the starter register (or notifier.toml) sent back as
a download, still without anything written on the server. The forms carry the CSRF token like
every other form (the browser cookie is the only thing set).
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from notifier.core.days import organisation_day
from notifier.core.scan import Answers, load_scan_rules, scan
from notifier.core.scan.decide import CHAPTER_NAMES
from notifier.core.scan.questions import (
    MODEL_QUESTIONS,
    ORGANISATION_QUESTIONS,
    Question,
    Value,
    read_answer,
)
from notifier.core.scan.starter import starter_register, starter_settings
from notifier.errors import InputError
from notifier.web.session import CSRF_FIELD
from notifier.web.site import Web

NONE_OF_THESE = "-"  # a checkbox group's "none of these" (no box ticked is "not known")
FIELDS = tuple(
    [(f"org-{q.key}", q) for q in ORGANISATION_QUESTIONS]
    + [(f"model-{q.key}", q) for q in MODEL_QUESTIONS]
)
DOWNLOADS = ("register.toml", "notifier.toml")


def routes(web: Web) -> list[BaseRoute]:
    async def form(request: Request) -> Response:
        return _form(web, request, {}, {})

    async def result(request: Request) -> Response:
        answered = await _answered(web, request)
        if answered is None:
            return web.forbidden_form(request)
        texts, answers, errors = answered
        if answers is None:
            return _form(web, request, texts, errors, status=400)
        outcomes = scan(answers, load_scan_rules())
        hidden = [(k, v) for k, values in texts.items() for v in values]
        return web.page(
            request,
            "scan_result.html",
            {"outcomes": outcomes, "chapter_names": CHAPTER_NAMES, "hidden": hidden},
        )

    async def download(request: Request) -> Response:
        answered = await _answered(web, request)
        if answered is None:
            return web.forbidden_form(request)
        texts, answers, errors = answered
        if answers is None:
            return _form(web, request, texts, errors, status=400)
        wanted = texts.get("file", ["register.toml"])[0]
        if wanted not in DOWNLOADS:
            return web.refusal(
                request, 400, "No such file", "Choose register.toml or notifier.toml.", None
            )
        rules = load_scan_rules()
        zone = answers.organisation.timezone
        today = organisation_day(web.clock.now(), zone if zone in _zones() else "UTC")
        try:
            text = (
                starter_register(answers, scan(answers, rules), rules, today)
                if wanted == "register.toml"
                else starter_settings()
            )
        except InputError as error:
            message = "; ".join(p.message for p in error.problems)
            return web.refusal(
                request, 400, "The starter register needs one more answer", message, None
            )
        if text is None:
            return web.refusal(
                request,
                400,
                "Nothing to register",
                "None of the answers brings duties the register tracks (not a general-purpose AI "
                "model, or used as a deployer only): there is no starter register to write.",
                None,
            )
        return Response(
            text,
            media_type="application/toml; charset=utf-8",
            headers={
                "content-disposition": f'attachment; filename="{wanted}"',
                "cache-control": "no-store",
            },
        )

    return [
        Route("/scan", form, methods=["GET"]),
        Route("/scan", result, methods=["POST"]),
        Route("/scan/download", download, methods=["POST"]),
    ]


def _zones() -> frozenset[str]:
    import zoneinfo

    return frozenset(zoneinfo.available_timezones())


def _form(
    web: Web,
    request: Request,
    texts: Mapping[str, list[str]],
    errors: Mapping[str, str],
    status: int = 200,
) -> Response:
    return web.page(
        request,
        "scan.html",
        {
            "organisation_fields": [(f"org-{q.key}", q) for q in ORGANISATION_QUESTIONS],
            "model_fields": [(f"model-{q.key}", q) for q in MODEL_QUESTIONS],
            "texts": texts,
            "errors": errors,
            "labels": {name: q.prompt for name, q in FIELDS},
            "none_of_these": NONE_OF_THESE,
        },
        status=status,
    )


async def _answered(
    web: Web, request: Request
) -> tuple[dict[str, list[str]], Answers | None, dict[str, str]] | None:
    """The posted texts, the answers they make (None with errors by field), or None if the
    CSRF token is missing or wrong."""
    async with request.form(max_files=0, max_fields=80) as posted:
        texts: dict[str, list[str]] = {}
        for key, value in posted.multi_items():
            if isinstance(value, str) and key != CSRF_FIELD:
                texts.setdefault(key, []).append(value[:1000])
        token = posted.get(CSRF_FIELD)
    if not web.cookies.csrf_ok(request, token):
        return None
    errors: dict[str, str] = {}
    organisation: dict[str, Value] = {}
    model: dict[str, Value] = {}
    for name, question in FIELDS:
        try:
            answer = _value(question, texts.get(name, []))
        except ValueError as error:
            errors[name] = str(error)
            continue
        if answer is not None:
            (organisation if name.startswith("org-") else model)[question.key] = answer
    if "model-id" not in errors and "id" not in model:
        errors["model-id"] = "an id is needed, e.g. our-model"
    if errors:
        return texts, None, errors
    answers = Answers.model_validate(
        {"organisation": organisation, "models": [model], "source": "the /scan form"}
    )
    return texts, answers, {}


def _value(question: Question, posted: list[str]) -> Value:
    if question.kind == "choices":
        if NONE_OF_THESE in posted:
            return ()
        return read_answer(question, " ".join(posted)) if posted else None
    return read_answer(question, posted[0] if posted else "")
