"""Settings from `BRAIN_*` environment variables and an optional `.env` file.

Every part of the platform declares its own settings class on `BrainSettings` (the kernel's is
`Settings`, the event stream's and each module's live beside their code); the composition root
combines them into one class, so one environment is read once and a wrong value anywhere stops
the start with a message naming the variable.
"""

from __future__ import annotations

import ipaddress
import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TypeVar, overload

from pydantic import AnyHttpUrl, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "BRAIN_"
MAX_PUBLIC_BASE_URL = 51


class LogFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class EventLoop(StrEnum):
    AUTO = "auto"
    """uvloop when it is installed (it comes with `uvicorn[standard]`), else asyncio's own."""
    UVLOOP = "uvloop"
    ASYNCIO = "asyncio"


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


class BrainSettings(BaseSettings):
    """Base of every settings class: `BRAIN_*` variables, then `.env`, then the defaults."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        validate_default=True,
    )


class Settings(BrainSettings):
    """The kernel's settings; the README documents each with its default."""

    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535)] = 8000
    data_dir: Path = Path("var")
    database_url: str = ""
    database_pool_size: Annotated[int, Field(ge=1, le=200)] = 10
    temporal_address: str = ""
    temporal_namespace: str = "default"
    temporal_dev_port: Annotated[int, Field(ge=1, le=65535)] = 7233
    public_base_url: AnyHttpUrl = AnyHttpUrl("http://127.0.0.1:8000")
    log_level: LogLevel = LogLevel.INFO
    log_format: LogFormat = LogFormat.TEXT
    max_body_bytes: Annotated[int, Field(ge=1024)] = 1024 * 1024
    embedded_worker: bool | None = None
    worker_metrics_port: Annotated[int, Field(ge=0, le=65535)] = 0
    worker_shutdown_seconds: Annotated[float, Field(gt=0, le=600)] = 8.0
    """How long a stopping worker lets work in flight finish (activities, event batches, worker
    tasks) before it cancels what is left (`brain.bootstrap.run_worker`)."""
    log_sql: bool = False
    event_loop: EventLoop = EventLoop.AUTO
    """The asyncio event loop of `brain serve`, `brain worker` and the CLI (`brain.kernel.loop`)."""
    trusted_proxies: str = ""
    """Addresses or networks (comma-separated, or `*`) of reverse proxies whose
    `X-Forwarded-For` / `X-Forwarded-Proto` name the client; empty: the socket's peer is."""
    secret_key: SecretStr = SecretStr("")
    """Signs what the platform hands out (preview links, access tokens, sessions); empty: a
    random key generated once into `data_dir/secret_key` (`brain.kernel.secrets`)."""

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

    @field_validator("trusted_proxies")
    @classmethod
    def _addresses(cls, value: str) -> str:
        entries = [entry.strip() for entry in value.split(",") if entry.strip()]
        if entries == ["*"]:
            return "*"
        for entry in entries:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(
                    f"{entry!r} is not an IP address or network; list proxies as "
                    "127.0.0.1,10.0.0.0/8 (or `*` for any)"
                ) from None
        return ",".join(entries)

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
    def trusted_proxy_list(self) -> list[str]:
        return [entry for entry in self.trusted_proxies.split(",") if entry]

    @property
    def public_url(self) -> str:
        """The public base URL without a trailing slash, for absolute links."""
        return str(self.public_base_url).rstrip("/")


def redact_url(url: str) -> str:
    """The URL with any password replaced by `***`, for messages and logs."""
    return re.sub(r"(://[^:/@]+:)[^@/]*@", r"\1***@", url)


class SettingsError(Exception):
    """A setting has a wrong value; the message names every such setting."""


S = TypeVar("S", bound=BrainSettings)


@overload
def load_settings(**overrides: object) -> Settings: ...


@overload
def load_settings(cls: type[S], /, **overrides: object) -> S: ...


def load_settings(cls: type[BrainSettings] = Settings, /, **overrides: object) -> BrainSettings:
    """Read the settings of `cls` (the kernel's by default), turning validation errors into one
    readable message."""
    try:
        return cls(**overrides)  # type: ignore[arg-type]  # keyword overrides of any field
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else "?"
            shown = redact_url(str(error.get("input"))) if "url" in field else error.get("input")
            lines.append(f"{ENV_PREFIX}{field.upper()}: {error['msg']} (got {shown!r})")
        raise SettingsError("invalid settings:\n  " + "\n  ".join(lines)) from None
