"""Public responses with validators: a body, its ETag and `Cache-Control`, and 304 when the
client already has it."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response

CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=60"
"""Shared caches (a CDN, a proxy) may keep a public page for a minute and serve it a minute longer
while they revalidate: a revalidation (`If-None-Match`) is a 304 from the server's memory. None
of these bodies depends on a request header, so none sends `Vary`."""


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    candidates = [c.strip() for c in if_none_match.split(",")]
    return any(c == "*" or c.removeprefix("W/") == etag for c in candidates)


@dataclass(frozen=True)
class Prepared:
    """A response body with its ETag, ready to send (and to keep in a cache)."""

    data: bytes
    etag: str
    media_type: str
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, body: str, media_type: str, headers: Mapping[str, str] | None = None) -> Prepared:
        data = body.encode("utf-8")
        return cls(data, etag_of(data), media_type, tuple((headers or {}).items()))

    def send(self, request: Request, status_code: int = 200) -> Response:
        """The body, or 304 when the client already has it."""
        all_headers = {"ETag": self.etag, "Cache-Control": CACHE_CONTROL, **dict(self.headers)}
        if status_code == 200 and matches(request.headers.get("if-none-match"), self.etag):
            return Response(status_code=304, headers=all_headers)
        return Response(
            self.data, status_code=status_code, media_type=self.media_type, headers=all_headers
        )


def cached(
    request: Request,
    body: str,
    media_type: str,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """`body` with an ETag and Cache-Control; 304 when the client already has it."""
    return Prepared.of(body, media_type, headers).send(request, status_code)
