"""The event envelope (docs/events/README.md), as it travels on every transport."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class EventMeta(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    schema_version: int = Field(ge=1)
    producer: str
    source_module: str
    tenant_id: uuid.UUID | None = None
    correlation_id: uuid.UUID
    causation_id: uuid.UUID | None = None
    aggregate_id: str
    sequence: int = Field(ge=1, description="Position of the event within its aggregate.")


class Event(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    id: uuid.UUID
    type: str
    source: str
    target: str | None = Field(default=None, description="None = broadcast.")
    timestamp: AwareDatetime
    payload: dict[str, Any]
    meta: EventMeta

    def to_json(self) -> str:
        return self.model_dump_json()

    @classmethod
    def from_json(cls, data: str | bytes) -> Event:
        return cls.model_validate_json(data)
