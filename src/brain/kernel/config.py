"""Settings from `BRAIN_*` environment variables and an optional `.env` file."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import AnyHttpUrl, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "BRAIN_"
MAX_PUBLIC_BASE_URL = 51


class EventTransport(StrEnum):
    SQL = "sql"
    REDIS = "redis"


class LogFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class LogLevel(StrEnum):
    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"


_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
}


class Settings(BaseSettings):
    """Every setting of the platform; the README documents each with its default."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        validate_default=True,
    )

    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535)] = 8000
    data_dir: Path = Path("var")
    database_url: str = ""
    database_pool_size: Annotated[int, Field(ge=1, le=200)] = 10
    event_transport: EventTransport = EventTransport.SQL
    redis_url: str = "redis://127.0.0.1:6379/0"
    temporal_address: str = ""
    temporal_namespace: str = "default"
    temporal_dev_port: Annotated[int, Field(ge=1, le=65535)] = 7233
    temporal_task_queue: Annotated[str, Field(min_length=1, max_length=200)] = "course-factory"
    generation_lesson_concurrency: Annotated[int, Field(ge=1, le=30)] = 4
    generation_activity_timeout_seconds: Annotated[float, Field(gt=0, le=3600)] = 120.0
    generation_max_attempts: Annotated[int, Field(ge=1, le=20)] = 5
    public_base_url: AnyHttpUrl = AnyHttpUrl("http://127.0.0.1:8000")
    log_level: LogLevel = LogLevel.INFO
    log_format: LogFormat = LogFormat.TEXT
    max_body_bytes: Annotated[int, Field(ge=1024)] = 1024 * 1024
    embedded_worker: bool | None = None
    worker_metrics_port: Annotated[int, Field(ge=0, le=65535)] = 0
    distribution_tracking_limit: Annotated[int, Field(ge=1, le=100_000)] = 30
    distribution_tracking_window_seconds: Annotated[float, Field(gt=0, le=86_400)] = 60.0
    distribution_view_flush_seconds: Annotated[float, Field(gt=0, le=86_400)] = 60.0
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
    llm_base_url: str = ""
    llm_model: str = "gpt-4o-mini"
    llm_api_key: SecretStr = SecretStr("")
    llm_timeout_seconds: Annotated[float, Field(gt=0, le=600)] = 60.0

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if not value:
            return value
        scheme, sep, rest = value.partition("://")
        if not sep:
            raise ValueError(
                "must be a URL such as postgresql://user@host/db or sqlite:///var/brain.db"
            )
        driver = _ASYNC_DRIVERS.get(scheme.lower())
        if driver is None:
            raise ValueError(f"unsupported database {scheme!r}; use postgresql://… or sqlite:///…")
        return f"{driver}://{rest}"

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str) -> str:
        if not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value

    @field_validator("public_base_url")
    @classmethod
    def _fits_event_urls(cls, value: AnyHttpUrl) -> AnyHttpUrl:
        # Events carry absolute URLs of at most 120 characters; the longest one built from this
        # base is a course page, `/courses/` and a slug of up to 60 characters.
        if len(str(value).rstrip("/")) > MAX_PUBLIC_BASE_URL:
            raise ValueError(
                f"at most {MAX_PUBLIC_BASE_URL} characters (absolute URLs in events are limited "
                "to 120, and a course page adds up to 69)"
            )
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @property
    def resolved_database_url(self) -> str:
        """The configured database URL, or the embedded SQLite file under `data_dir`."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'brain.db').as_posix()}"

    @property
    def runs_embedded_worker(self) -> bool:
        """Whether `brain serve` runs relay and consumers in-process (default: on SQLite)."""
        if self.embedded_worker is not None:
            return self.embedded_worker
        return self.resolved_database_url.startswith("sqlite")

    @property
    def public_url(self) -> str:
        """The public base URL without a trailing slash, for absolute links."""
        return str(self.public_base_url).rstrip("/")


def redact_url(url: str) -> str:
    """The URL with any password replaced by `***`, for messages and logs."""
    return re.sub(r"(://[^:/@]+:)[^@/]*@", r"\1***@", url)


class SettingsError(Exception):
    """A setting has a wrong value; the message names every such setting."""


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning validation errors into one readable message."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else "?"
            shown = redact_url(str(error.get("input"))) if "url" in field else error.get("input")
            lines.append(f"{ENV_PREFIX}{field.upper()}: {error['msg']} (got {shown!r})")
        raise SettingsError("invalid settings:\n  " + "\n  ".join(lines)) from None
