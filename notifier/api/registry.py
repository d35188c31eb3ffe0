"""One list of operations that both serves the routes and writes the OpenAPI 3.1 document: a
route cannot exist undocumented, and the document cannot describe a route that is not there.

Each operation names its method and path, the token scope it needs, the pydantic models of
its query, body and answer, and the error statuses it may give (each a problem document).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from notifier.api.problems import MEDIA_TYPE, Problem

Handler = Callable[[Request], Awaitable[Response]]
Scope = Literal["read", "write"]
REF = "#/components/schemas/{model}"
_PARAM = re.compile(r"{([a-z_]+)(?::path)?}")


@dataclass(frozen=True)
class Operation:
    method: Literal["GET", "POST"]
    path: str  # Starlette's form: "/api/v1/items/{item_id:path}"
    operation_id: str
    summary: str
    scope: Scope
    answer: type[BaseModel]
    handler: Handler
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    status: int = 200
    errors: tuple[int, ...] = ()
    tag: str = "read"

    @property
    def openapi_path(self) -> str:
        return _PARAM.sub(r"{\1}", self.path)

    @property
    def path_params(self) -> list[str]:
        return _PARAM.findall(self.path)


COMMON_ERRORS = (400, 401, 403, 429)


@dataclass
class Registry:
    title: str
    version: str
    operations: list[Operation] = field(default_factory=list)

    def add(self, operation: Operation) -> None:
        self.operations.append(operation)

    def routes(self) -> list[Route]:
        return [Route(o.path, o.handler, methods=[o.method]) for o in self.operations]

    def openapi(self) -> dict[str, Any]:
        models: set[type[BaseModel]] = {Problem}
        for o in self.operations:
            models |= {m for m in (o.answer, o.body) if m is not None}
        keyed = [(m, "validation") for m in sorted(models, key=lambda m: m.__name__)]
        refs, defs = models_json_schema(keyed, ref_template=REF)  # type: ignore[arg-type]
        schemas = defs.get("$defs", {})

        def ref(model: type[BaseModel]) -> dict[str, Any]:
            return dict(refs[(model, "validation")])

        paths: dict[str, dict[str, Any]] = {}
        for o in self.operations:
            parameters: list[dict[str, Any]] = [
                {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
                for p in o.path_params
            ]
            if o.query is not None:
                shape = o.query.model_json_schema()
                for name, schema in shape.get("properties", {}).items():
                    parameters.append(
                        {
                            "name": name,
                            "in": "query",
                            "required": name in shape.get("required", []),
                            "schema": {k: v for k, v in schema.items() if k != "title"},
                        }
                    )
            problem = {MEDIA_TYPE: {"schema": ref(Problem)}}
            responses: dict[str, Any] = {
                str(o.status): {
                    "description": "OK" if o.status == 200 else "Recorded",
                    "content": {"application/json": {"schema": ref(o.answer)}},
                }
            }
            for status in sorted({*COMMON_ERRORS, *o.errors}):
                responses[str(status)] = {"description": "A problem", "content": problem}
            spec: dict[str, Any] = {
                "operationId": o.operation_id,
                "summary": o.summary,
                "tags": [o.tag],
                "security": [{"token": []}],
                "description": f"Needs a token of scope `{o.scope}`.",
                "responses": responses,
            }
            if parameters:
                spec["parameters"] = parameters
            if o.body is not None:
                spec["requestBody"] = {
                    "required": True,
                    "content": {"application/json": {"schema": ref(o.body)}},
                }
            paths.setdefault(o.openapi_path, {})[o.method.lower()] = spec
        return {
            "openapi": "3.1.0",
            "info": {
                "title": self.title,
                "version": self.version,
                "description": (
                    "Personal tokens (`notifier token create`, or the /tokens page) are sent "
                    "as `Authorization: Bearer <token>`. Errors are RFC 9457 problem details."
                ),
            },
            "paths": paths,
            "components": {
                "schemas": schemas,
                "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
            },
        }
