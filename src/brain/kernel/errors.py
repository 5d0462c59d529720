"""One error shape for the whole API: RFC 9457 problem details.

Domain code raises the exceptions below; `install_error_handlers` and `UnexpectedErrorMiddleware`
turn them, request validation errors and anything unexpected into `application/problem+json`
responses. Bad input never answers 500.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from brain.kernel.observability import ASGIApp, Message, Receive, Scope, Send, current_request_id

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"


class FieldError(BaseModel):
    field: str = Field(description="Dotted path of the failing field, e.g. `body.title`.")
    reason: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = Field(description="A URI reference naming the kind of problem.")
    title: str
    status: int
    detail: str
    instance: str | None = None
    request_id: str | None = None
    errors: list[FieldError] | None = Field(
        default=None, description="The failing fields, for validation errors."
    )


class BrainError(Exception):
    """Base of every error the API turns into a problem response."""

    status: int = 500
    slug: str = "internal-error"
    title: str = "Internal Server Error"

    def __init__(
        self,
        detail: str,
        *,
        errors: Sequence[FieldError] | None = None,
        extra: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors) if errors else None
        self.extra = dict(extra or {})
        self.headers = dict(headers or {})


class BadRequest(BrainError):
    status, slug, title = 400, "bad-request", "Bad Request"


class ValidationFailed(BrainError):
    """A request its schema admits but a rule beyond the schema refuses (a referenced id that is
    not the tenant's, an unknown template, an archive that is not a zip, a range too long): 422
    of type `/problems/unprocessable`. What the schema itself refuses is a 422 of type
    `/problems/validation-error` (`validation_problem`); the OpenAPI document names both."""

    status, slug, title = 422, "unprocessable", "Unprocessable Content"

    @classmethod
    def field(cls, field: str, reason: str) -> ValidationFailed:
        return cls(f"{field}: {reason}", errors=[FieldError(field=field, reason=reason)])


class Unauthorized(BrainError):
    status, slug, title = 401, "unauthorized", "Unauthorized"

    def __init__(self, detail: str = "a valid API key is required") -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="brain"'})


class Forbidden(BrainError):
    status, slug, title = 403, "forbidden", "Forbidden"


class NotFound(BrainError):
    status, slug, title = 404, "not-found", "Not Found"


class Conflict(BrainError):
    status, slug, title = 409, "conflict", "Conflict"


class PayloadTooLarge(BrainError):
    status, slug, title = 413, "payload-too-large", "Payload Too Large"


class ServiceUnavailable(BrainError):
    status, slug, title = 503, "service-unavailable", "Service Unavailable"


def problem_response(
    status: int,
    slug: str,
    title: str,
    detail: str,
    *,
    instance: str | None = None,
    errors: Sequence[FieldError] | None = None,
    extra: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = Problem(
        type=f"/problems/{slug}",
        title=title,
        status=status,
        detail=detail,
        instance=instance,
        request_id=current_request_id(),
        errors=list(errors) if errors else None,
    ).model_dump(exclude_none=True)
    body.update(extra or {})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _field_path(loc: Sequence[Any]) -> str:
    return ".".join(str(part) for part in loc) or "body"


def validation_problem(exc: RequestValidationError, instance: str) -> JSONResponse:
    raw = exc.errors()
    if any(err.get("type") == "json_invalid" for err in raw):
        detail = next(err for err in raw if err.get("type") == "json_invalid")
        reason = (detail.get("ctx") or {}).get("error", "invalid JSON")
        return problem_response(
            400,
            "malformed-json",
            "Malformed JSON",
            f"the request body is not valid JSON: {reason}",
            instance=instance,
            errors=[FieldError(field="body", reason=str(reason))],
        )
    errors = [FieldError(field=_field_path(err["loc"]), reason=err["msg"]) for err in raw]
    summary = "; ".join(f"{e.field}: {e.reason}" for e in errors[:5])
    return problem_response(
        422, "validation-error", "Validation Failed", summary, instance=instance, errors=errors
    )


_SLUGS = {413: PayloadTooLarge.slug, 401: Unauthorized.slug, 404: NotFound.slug}
_TITLES = {413: PayloadTooLarge.title}


def allowed_methods(request: Request) -> list[str]:
    """Every method some route of the app answers at the request's path (Starlette's own 405
    names only the first route whose path matched, and FastAPI's included routers hide their
    routes from a plain walk of `app.router.routes`)."""
    path = request.scope.get("path", "")
    methods: set[str] = set()
    for route in iter_route_contexts(request.app.router.routes):
        regex = getattr(route, "path_regex", None)
        if route.methods and regex is not None and regex.match(path):
            methods |= set(route.methods)
    return sorted(methods)


UNPROCESSABLE_DESCRIPTION = (
    "`/problems/validation-error`: the request does not match this schema (each field named in "
    "`errors`). `/problems/unprocessable`: it matches, but a rule the schema cannot state refuses "
    "it: a referenced id that is not the tenant's, an unknown template, an uploaded archive that "
    "is not a zip, a date range over 366 days, a state that does not allow the change."
)


def problem_openapi(app: FastAPI) -> None:
    """The OpenAPI document as the API answers: a validation failure is a problem document
    (`application/problem+json`), and a route that takes a body answers 400 to malformed JSON."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        spec = generate()
        problem = {"$ref": "#/components/schemas/Problem"}
        spec.setdefault("components", {}).setdefault("schemas", {})["Problem"] = (
            Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        )
        spec["components"]["schemas"]["FieldError"] = FieldError.model_json_schema()
        spec["components"]["schemas"].pop("HTTPValidationError", None)
        spec["components"]["schemas"].pop("ValidationError", None)
        for operations in spec.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                if "422" in responses:
                    responses["422"]["content"] = {PROBLEM_MEDIA_TYPE: {"schema": problem}}
                    responses["422"]["description"] = UNPROCESSABLE_DESCRIPTION
                if "requestBody" in operation:
                    responses.setdefault(
                        "400",
                        {
                            "description": "Malformed JSON",
                            "content": {PROBLEM_MEDIA_TYPE: {"schema": problem}},
                        },
                    )
                for status, response in responses.items():
                    content = response.get("content") or {}
                    if status[0] in "45" and "application/json" in content:
                        response["content"] = {PROBLEM_MEDIA_TYPE: {"schema": problem}}
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented override


def install_error_handlers(app: FastAPI) -> None:
    async def on_brain_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, BrainError)
        return problem_response(
            exc.status,
            exc.slug,
            exc.title,
            exc.detail,
            instance=request.url.path,
            errors=exc.errors,
            extra=exc.extra,
            headers=exc.headers,
        )

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return validation_problem(exc, request.url.path)

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 405:
            exc.headers = {**(exc.headers or {}), "Allow": ", ".join(allowed_methods(request))}
        phrase = HTTPStatus(exc.status_code).phrase
        slug = _SLUGS.get(exc.status_code) or phrase.lower().replace(" ", "-")
        phrase = _TITLES.get(exc.status_code, phrase)
        detail = exc.detail if isinstance(exc.detail, str) else phrase
        return problem_response(
            exc.status_code, slug, phrase, detail, instance=request.url.path, headers=exc.headers
        )

    app.add_exception_handler(BrainError, on_brain_error)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)


class UnexpectedErrorMiddleware:
    """Turns an unhandled exception into a 500 problem carrying the request id, and logs it.

    It sits inside the request-id middleware so the id is still known, which Starlette's own
    server-error handler (outermost of all) could not guarantee.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            response = problem_response(
                500,
                "internal-error",
                "Internal Server Error",
                "an unexpected error occurred; quote the request id when reporting it",
                instance=scope.get("path"),
            )
            await response(scope, receive, send)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries documenting the problem shape for each status."""
    return {
        status: {
            "model": Problem,
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_MEDIA_TYPE: {}},
        }
        for status in statuses
    }
