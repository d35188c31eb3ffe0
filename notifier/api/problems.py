"""Errors as RFC 9457 problem details (application/problem+json)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pydantic import BaseModel, Field
from starlette.responses import JSONResponse

from notifier.errors import Problem as InputProblem

MEDIA_TYPE = "application/problem+json"
TITLES = {
    400: "Bad request",
    401: "Not signed in",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
}


class FieldError(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details; `errors` names each field that is wrong."""

    type: str = "about:blank"
    title: str
    status: int = Field(ge=400, le=599)
    detail: str
    errors: list[FieldError] = []


def problem(
    status: int,
    detail: str,
    *,
    errors: Iterable[FieldError] = (),
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = Problem(
        title=TITLES.get(status, "Error"), status=status, detail=detail, errors=list(errors)
    )
    return JSONResponse(
        body.model_dump(mode="json"),
        status_code=status,
        media_type=MEDIA_TYPE,
        headers={"cache-control": "no-store", **(headers or {})},
    )


def from_problems(status: int, detail: str, problems: Iterable[InputProblem]) -> JSONResponse:
    """The checks of notifier.core.recording, each message beside its field."""
    return problem(
        status,
        detail,
        errors=[FieldError(field=p.source.split("/")[0], message=p.message) for p in problems],
    )
