"""Public responses answered from this process's memory, before routing and the middleware stack.

A module declares which of its paths may be kept (`CachedResponses`) and the version they are
valid for: a cheap call that says what the module's public data is now (ADR 0024). The
middleware sits outermost. For a GET or HEAD of a declared path it asks the version, and when it
holds a response for the same path, query string and version it answers at once: the body, or
304 when `If-None-Match` names its ETag. No database, no routing, no dependency injection.

Otherwise the request goes through the app as usual (without `If-None-Match`, so the app renders
the whole body) and the answer is kept when HTTP says a shared cache may keep it: status 200, 301
or 404, `Cache-Control: public`, no `Set-Cookie`. A response with `Vary` is kept per value of the
headers it names. Concurrent misses of one key and version wait for the first one's render
instead of rendering it again.

What the skipped middleware would have done is done here or kept with the response: the security
headers and the route template (for the HTTP metrics) come from the response as it was rendered;
each answer gets its own `X-Request-ID` and is counted in the HTTP metrics.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass

from brain.kernel.observability import (
    REQUEST_ID_HEADER_BYTES,
    ASGIApp,
    Message,
    Metrics,
    Receive,
    Scope,
    Send,
    request_id_of,
)

CACHEABLE_STATUSES = frozenset({200, 301, 404})
"""The statuses a shared cache may keep by default (RFC 9110, 15.1) that public pages answer."""
_NOT_KEPT = frozenset({REQUEST_ID_HEADER_BYTES, b"date", b"server"})
_NOT_ON_304 = frozenset({b"content-length", b"content-type"})


@dataclass(frozen=True)
class CachedResponses:
    """Paths of a module whose public responses the platform may answer from memory while
    `version()` returns the same value. `version` must be cheap (no I/O while nothing changed):
    it runs before every such request."""

    name: str
    matches: Callable[[str], bool]
    version: Callable[[], Awaitable[Hashable]]


@dataclass(frozen=True)
class Kept:
    version: Hashable
    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    etag: bytes | None
    vary: tuple[tuple[bytes, bytes | None], ...]
    """The request headers named in `Vary` and their values when the response was rendered."""
    route: str
    not_modified: tuple[tuple[bytes, bytes], ...]

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(n) + len(v) for n, v in self.headers) + 64


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers") or ():
        if key == name:
            return bytes(value)
    return None


def etag_matches(if_none_match: bytes | None, etag: bytes | None) -> bool:
    if not if_none_match or etag is None:
        return False
    for candidate in if_none_match.split(b","):
        candidate = candidate.strip()
        if candidate == b"*" or candidate.removeprefix(b"W/") == etag:
            return True
    return False


class ResponseCache:
    """The kept responses, least recently used first out, within a count and a byte budget."""

    def __init__(self, max_entries: int = 2048, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.bytes = 0
        self._entries: OrderedDict[tuple[str, bytes], Kept] = OrderedDict()

    def get(self, key: tuple[str, bytes], version: Hashable, scope: Scope) -> Kept | None:
        kept = self._entries.get(key)
        if kept is None or kept.version != version:
            return None
        for name, value in kept.vary:
            if _header(scope, name) != value:
                return None
        self._entries.move_to_end(key)
        return kept

    def put(self, key: tuple[str, bytes], kept: Kept) -> None:
        old = self._entries.pop(key, None)
        if old is not None:
            self.bytes -= old.size
        if kept.size > self.max_bytes // 16:
            return
        self._entries[key] = kept
        self.bytes += kept.size
        while len(self._entries) > self.max_entries or self.bytes > self.max_bytes:
            _key, evicted = self._entries.popitem(last=False)
            self.bytes -= evicted.size

    def __len__(self) -> int:
        return len(self._entries)


class _Captured:
    def __init__(self) -> None:
        self.status = 500
        self.headers: list[tuple[bytes, bytes]] = []
        self.chunks: list[bytes] = []
        self.complete = False

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = [(bytes(n).lower(), bytes(v)) for n, v in message.get("headers") or ()]
        elif message["type"] == "http.response.body":
            self.chunks.append(bytes(message.get("body", b"")))
            if not message.get("more_body", False):
                self.complete = True


class ResponseCacheMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        groups: Sequence[CachedResponses],
        metrics: Metrics | None = None,
        cache: ResponseCache | None = None,
    ) -> None:
        self.app = app
        self.groups = list(groups)
        self.metrics = metrics
        self.cache = cache if cache is not None else ResponseCache()
        self._rendering: dict[tuple[tuple[str, bytes], Hashable], asyncio.Future[Kept | None]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or not self.groups:
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        group = next((g for g in self.groups if g.matches(path)), None)
        if group is None:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        try:
            version = await group.version()
        except Exception:  # the app answers (and reports) what the version check could not
            await self.app(scope, receive, send)
            return
        key = (path, bytes(scope.get("query_string") or b""))
        kept = self.cache.get(key, version, scope)
        if kept is None:
            pending = self._rendering.get((key, version))
            if pending is not None:
                kept = await asyncio.shield(pending)
                if kept is not None and self.cache.get(key, version, scope) is None:
                    kept = None  # kept for other values of its Vary headers
        if kept is not None:
            await self._answer(scope, send, kept, started)
            return
        if scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        await self._render(scope, receive, send, key, version)

    async def _answer(self, scope: Scope, send: Send, kept: Kept, started: float) -> None:
        request_id = (REQUEST_ID_HEADER_BYTES, request_id_of(scope).encode())
        status = kept.status
        if kept.status == 200 and etag_matches(_header(scope, b"if-none-match"), kept.etag):
            status = 304
            headers = [*kept.not_modified, request_id]
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
        else:
            headers = [*kept.headers, request_id]
            body = kept.body if scope["method"] == "GET" else b""
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
        if self.metrics is not None:
            method = scope["method"]
            self.metrics.http_requests.labels(method, kept.route, str(status)).inc()
            self.metrics.http_duration.labels(method, kept.route).observe(
                time.perf_counter() - started
            )

    async def _render(
        self, scope: Scope, receive: Receive, send: Send, key: tuple[str, bytes], version: Hashable
    ) -> None:
        """Let the app answer in full (no `If-None-Match`), keep what may be kept, then send
        the client its answer: 304 when its ETag still matches."""
        if_none_match = _header(scope, b"if-none-match")
        inner = dict(scope)
        if if_none_match is not None:
            inner["headers"] = [(n, v) for n, v in scope["headers"] if n != b"if-none-match"]
        future: asyncio.Future[Kept | None] = asyncio.get_running_loop().create_future()
        self._rendering[(key, version)] = future
        captured = _Captured()
        kept: Kept | None = None
        try:
            await self.app(inner, receive, captured.send)
            matched = inner.get("route")
            template = getattr(matched, "path_format", None) or getattr(matched, "path", None)
            route = template or "unmatched"
            kept = self._keepable(scope, captured, version, route)
            if kept is not None:
                self.cache.put(key, kept)
        finally:
            if self._rendering.get((key, version)) is future:
                del self._rendering[(key, version)]
            future.set_result(kept)
        if kept is not None and captured.status == 200 and etag_matches(if_none_match, kept.etag):
            headers = [*kept.not_modified, *_request_id_of(captured.headers)]
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        await send(
            {"type": "http.response.start", "status": captured.status, "headers": captured.headers}
        )
        await send({"type": "http.response.body", "body": b"".join(captured.chunks)})

    @staticmethod
    def _keepable(scope: Scope, captured: _Captured, version: Hashable, route: str) -> Kept | None:
        if captured.status not in CACHEABLE_STATUSES or not captured.complete:
            return None
        cache_control = b""
        etag = None
        vary: list[tuple[bytes, bytes | None]] = []
        for name, value in captured.headers:
            if name == b"cache-control":
                cache_control = value.lower()
            elif name == b"etag":
                etag = value
            elif name == b"set-cookie":
                return None
            elif name == b"vary":
                for named in value.lower().split(b","):
                    named = named.strip()
                    if named == b"*":
                        return None
                    if named:
                        vary.append((named, _header(scope, named)))
        directives = {d.strip().split(b"=")[0] for d in cache_control.split(b",")}
        if b"public" not in directives or directives & {b"private", b"no-store", b"no-cache"}:
            return None
        headers = tuple((n, v) for n, v in captured.headers if n not in _NOT_KEPT)
        return Kept(
            version=version,
            status=captured.status,
            headers=headers,
            body=b"".join(captured.chunks),
            etag=etag,
            vary=tuple(vary),
            route=route,
            not_modified=tuple((n, v) for n, v in headers if n not in _NOT_ON_304),
        )


def _request_id_of(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    return [(n, v) for n, v in headers if n == REQUEST_ID_HEADER_BYTES]
