"""What any request may carry, checked in one place for every route: text without control
characters and numbers that fit the columns they end up in.

- Bodies: every request model derives from `RequestModel`. Its validator refuses a control
  character (C0 or DEL) in any text of the body, in nested lists and maps too, with a 422 naming
  the field; a field annotated `Multiline` (Markdown, a description, a comment) may hold tab, line
  feed and carriage return. The rule is also written into the model's JSON Schema (a `pattern` on
  every string that has none), so the OpenAPI document says what is accepted.
- Query strings and paths: `RequestTextGuard` refuses a control character in a query parameter
  (422 naming `query.<name>`) or in the path (404: no resource has such a name) before routing.
- Numbers: query parameters use the bounded types below (`Offset`, `Position`); body fields
  declare `ge`/`le` that fit their column (`INT32_MAX` for `Integer`, `INT64_MAX` for
  `BigInteger`), and `RequestModel` refuses any integer beyond 64 bits as a last line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar
from urllib.parse import parse_qsl

from fastapi import Query
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from brain.kernel.errors import FieldError, problem_response
from brain.kernel.observability import ASGIApp, Receive, Scope, Send

INT32_MAX = 2**31 - 1
"""The largest value an `Integer` column holds (PostgreSQL's `integer`)."""
INT64_MAX = 2**63 - 1
"""The largest value a `BigInteger` column holds (and any SQLite integer)."""
MAX_OFFSET = INT32_MAX

SINGLE_LINE = "^[^\\u0000-\\u001f\\u007f]*$"
"""JSON Schema (and Python) pattern of text without any control character."""
MULTILINE = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$"
"""JSON Schema (and Python) pattern of text whose only control characters are tab, LF and CR."""
_SINGLE_LINE_BAD = re.compile("[\x00-\x1f\x7f]")
_MULTILINE_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Multiline:
    """Marks a text field that may hold tab, line feed and carriage return:
    `Annotated[str, Field(max_length=500), MULTILINE_TEXT]` (at the top level of the annotation,
    also for an optional field: `Annotated[str | None, MULTILINE_TEXT]`)."""

    def __repr__(self) -> str:
        return "Multiline()"


MULTILINE_TEXT = Multiline()


def control_character(text: str, *, multiline: bool = False) -> str | None:
    """Why `text` is refused (the first control character it holds), or None."""
    found = (_MULTILINE_BAD if multiline else _SINGLE_LINE_BAD).search(text)
    if found is None:
        return None
    return f"contains the control character U+{ord(found.group()):04X}"


def _check(value: Any, multiline: bool) -> None:
    if isinstance(value, str):
        reason = control_character(value, multiline=multiline)
        if reason is not None:
            raise ValueError(reason)
    elif isinstance(value, bool | BaseModel):
        return  # a nested model checks its own fields
    elif isinstance(value, int):
        if not -INT64_MAX - 1 <= value <= INT64_MAX:
            raise ValueError("is out of range (more than 64 bits)")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _check(key, False)
            _check(item, multiline)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _check(item, multiline)


def _add_pattern(schema: dict[str, Any], pattern: str) -> None:
    if "anyOf" in schema:
        for option in schema["anyOf"]:
            _add_pattern(option, pattern)
    kind = schema.get("type")
    if kind == "string" and not ({"pattern", "enum", "const", "format"} & set(schema)):
        schema["pattern"] = pattern
    elif kind == "array" and isinstance(schema.get("items"), dict):
        _add_pattern(schema["items"], pattern)
    elif kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        _add_pattern(schema["additionalProperties"], pattern)
        names = schema.setdefault("propertyNames", {"type": "string"})
        _add_pattern(names, SINGLE_LINE)


def _without_null(prop: dict[str, Any]) -> None:
    options = prop.get("anyOf")
    if not isinstance(options, list):
        return
    kept = [option for option in options if option.get("type") != "null"]
    if len(kept) == 1:
        prop.pop("anyOf")
        prop.update(kept[0])
    else:
        prop["anyOf"] = kept
    if prop.get("default", 0) is None:
        prop.pop("default")


def request_schema_rules(schema: dict[str, Any], cls: type[BaseModel]) -> None:
    """What `RequestModel` writes into a model's JSON Schema (a model with a `json_schema_extra`
    of its own calls this from it): the text patterns, the fields that may be left out but not
    sent as null (`never_null`), and the model's cross-field rules (`schema_rules`)."""
    never_null: tuple[str, ...] = getattr(cls, "never_null", ())
    for name, prop in (schema.get("properties") or {}).items():
        field = cls.model_fields.get(name)
        multiline = field is not None and any(isinstance(m, Multiline) for m in field.metadata)
        _add_pattern(prop, MULTILINE if multiline else SINGLE_LINE)
        if name in never_null:
            _without_null(prop)
    schema.update(getattr(cls, "schema_rules", {}))


class RequestModel(BaseModel):
    """Base of every request body: unknown fields refused, text and numbers checked.

    A model states its rules in its JSON Schema, so that the OpenAPI document says what is
    accepted: `never_null` names optional fields that may be left out but not sent as `null`
    (refused with a 422 naming the field, and documented without `null`); `schema_rules` is
    merged into the model's schema for rules across fields (`minProperties`, `oneOf` of
    `required` sets), which the model's own validators enforce.
    """

    model_config = ConfigDict(extra="forbid", json_schema_extra=request_schema_rules)
    never_null: ClassVar[tuple[str, ...]] = ()
    schema_rules: ClassVar[dict[str, Any]] = {}

    @model_validator(mode="before")
    @classmethod
    def _no_explicit_null(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            for name in cls.never_null:
                if name in data and data[name] is None:
                    raise PydanticCustomError(
                        "never_null", "{field} may be left out but not null", {"field": name}
                    )
        return data

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        multiline = field is not None and any(isinstance(m, Multiline) for m in field.metadata)
        _check(value, multiline)
        return value


def _position(value: str | None) -> str | None:
    if value is not None and int(value) > INT64_MAX:
        raise ValueError("is not a cursor this API returned")
    return value


Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]
Cursor = Annotated[
    str | None,
    Query(
        pattern="^[0-9]{1,19}$",
        description="`next_cursor` of the previous page.",
    ),
    AfterValidator(_position),
]
"""A position in a log whose key is a `BigInteger`: digits, at most `INT64_MAX`."""


def text_query(max_length: int, **options: Any) -> Any:
    """A free-text query parameter: at most `max_length` characters, no control character."""
    return Query(max_length=max_length, pattern=SINGLE_LINE, **options)


class RequestTextGuard:
    """Refuses a control character in the path (404) or in a query parameter (422 naming it)
    before any route sees it: such text never reaches a query, a page or a log line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        if control_character(path) is not None:
            response = problem_response(
                404,
                "not-found",
                "Not Found",
                "no resource has a control character in its address",
                instance=path.encode("unicode_escape").decode("ascii"),
            )
            await response(scope, receive, send)
            return
        raw = bytes(scope.get("query_string") or b"").decode("utf-8", errors="replace")
        errors = [
            FieldError(field=f"query.{_printable(name)}", reason=reason)
            for name, value in parse_qsl(raw, keep_blank_values=True)
            for reason in [control_character(name) or control_character(value)]
            if reason is not None
        ]
        if errors:
            response = problem_response(
                422,
                "validation-error",
                "Validation Failed",
                "; ".join(f"{e.field}: {e.reason}" for e in errors[:5]),
                instance=path,
                errors=errors,
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _printable(name: str) -> str:
    return name.encode("unicode_escape").decode("ascii")
