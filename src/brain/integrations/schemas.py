"""Request and response models of the integrations API."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from brain.events import CATALOG
from brain.events.patterns import matches
from brain.kernel.requests import MULTILINE_TEXT, RequestModel

MAX_EVENT_TYPES = 50
PATTERN = re.compile(r"^(\*|[a-z][a-z_]*(\.([a-z][a-z_]*|\*))*)$")

EventTypePattern = Annotated[
    str,
    Field(
        min_length=1,
        max_length=100,
        pattern=PATTERN.pattern,
        description="An event type (`distribution.published`) or a pattern (`distribution.*`, "
        "`alert.*`, `*`).",
    ),
]
DeliveryStatusName = Literal["pending", "delivered", "failed"]


def _check_patterns(patterns: list[str]) -> list[str]:
    """The rules the schema states (`pattern`, `uniqueItems`), for callers other than the API."""
    if len(set(patterns)) != len(patterns):
        raise ValueError("lists a pattern twice")
    for pattern in patterns:
        if not PATTERN.match(pattern):
            raise ValueError(
                f"{pattern!r} is not an event type or a pattern such as distribution.*"
            )
    return patterns


def unmatched_pattern(patterns: list[str]) -> str | None:
    """The first of `patterns` that matches no event type of the catalog (a rule beyond the
    schema: the service refuses it as unprocessable)."""
    known = CATALOG.types()
    for pattern in patterns:
        if not any(matches([pattern], name) for name in known):
            return pattern
    return None


class EndpointCreate(RequestModel):
    url: str = Field(
        min_length=8,
        max_length=2000,
        description="Where deliveries are POSTed: https (http only when "
        "BRAIN_WEBHOOKS_ALLOW_INSECURE=true), not resolving to a private address.",
    )
    event_types: list[EventTypePattern] = Field(
        min_length=1, max_length=MAX_EVENT_TYPES, json_schema_extra={"uniqueItems": True}
    )
    description: Annotated[str, Field(max_length=500), MULTILINE_TEXT] = ""
    enabled: bool = True

    @field_validator("event_types")
    @classmethod
    def _patterns(cls, value: list[str]) -> list[str]:
        return _check_patterns(value)


class EndpointUpdate(RequestModel):
    url: str | None = Field(default=None, min_length=8, max_length=2000)
    event_types: list[EventTypePattern] | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_EVENT_TYPES,
        json_schema_extra={"uniqueItems": True},
    )
    description: Annotated[str | None, Field(max_length=500), MULTILINE_TEXT] = None
    enabled: bool | None = Field(
        default=None, description="`true` re-enables a disabled endpoint (its failures forgotten)."
    )

    @field_validator("event_types")
    @classmethod
    def _patterns(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _check_patterns(value)

    never_null = ("url", "event_types", "description", "enabled")
    schema_rules = {"minProperties": 1}

    @model_validator(mode="after")
    def _something_to_change(self) -> Self:
        if not {name for name in self.model_fields_set if getattr(self, name) is not None}:
            raise ValueError("give at least one of url, event_types, description, enabled")
        return self


class EndpointOut(BaseModel):
    id: uuid.UUID
    url: str
    event_types: list[str]
    description: str
    enabled: bool
    disabled_reason: Literal["gone", "failing", "operator"] | None
    disabled_at: datetime | None
    failing_since: datetime | None
    previous_secret_expires_at: datetime | None = Field(
        description="While a rotation lasts, deliveries are signed with both secrets until then."
    )
    created_at: datetime
    updated_at: datetime


class EndpointCreated(EndpointOut):
    secret: str = Field(description="The signing secret `whsec_…`; shown only this once.")


class EndpointList(BaseModel):
    items: list[EndpointOut]
    total: int


class SecretRotated(BaseModel):
    id: uuid.UUID
    secret: str = Field(description="The new signing secret; shown only this once.")
    previous_secret_expires_at: datetime | None = Field(
        description="Until then deliveries carry a signature with the previous secret as well."
    )


class TestRequested(BaseModel):
    endpoint_id: uuid.UUID
    event_id: uuid.UUID = Field(
        description="The `webhook.test.requested` event; its delivery "
        "appears in the endpoint's log with this event id."
    )


class AttemptOut(BaseModel):
    attempted_at: datetime
    status_code: int | None
    duration_ms: int
    response_excerpt: str | None
    error: str | None


class DeliveryOut(BaseModel):
    id: uuid.UUID
    endpoint_id: uuid.UUID
    event_id: uuid.UUID = Field(description="Also the `webhook-id` header of every attempt.")
    event_type: str
    status: DeliveryStatusName
    attempts: int
    last_status_code: int | None
    last_duration_ms: int | None
    last_response: str | None = Field(description="The start of the last answer (≤ 2 KiB).")
    last_error: str | None
    next_attempt_at: datetime | None
    created_at: datetime
    delivered_at: datetime | None


class DeliveryDetail(DeliveryOut):
    attempt_log: list[AttemptOut]


class DeliveryList(BaseModel):
    items: list[DeliveryOut]
    total: int


# -- analytics ----------------------------------------------------------------------------------


class Figures(BaseModel):
    generations_requested: int = 0
    generations_completed: int = 0
    generations_failed: int = 0
    median_generation_seconds: float | None = None
    views: int = 0
    enrollment_clicks: int = 0
    checkouts: int = 0
    payments: int = 0
    conversion: float | None = Field(
        default=None, description="payments / enrollment_clicks; none without clicks."
    )


class DayFigures(Figures):
    day: date


class CourseFigures(Figures):
    course_id: uuid.UUID


class CourseAnalytics(BaseModel):
    course_id: uuid.UUID
    from_: date = Field(alias="from", serialization_alias="from")
    to: date
    totals: Figures
    days: list[DayFigures] = Field(description="Days with activity, oldest first.")

    model_config = ConfigDict(populate_by_name=True)


class TenantSummary(BaseModel):
    from_: date = Field(alias="from", serialization_alias="from")
    to: date
    totals: Figures
    days: list[DayFigures] = Field(description="The tenant's totals per day with activity.")
    courses: list[CourseFigures] = Field(description="Per course, over the whole range.")

    model_config = ConfigDict(populate_by_name=True)
