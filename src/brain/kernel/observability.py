"""Request ids, structured logging and Prometheus metrics."""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import UTC, datetime
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
REQUEST_ID_HEADER = "x-request-id"
REQUEST_ID_HEADER_BYTES = REQUEST_ID_HEADER.encode()

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def current_request_id() -> str | None:
    return _request_id.get()


def request_id_of(scope: Scope) -> str:
    """The caller's well-formed `X-Request-ID`, or a new one."""
    for name, value in scope.get("headers") or ():
        if name == REQUEST_ID_HEADER_BYTES:
            incoming = bytes(value).decode("latin-1")
            if _VALID_REQUEST_ID.match(incoming):
                return incoming
            break
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Takes a well-formed `X-Request-ID` from the caller or makes one; echoes it back."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(scope)
        token = _request_id.set(request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                headers.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _request_id.reset(token)


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        for key, value in getattr(record, "context", {}).items():
            entry.setdefault(key, value)
        return json.dumps(entry, default=str)


_CONTROL = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_controls(text: str) -> str:
    """`text` with every control character (and Unicode line break) written as an escape, so that
    no text from a request can start a line of its own in a log."""
    return _CONTROL.sub(lambda m: _NAMED.get(m.group()) or _escape(m.group()), text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


class TextFormatter(logging.Formatter):
    """One record per line: the message escaped (`escape_controls`); a traceback follows on
    indented lines, so nothing in it can pass for a record of its own. (The traceback is
    formatted here each time: another handler may have cached its own unindented text on the
    record.)"""

    def format(self, record: logging.LogRecord) -> str:
        record.message = escape_controls(record.getMessage())
        if self.usesTime():
            record.asctime = self.formatTime(record, self.datefmt)
        text = self.formatMessage(record)
        if record.exc_info:
            text += "\n" + _indented(self.formatException(record.exc_info))
        elif record.exc_text:
            text += "\n" + _indented(record.exc_text)
        if record.stack_info:
            text += "\n" + _indented(self.formatStack(record.stack_info))
        return text


def _indented(text: str) -> str:
    return "\n".join("    " + escape_controls(line) for line in text.splitlines())


_handler: logging.Handler | None = None
SQL_LOGGERS = ("sqlalchemy.engine", "aiosqlite", "asyncpg")
"""Loggers that write SQL statements with their parameters (aiosqlite at DEBUG, SQLAlchemy's
engine at INFO): the parameters carry API key hashes and personal data (a buyer's e-mail)."""


def configure_logging(level: str, fmt: str, *, sql: bool = False) -> None:
    """Install the platform's log handler on the root logger, replacing only its own earlier one.
    `sql`: log SQL statements with their parameters (`BRAIN_LOG_SQL`); otherwise the loggers
    that would (`SQL_LOGGERS`) log nothing below WARNING, whatever the level: the parameters
    include API key hashes."""
    global _handler
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_RequestIdFilter())
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            TextFormatter("%(asctime)s %(levelname)-7s %(name)s [%(request_id)s] %(message)s")
        )
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
    root.addHandler(handler)
    root.setLevel(level)
    _handler = handler
    for name in SQL_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO if sql else logging.WARNING)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True


class Metrics:
    """The platform's Prometheus registry; one per platform so tests never share counters."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.http_requests = Counter(
            "brain_http_requests_total",
            "HTTP requests by method, route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.http_duration = Histogram(
            "brain_http_request_duration_seconds",
            "HTTP request duration by method and route template.",
            ["method", "route"],
            registry=self.registry,
        )


class HttpMetricsMiddleware:
    """Counts requests by route template (never by raw path, so cardinality stays bounded)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route = scope.get("route")
            # the documented template (`{distribution_id}`), not its convertor (`:uuid`)
            template = (
                getattr(route, "path_format", None) or getattr(route, "path", None) or "unmatched"
            )
            method = scope.get("method", "GET")
            self.metrics.http_requests.labels(method, template, str(status)).inc()
            self.metrics.http_duration.labels(method, template).observe(
                time.perf_counter() - started
            )
