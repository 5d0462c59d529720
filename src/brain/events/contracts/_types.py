"""Field types shared by the payload contracts.

Every string type carries two bounds: `max_length` in characters (what a person reads) and a
bound on its JSON-encoded size (`x-maxJsonBytes` in the schema), measured as the catalog measures
a payload: UTF-8 bytes of its JSON, where "é" costs 2 bytes, an emoji 4 and a control character up
to 6 (`\u0001`). Integers and floats are bounded too, so the largest valid payload of every event
type has a known size, and the tests prove it stays within `MAX_PAYLOAD_BYTES`.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from annotated_types import GroupedMetadata
from pydantic import AfterValidator, AwareDatetime, BaseModel, Field, Strict

from brain.kernel.text import json_size, shorten

MAX_JSON_BYTES_KEY = "x-maxJsonBytes"

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
CODE_PATTERN = r"^[a-z][a-z0-9_]*$"
FIELD_PATH_PATTERN = r"^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)?$"
# Printable ASCII without space, quote and backslash: one byte each once JSON-encoded.
URL_PATTERN = r"^https?://[!#-\[\]-~]+$"
HOSTNAME_PATTERN = r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$"
RELATIVE_PATH_PATTERN = r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$"
EXCEPTION_NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$"
ACTOR_PATTERN = r"^[A-Za-z0-9_.:-]+$"
VERSION_PATTERN = r"^v[1-9][0-9]{0,5}$"
CURRENCY_PATTERN = r"^[A-Z]{3}$"

MAX_COUNT = 1_000_000_000


def _bounded_json_size(max_bytes: int) -> Callable[[str], str]:
    def check(value: str) -> str:
        size = json_size(value)
        if size > max_bytes:
            raise ValueError(
                f"takes {size} bytes as UTF-8 JSON; at most {max_bytes} are allowed "
                f"(a non-ASCII character takes 2 to 4)"
            )
        return value

    return check


@dataclass(frozen=True)
class Text(GroupedMetadata):
    """Free text written by people or machines: any characters, bounded twice
    (`Annotated[str, Text(100, 150)]`)."""

    max_chars: int
    max_bytes: int
    min_chars: int = 1

    def __iter__(self) -> Iterator[Any]:
        yield Field(
            min_length=self.min_chars,
            max_length=self.max_chars,
            json_schema_extra={MAX_JSON_BYTES_KEY: self.max_bytes},
        )
        yield AfterValidator(_bounded_json_size(self.max_bytes))


@dataclass(frozen=True)
class AsciiText(GroupedMetadata):
    """A string whose pattern only admits ASCII characters that JSON does not escape, so its
    encoded size is its length; the byte bound is still checked, as a guard on the pattern."""

    pattern: str
    max_chars: int
    min_chars: int = 1

    def __iter__(self) -> Iterator[Any]:
        yield Field(
            min_length=self.min_chars,
            max_length=self.max_chars,
            pattern=self.pattern,
            json_schema_extra={MAX_JSON_BYTES_KEY: self.max_chars},
        )
        yield AfterValidator(_bounded_json_size(self.max_chars))


@dataclass(frozen=True)
class Count(GroupedMetadata):
    """A whole number in a range (`Annotated[int, Count(maximum=30)]`); strict: `"12"` or
    `12.0` is a wrong type, not a 12."""

    minimum: int = 0
    maximum: int = MAX_COUNT

    def __iter__(self) -> Iterator[Any]:
        yield Strict()
        yield Field(ge=self.minimum, le=self.maximum)


def _to_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


Uuid = uuid.UUID
UtcDatetime = Annotated[AwareDatetime, AfterValidator(_to_utc)]
"""A timezone-aware instant; naive datetimes are refused, others are converted to UTC."""

Seconds = Annotated[float, Strict(), Field(ge=0, le=31_536_000, allow_inf_nan=False)]
"""A duration in seconds, at most a year."""

Flag = Annotated[bool, Strict()]
"""True or false; strict: `"yes"` or `1` is a wrong type."""

Language = Literal["de", "en", "fr", "es"]
Visibility = Literal["PRIVATE", "PUBLIC", "UNLISTED"]
WorkflowState = Literal["DRAFT", "REVIEW", "PUBLISH_READY", "PUBLISHED", "ARCHIVED"]

Slug = Annotated[str, AsciiText(SLUG_PATTERN, 60)]
Code = Annotated[str, AsciiText(CODE_PATTERN, 32)]
"""A machine-readable code such as an audience (`private_individuals`) or a template id."""
FieldPath = Annotated[str, AsciiText(FIELD_PATH_PATTERN, 40)]
Url = Annotated[str, AsciiText(URL_PATTERN, 120, min_chars=8)]
Hostname = Annotated[str, AsciiText(HOSTNAME_PATTERN, 100)]
RelativePath = Annotated[str, AsciiText(RELATIVE_PATH_PATTERN, 56)]
ExceptionName = Annotated[str, AsciiText(EXCEPTION_NAME_PATTERN, 80)]
Actor = Annotated[str, AsciiText(ACTOR_PATTERN, 64)]
DistributionVersion = Annotated[str, AsciiText(VERSION_PATTERN, 7, min_chars=2)]
Currency = Annotated[str, AsciiText(CURRENCY_PATTERN, 3, min_chars=3)]

Title = Annotated[str, Text(100, 150)]
Description = Annotated[str, Text(200, 240, min_chars=0)]
Audience = Annotated[str, AsciiText(CODE_PATTERN, 24)]
"""A target audience or group, e.g. `private_individuals`, `employees`."""
Audiences = Annotated[list[Audience], Field(min_length=1, max_length=4)]


def version_number(version: str) -> int:
    """`v12` → 12."""
    return int(version[1:])


def fit(payload: type[BaseModel], field: str, value: str) -> str:
    """`value` shortened (at a word, with an ellipsis) to what `payload.field` admits: its
    `max_length` in characters and its bound in JSON bytes. Publishers fit free text with this
    instead of repeating a contract's limits."""
    max_chars, max_bytes = _text_limits(payload, field)
    return shorten(value, max_chars, max_bytes)


@functools.cache
def _text_limits(payload: type[BaseModel], field: str) -> tuple[int, int]:
    schema = payload.model_json_schema()["properties"][field]
    if "anyOf" in schema:  # an optional field: the string branch carries the bounds
        schema = next(s for s in schema["anyOf"] if s.get("type") == "string")
    max_chars = int(schema["maxLength"])
    return max_chars, int(schema.get(MAX_JSON_BYTES_KEY, max_chars * 4))
