"""The event stream's settings (`BRAIN_EVENT_TRANSPORT`, `BRAIN_REDIS_URL`, `BRAIN_EVENTS_*`)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, field_validator

from brain.kernel.config import BrainSettings


class EventTransport(StrEnum):
    SQL = "sql"
    REDIS = "redis"


class EventSettings(BrainSettings):
    event_transport: EventTransport = EventTransport.SQL
    redis_url: str = "redis://127.0.0.1:6379/0"
    events_stream: Annotated[str, Field(min_length=1)] = "brain:events:stream"
    events_dead_letter_stream: Annotated[str, Field(min_length=1)] = "brain:events:dead_letters"
    events_stream_maxlen: Annotated[int, Field(ge=1000)] = 1_000_000
    events_batch_size: Annotated[int, Field(ge=1, le=10_000)] = 100
    events_poll_seconds: Annotated[float, Field(gt=0, le=60)] = 1.0
    events_max_attempts: Annotated[int, Field(ge=1, le=100)] = 5
    events_retry_base_seconds: Annotated[float, Field(gt=0, le=3600)] = 0.5
    events_retry_max_seconds: Annotated[float, Field(gt=0, le=86_400)] = 60.0
    events_claim_idle_seconds: Annotated[float, Field(gt=0, le=86_400)] = 30.0
    events_relay_sweep_seconds: Annotated[float, Field(gt=0, le=60)] = 1.0

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str) -> str:
        if not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value
