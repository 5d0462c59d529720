"""A chat-completions server on loopback that speaks the OpenAI protocol, for the LLM generator
and for slow generations: replies are scripted (`script`), computed (`respond`), or a default."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    def payload(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, str]]:
        return self.body["messages"]


def completion(content: Any, prompt_tokens: int = 100, completion_tokens: int = 50) -> Reply:
    """A chat completion whose message content is `content` (a model is dumped as JSON)."""
    if hasattr(content, "model_dump_json"):
        text = content.model_dump_json()
    elif isinstance(content, str):
        text = content
    else:
        text = json.dumps(content)
    return Reply(
        body={
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": "brain-test-model",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text},
                    "finish_reason": "stop",
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }
    )


class FakeLlm:
    """An OpenAI-compatible chat-completions server on 127.0.0.1 with scripted replies."""

    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.otherwise: Reply | None = None
        self.respond: Callable[[dict[str, Any]], Reply] | None = None
        self.requests: list[Seen] = []
        self.asked = asyncio.Event()
        """Set once a request has arrived."""
        self._server: asyncio.Server | None = None
        self._handlers: set[asyncio.Task[Any]] = set()

    @property
    def base_url(self) -> str:
        assert self._server is not None
        host, port = self._server.sockets[0].getsockname()[:2]
        return f"http://{host}:{port}/v1"

    def script(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._handlers):
            task.cancel()
        await asyncio.gather(*self._handlers, return_exceptions=True)
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        try:
            while True:  # keep-alive: several requests per connection
                request_line = await reader.readline()
                if not request_line:
                    return
                method, path, _ = request_line.decode("latin-1").split(" ", 2)
                headers: dict[str, str] = {}
                while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
                    name, _, value = line.decode("latin-1").partition(":")
                    headers[name.strip().lower()] = value.strip()
                raw = await reader.readexactly(int(headers.get("content-length", "0")))
                self.requests.append(Seen(method, path, headers, json.loads(raw) if raw else {}))
                self.asked.set()
                body = json.loads(raw) if raw else {}
                reply = self.replies.pop(0) if self.replies else None
                if reply is None and self.respond is not None:
                    reply = self.respond(body)
                reply = reply or self.otherwise
                if reply is None:
                    reply = Reply(500, {"error": {"message": "no reply scripted"}})
                if reply.delay:
                    await asyncio.sleep(reply.delay)
                payload = reply.payload()
                head = [
                    f"HTTP/1.1 {reply.status} {HTTPStatus(reply.status).phrase}",
                    "Content-Type: application/json",
                    f"Content-Length: {len(payload)}",
                    *(f"{name}: {value}" for name, value in reply.headers.items()),
                ]
                writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + payload)
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        except asyncio.CancelledError:
            return  # `stop` ends a connection still waiting for its reply
        finally:
            self._handlers.discard(task)
            writer.close()
