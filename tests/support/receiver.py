"""Real HTTP servers on loopback for the integrations' tests: a webhook receiver whose answers a
test scripts, and a fake IndexNow endpoint that checks the protocol."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b"ok"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float

    def json(self) -> Any:
        return json.loads(self.body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: Receiver


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _handle(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        received = Received(
            self.command,
            self.path,
            {key.lower(): value for key, value in self.headers.items()},
            body,
            time.monotonic(),
        )
        reply = self.server.owner.answer(received)
        if reply.delay:
            time.sleep(reply.delay)
        self.send_response(reply.status)
        for key, value in reply.headers.items():
            self.send_header(key, value)
        self.send_header("content-length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    do_POST = do_GET = _handle


class Receiver:
    """Records every request; answers with the scripted replies in turn, then `default`."""

    def __init__(self, default: Reply | None = None) -> None:
        self.default = default or Reply()
        self._script: deque[Reply] = deque()
        self._lock = threading.Lock()
        self.requests: list[Received] = []
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self._script.extend(replies)

    def answer(self, received: Received) -> Reply:
        with self._lock:
            self.requests.append(received)
            return self._script.popleft() if self._script else self.default

    def on(self, path: str) -> list[Received]:
        with self._lock:
            return [r for r in self.requests if urlsplit(r.path).path == path]

    async def wait_for(self, count: int, within: float = 10.0, path: str | None = None) -> None:
        deadline = time.monotonic() + within
        while len(self.on(path) if path else self.requests) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{count} request(s) expected, got {len(self.requests)}")
            await asyncio.sleep(0.02)

    def start(self) -> Receiver:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def receiving(default: Reply | None = None) -> Iterator[Receiver]:
    receiver = Receiver(default).start()
    try:
        yield receiver
    finally:
        receiver.stop()


class FakeIndexNow(Receiver):
    """An IndexNow endpoint (https://www.indexnow.org/documentation): a JSON POST of `host`,
    `key`, `keyLocation` and `urlList` (at most 10,000 URLs, all on `host`, the key file on
    `host` too). Protocol faults answer as the search engines do — 400 malformed, 403 wrong key,
    422 a URL of another host — and a valid request gets the scripted reply (202 by default)."""

    def __init__(self, key: str) -> None:
        super().__init__(Reply(202, b""))
        self.key = key
        self.faults: list[str] = []

    def url(self, path: str = "/indexnow") -> str:
        return super().url(path)

    def answer(self, received: Received) -> Reply:
        fault = self._fault(received)
        if fault is None:
            return super().answer(received)
        with self._lock:
            self.requests.append(received)
            self.faults.append(fault[1])
        return Reply(fault[0], fault[1].encode())

    def _fault(self, received: Received) -> tuple[int, str] | None:
        if received.method != "POST" or urlsplit(received.path).path != "/indexnow":
            return 400, f"{received.method} {received.path} is not the IndexNow endpoint"
        if received.headers.get("content-type") != "application/json; charset=utf-8":
            return 400, f"content-type {received.headers.get('content-type')!r}"
        try:
            body = received.json()
        except ValueError:
            return 400, "not JSON"
        if not isinstance(body, dict) or set(body) != {"host", "key", "keyLocation", "urlList"}:
            return 400, f"fields {sorted(body) if isinstance(body, dict) else body!r}"
        urls = body["urlList"]
        if not isinstance(urls, list) or not 1 <= len(urls) <= 10_000:
            return 400, "urlList must hold 1 to 10,000 URLs"
        if body["key"] != self.key:
            return 403, "key not valid"
        location = urlsplit(body["keyLocation"])
        if location.hostname != body["host"] or location.path != f"/{self.key}.txt":
            return 403, f"keyLocation {body['keyLocation']!r}"
        if any(urlsplit(url).hostname != body["host"] for url in urls):
            return 422, "a URL does not belong to the host"
        return None

    def notified(self) -> list[list[str]]:
        """The URL lists of the accepted requests, in order."""
        with self._lock:
            return [
                r.json()["urlList"]
                for r in self.requests
                if urlsplit(r.path).path == "/indexnow" and r.method == "POST"
            ]
