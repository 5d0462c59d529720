"""`brain serve` as an operator runs it: on PostgreSQL from the first request on, and behind (or
not behind) a reverse proxy whose `X-Forwarded-For` it trusts only when told to."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import pytest

from tests.e2e.test_make_run import KEY, free_port
from tests.support.services import (
    create_postgres_database,
    drop_postgres_database,
    require_postgres,
)

BIN = Path(sys.executable).parent
SEO = {
    "meta_title": "Saving money as a student",
    "meta_description": (
        "What students can do to save money every month, step by step, with examples."
    ),
}
CTA = {"label": "Start the course", "action": "open_course"}

pytestmark = pytest.mark.slow


def base_env(workdir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRAIN_")}
    env.update(BRAIN_DATA_DIR=str(workdir / "var"), BRAIN_TEMPORAL_DEV_PORT=str(free_port()))
    env.update(extra)
    return env


def brain(env: dict[str, str], workdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BIN / "brain", *args], cwd=workdir, env=env, capture_output=True, text=True, timeout=60
    )


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    """Until the server accepts connections, without sending it a request."""
    deadline = time.monotonic() + timeout
    while True:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        if time.monotonic() > deadline:
            raise AssertionError(f"nothing listens on port {port}")
        time.sleep(0.05)


@dataclass
class Server:
    base: str
    process: subprocess.Popen[str]
    output: str = ""


@contextmanager
def serving(env: dict[str, str], workdir: Path) -> Iterator[Server]:
    port = free_port()
    env = {**env, "BRAIN_PORT": str(port), "BRAIN_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"}
    process = subprocess.Popen(
        [BIN / "brain", "serve"],
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    server = Server(f"http://127.0.0.1:{port}", process)
    try:
        wait_for_port(port)
        yield server
    finally:
        process.send_signal(signal.SIGINT)
        server.output, _ = process.communicate(timeout=30)


# -- PostgreSQL: the first requests -------------------------------------------------------------


async def backends_idle_in_transaction(url: str) -> list[str]:
    name = url.rsplit("/", 1)[1]
    admin = url.replace("postgresql+asyncpg://", "postgresql://").rsplit("/", 1)[0] + "/postgres"
    conn = await asyncpg.connect(admin)
    try:
        rows = await conn.fetch(
            "SELECT query FROM pg_stat_activity WHERE datname = $1 AND state LIKE 'idle in%'",
            name,
        )
    finally:
        await conn.close()
    return [row["query"] for row in rows]


def test_brain_serve_on_postgresql_answers_its_first_requests(tmp_path: Path) -> None:
    require_postgres()
    url = asyncio.run(create_postgres_database())
    try:
        env = base_env(tmp_path, BRAIN_DATABASE_URL=url.replace("+asyncpg", ""))
        assert brain(env, tmp_path, "db", "upgrade").returncode == 0
        with serving(env, tmp_path) as server:
            statuses = [
                httpx.get(f"{server.base}{path}", timeout=10).status_code
                for path in ("/ready", "/api/distributions/catalog", "/courses")
            ]
            idle = asyncio.run(backends_idle_in_transaction(url))
        assert statuses == [200, 200, 200], server.output
        assert idle == []
        assert "ERROR" not in server.output and "Traceback" not in server.output, server.output
        assert "Event loop is closed" not in server.output
    finally:
        asyncio.run(drop_postgres_database(url))


# -- forwarded headers ----------------------------------------------------------------------------


def published_distribution(base: str, key: str) -> str:
    """A PUBLIC distribution made through the API (the course is only requested: no worker runs)."""
    auth = {"Authorization": f"Bearer {key}"}
    course = httpx.post(
        f"{base}/api/courses/generate",
        json={"title": "Saving money", "language": "en", "target_audiences": ["students"]},
        headers=auth,
    )
    assert course.status_code == 202, course.text
    created = httpx.post(
        f"{base}/api/distributions/create",
        json={
            "course_id": course.json()["course_id"],
            "title": "Saving money",
            "language": "en",
            "target_group": ["students"],
            "seo": SEO,
            "cta": CTA,
        },
        headers=auth,
    )
    assert created.status_code == 201, created.text
    distribution_id = str(created.json()["id"])
    published = httpx.post(f"{base}/api/distributions/{distribution_id}/publish", headers=auth)
    assert published.status_code == 200, published.text
    return distribution_id


LIMIT = 5


def view_statuses(server: Server, distribution_id: str, rotating: int) -> list[int]:
    """The statuses of `rotating` views of one distribution, each claiming another client in
    `X-Forwarded-For`, all sent from one real client on 127.0.0.1."""
    return [
        httpx.post(
            f"{server.base}/api/distributions/{distribution_id}/log-view",
            headers={"X-Forwarded-For": f"203.0.113.{n}, 198.51.100.{n}"},
        ).status_code
        for n in range(1, rotating + 1)
    ]


def test_forwarded_headers_name_the_rate_limited_client_only_from_a_trusted_proxy(
    tmp_path: Path,
) -> None:
    env = base_env(
        tmp_path, BRAIN_EMBEDDED_WORKER="false", BRAIN_DISTRIBUTION_TRACKING_LIMIT=str(LIMIT)
    )
    setup = brain(env, tmp_path, "setup")
    assert setup.returncode == 0, setup.stderr
    key = KEY.search(setup.stdout)
    assert key is not None

    with serving(env, tmp_path) as direct:
        distribution_id = published_distribution(direct.base, key[0])
        untrusted = view_statuses(direct, distribution_id, LIMIT + 3)
    assert untrusted == [204] * LIMIT + [429] * 3, direct.output

    with serving({**env, "BRAIN_TRUSTED_PROXIES": "127.0.0.1,::1"}, tmp_path) as proxied:
        trusted = view_statuses(proxied, distribution_id, LIMIT + 3)
    assert trusted == [204] * (LIMIT + 3), proxied.output
    assert "Traceback" not in direct.output + proxied.output
