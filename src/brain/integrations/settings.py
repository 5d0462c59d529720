"""The integrations' settings (`BRAIN_WEBHOOKS_*`, `BRAIN_INDEXNOW_*`, `BRAIN_ALERTS_*`)."""

from __future__ import annotations

import re
from typing import Annotated, Self

from pydantic import Field, field_validator, model_validator
from pydantic_settings import NoDecode

from brain.kernel.config import BrainSettings

DEFAULT_RETRY_SCHEDULE = (5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0)
"""The Standard Webhooks schedule after the first attempt: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
10 h."""

_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")
INDEXNOW_KEY = re.compile(r"^[A-Za-z0-9-]{8,128}$")


def parse_schedule(value: object) -> tuple[float, ...]:
    """`5s,5m,30m,2h` (or bare seconds, or a list) as seconds."""
    if isinstance(value, list | tuple):
        items = [str(item) for item in value]
    elif isinstance(value, str):
        items = [item for item in value.split(",") if item.strip()]
    else:
        raise ValueError("a comma-separated list of durations such as 5s,5m,30m,2h")
    seconds = []
    for item in items:
        match = _DURATION.match(item)
        if match is None:
            raise ValueError(f"{item.strip()!r} is not a duration (use e.g. 5s, 5m, 2h, 0.2)")
        seconds.append(float(match[1]) * _UNITS[match[2] or "s"])
    if not 1 <= len(seconds) <= 20:
        raise ValueError("give between 1 and 20 retry delays")
    if any(delay <= 0 or delay > 7 * 86400 for delay in seconds):
        raise ValueError("every delay must be above 0 and at most 7 days")
    return tuple(seconds)


class IntegrationSettings(BrainSettings):
    webhooks_allow_insecure: bool = False
    """Accept `http://` endpoint URLs (development only)."""
    webhooks_allow_private_targets: bool = False
    """Accept endpoints that resolve to loopback, private, link-local or metadata addresses."""
    webhooks_retry_schedule: Annotated[tuple[float, ...], NoDecode] = DEFAULT_RETRY_SCHEDULE
    webhooks_retry_jitter: Annotated[float, Field(ge=0, le=0.5)] = 0.2
    webhooks_timeout_seconds: Annotated[float, Field(gt=0, le=60)] = 15.0
    webhooks_retry_after_max_seconds: Annotated[float, Field(gt=0, le=7 * 86400)] = 86400.0
    webhooks_disable_after_seconds: Annotated[float, Field(gt=0)] = 5 * 86400.0
    webhooks_secret_rotation_seconds: Annotated[float, Field(ge=0, le=30 * 86400)] = 86400.0
    webhooks_retention_days: Annotated[float, Field(gt=0, le=3650)] = 30.0
    webhooks_concurrency: Annotated[int, Field(ge=1, le=500)] = 16
    webhooks_poll_seconds: Annotated[float, Field(gt=0, le=60)] = 1.0

    indexnow_endpoint: str = ""
    """The IndexNow endpoint (e.g. https://api.indexnow.org/indexnow); empty: off."""
    indexnow_key: str = ""
    indexnow_debounce_seconds: Annotated[float, Field(ge=0, le=3600)] = 5.0
    indexnow_max_delay_seconds: Annotated[float, Field(gt=0, le=86400)] = 60.0
    indexnow_retry_seconds: Annotated[float, Field(gt=0, le=86400)] = 60.0
    indexnow_max_attempts: Annotated[int, Field(ge=1, le=50)] = 6

    alerts_dedup_seconds: Annotated[float, Field(ge=0, le=7 * 86400)] = 900.0
    alerts_dead_letter_poll_seconds: Annotated[float, Field(gt=0, le=3600)] = 10.0

    @field_validator("webhooks_retry_schedule", mode="before")
    @classmethod
    def _schedule(cls, value: object) -> tuple[float, ...]:
        return parse_schedule(value)

    @field_validator("indexnow_endpoint")
    @classmethod
    def _endpoint(cls, value: str) -> str:
        value = value.strip()
        if value and not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("must be an http(s) URL such as https://api.indexnow.org/indexnow")
        return value

    @model_validator(mode="after")
    def _indexnow_key_when_on(self) -> Self:
        if self.indexnow_key and not INDEXNOW_KEY.match(self.indexnow_key):
            raise ValueError(
                "BRAIN_INDEXNOW_KEY must be 8 to 128 characters of a-z, A-Z, 0-9 and -"
            )
        if self.indexnow_endpoint and not self.indexnow_key:
            raise ValueError("BRAIN_INDEXNOW_ENDPOINT is set: BRAIN_INDEXNOW_KEY is required")
        return self

    @property
    def indexnow_enabled(self) -> bool:
        return bool(self.indexnow_endpoint)
