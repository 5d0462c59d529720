"""The freshness contract of the public pages kept in memory (ADR 0024), with two real `brain
serve` processes on one database: the process that made a change serves it on its next request,
the other one within a second; a page made PRIVATE is not served after that."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.test_make_run import KEY
from tests.e2e.test_serve import Server, base_env, brain, published_distribution, serving
from tests.support.services import (
    create_postgres_database,
    drop_postgres_database,
    require_postgres,
)

pytestmark = pytest.mark.slow

WINDOW = 1.0
"""The contract: every other process within one second."""


@pytest.fixture(params=["sqlite", "postgres"])
def database_env(request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    if request.param == "sqlite":
        yield {}
        return
    require_postgres()
    url = asyncio.run(create_postgres_database())
    try:
        yield {"BRAIN_DATABASE_URL": url.replace("+asyncpg", "")}
    finally:
        asyncio.run(drop_postgres_database(url))


def seconds_until(check: Callable[[], bool], limit: float = 5.0) -> float:
    """How long until `check()` holds, asking every 20 ms (fails after `limit`)."""
    started = time.monotonic()
    while not check():
        elapsed = time.monotonic() - started
        assert elapsed < limit, f"not after {limit} s"
        time.sleep(0.02)
    return time.monotonic() - started


def page(server: Server, slug: str, **headers: str) -> httpx.Response:
    return httpx.get(f"{server.base}/courses/{slug}", headers=headers, timeout=10)


def test_two_processes_serve_a_change_within_the_freshness_window(
    tmp_path: Path, database_env: dict[str, str]
) -> None:
    env = base_env(tmp_path, BRAIN_EMBEDDED_WORKER="false", **database_env)
    setup = brain(env, tmp_path, "setup")
    assert setup.returncode == 0, setup.stderr
    key = KEY.search(setup.stdout)
    assert key is not None
    auth = {"Authorization": f"Bearer {key[0]}"}

    with serving(env, tmp_path) as writer, serving(env, tmp_path) as reader:
        distribution_id = published_distribution(writer.base, key[0])
        catalog = httpx.get(f"{reader.base}/api/distributions/catalog").json()
        slug = catalog["items"][0]["slug"]
        kept = page(reader, slug)
        assert kept.status_code == 200 and "Saving money" in kept.text
        assert page(reader, slug, **{"If-None-Match": kept.headers["etag"]}).status_code == 304

        renamed = httpx.put(
            f"{writer.base}/api/distributions/{distribution_id}",
            json={"title": "Saving money, renamed"},
            headers=auth,
        )
        assert renamed.status_code == 200, renamed.text
        assert "Saving money, renamed" in page(writer, slug).text  # its next request
        lag = seconds_until(lambda: "Saving money, renamed" in page(reader, slug).text)
        assert lag < WINDOW
        assert page(reader, slug, **{"If-None-Match": kept.headers["etag"]}).status_code == 200

        hidden = httpx.post(
            f"{writer.base}/api/distributions/{distribution_id}/unpublish", headers=auth
        )
        assert hidden.status_code == 200, hidden.text
        assert page(writer, slug).status_code == 404
        lag = seconds_until(lambda: page(reader, slug).status_code == 404)
        assert lag < WINDOW
        assert [page(reader, slug).status_code for _ in range(20)] == [404] * 20
        assert httpx.get(f"{reader.base}/api/distributions/catalog").json()["total"] == 0
        assert slug not in httpx.get(f"{reader.base}/sitemap.xml").text
        assert slug not in httpx.get(f"{reader.base}/courses").text
    for server in (writer, reader):
        assert "Traceback" not in server.output, server.output
