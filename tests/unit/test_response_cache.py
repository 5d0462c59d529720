"""The response cache in front of the app: what it keeps, for which version, and what it answers
from memory (ADR 0024)."""

from __future__ import annotations

import asyncio
from collections.abc import Hashable

import httpx
import pytest
from fastapi import FastAPI, Request, Response

from brain.kernel.observability import Metrics
from brain.kernel.response_cache import CachedResponses, ResponseCacheMiddleware


class Fixture:
    def __init__(self) -> None:
        self.version: Hashable = 1
        self.renders: dict[str, int] = {}
        self.slow = asyncio.Event()
        self.slow.set()
        self.metrics = Metrics()
        inner = FastAPI()

        def counted(name: str) -> int:
            self.renders[name] = self.renders.get(name, 0) + 1
            return self.renders[name]

        @inner.get("/public/{name}")
        async def public(name: str, request: Request) -> Response:
            await self.slow.wait()
            n = counted(name)
            etag = f'"{name}-{self.version}"'
            headers = {"Cache-Control": "public, max-age=60", "ETag": etag}
            if request.headers.get("if-none-match") == etag:
                return Response(status_code=304, headers=headers)
            return Response(f"{name} render {n}", media_type="text/plain", headers=headers)

        @inner.get("/private")
        async def private() -> Response:
            n = counted("private")
            return Response(f"private {n}", headers={"Cache-Control": "private, no-store"})

        @inner.get("/cookie")
        async def cookie() -> Response:
            n = counted("cookie")
            response = Response(f"cookie {n}", headers={"Cache-Control": "public, max-age=60"})
            response.set_cookie("who", "you")
            return response

        @inner.get("/vary")
        async def vary(request: Request) -> Response:
            n = counted("vary")
            lang = request.headers.get("accept-language", "en")
            headers = {"Cache-Control": "public", "Vary": "Accept-Language"}
            return Response(f"{lang} {n}", headers=headers)

        @inner.get("/missing")
        async def missing() -> Response:
            n = counted("missing")
            return Response(f"gone {n}", status_code=404, headers={"Cache-Control": "public"})

        @inner.get("/outside")
        async def outside() -> Response:
            n = counted("outside")
            return Response(f"outside {n}", headers={"Cache-Control": "public, max-age=60"})

        @inner.get("/broken")
        async def broken() -> Response:
            n = counted("broken")
            return Response(f"broken {n}", status_code=500, headers={"Cache-Control": "public"})

        async def current() -> Hashable:
            return self.version

        self.app = ResponseCacheMiddleware(
            inner,
            [CachedResponses("test", lambda path: path != "/outside", current)],
            self.metrics,
        )

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://t")


@pytest.fixture
def cache() -> Fixture:
    return Fixture()


async def test_keeps_a_public_response_until_the_version_changes(cache: Fixture) -> None:
    async with cache.client() as http:
        first = await http.get("/public/a")
        again = await http.get("/public/a")
        other_query = await http.get("/public/a?page=2")
        cache.version = 2
        after = await http.get("/public/a")
    assert first.text == again.text == "a render 1"
    assert other_query.text == "a render 2"
    assert after.text == "a render 3"
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["cache-control"] == "public, max-age=60"


async def test_answers_304_from_memory_and_the_whole_body_to_others(cache: Fixture) -> None:
    async with cache.client() as http:
        cold = await http.get("/public/b", headers={"If-None-Match": '"b-1"'})
        warm = await http.get("/public/b", headers={"If-None-Match": 'W/"x", "b-1"'})
        stale = await http.get("/public/b", headers={"If-None-Match": '"b-0"'})
    # the first one is rendered in full (and kept), then answered 304 as it asked
    assert cold.status_code == warm.status_code == 304
    assert cold.content == warm.content == b""
    assert warm.headers["etag"] == '"b-1"' and "content-length" not in warm.headers
    assert stale.status_code == 200 and stale.text == "b render 1"
    assert cache.renders["b"] == 1


async def test_gives_every_answer_its_own_request_id(cache: Fixture) -> None:
    async with cache.client() as http:
        await http.get("/public/c")
        one = await http.get("/public/c")
        two = await http.get("/public/c", headers={"X-Request-ID": "caller-1"})
    assert one.headers["x-request-id"] != two.headers["x-request-id"] == "caller-1"
    assert len(one.headers.get_list("x-request-id")) == 1


@pytest.mark.parametrize("path", ["/private", "/cookie", "/broken", "/outside"])
async def test_keeps_nothing_http_forbids_a_shared_cache_to_keep(cache: Fixture, path: str) -> None:
    async with cache.client() as http:
        bodies = [(await http.get(path)).text for _ in range(2)]
    assert bodies[0] != bodies[1]


async def test_keeps_a_public_404(cache: Fixture) -> None:
    async with cache.client() as http:
        answers = [await http.get("/missing") for _ in range(2)]
    assert [a.status_code for a in answers] == [404, 404]
    assert cache.renders["missing"] == 1


async def test_answers_from_memory_only_for_the_same_values_of_the_vary_headers(
    cache: Fixture,
) -> None:
    async with cache.client() as http:
        de = await http.get("/vary", headers={"Accept-Language": "de"})
        fr = await http.get("/vary", headers={"Accept-Language": "fr"})
        fr_again = await http.get("/vary", headers={"Accept-Language": "fr"})
        de_again = await http.get("/vary", headers={"Accept-Language": "de"})
    assert [de.text, fr.text, fr_again.text, de_again.text] == ["de 1", "fr 2", "fr 2", "de 3"]


async def test_concurrent_misses_wait_for_one_render(cache: Fixture) -> None:
    cache.slow.clear()
    async with cache.client() as http:
        pending = [asyncio.ensure_future(http.get("/public/d")) for _ in range(10)]
        await asyncio.sleep(0.05)
        cache.slow.set()
        answers = await asyncio.gather(*pending)
    assert {a.text for a in answers} == {"d render 1"}
    assert cache.renders["d"] == 1


async def test_a_head_request_is_answered_without_the_body(cache: Fixture) -> None:
    async with cache.client() as http:
        full = await http.get("/public/e")
        head = await http.head("/public/e")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == full.headers["content-length"]


async def test_counts_answers_from_memory_in_the_http_metrics(cache: Fixture) -> None:
    async with cache.client() as http:
        for _ in range(3):
            await http.get("/public/f")
    counted = cache.metrics.registry.get_sample_value(
        "brain_http_requests_total",
        {"method": "GET", "route": "/public/{name}", "status": "200"},
    )
    assert counted == 2  # the two answered from memory; the render itself runs no metrics here
