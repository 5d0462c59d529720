"""Cancelling a generation: a running one (between two lessons), and one not yet started."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from brain.bootstrap import Platform, build_platform, create_app
from brain.kernel.auth.models import Role
from tests.conftest import TenantKeys, clear_tables, make_settings, make_tenant
from tests.support.courses import RunningPlatform, course_settings, wait_for_status
from tests.support.events import Setup
from tests.support.fake_llm import FakeLlm
from tests.support.slow_llm import FULL_LESSONS

pytestmark = pytest.mark.slow

REQUEST = {
    "title": "Cancellable course",
    "language": "en",
    "target_audiences": ["students"],
    "full_lessons_count": FULL_LESSONS,
}


@pytest.fixture
async def slow_platform(
    course_setup: Setup,
    course_database_url: str,
    tmp_path: Path,
    temporal_address: str,
    slow_llm: FakeLlm,
) -> AsyncIterator[Platform]:
    values = course_settings(
        course_setup,
        course_database_url,
        tmp_path,
        temporal_address,
        llm_base_url=slow_llm.base_url,
        generation_lesson_concurrency=1,
    )
    platform = build_platform(make_settings(**values))
    yield platform
    await clear_tables(platform.database)
    await platform.close()


async def events_of(api: httpx.AsyncClient, course_id: str, keys: TenantKeys) -> Counter[str]:
    events = (await api.get(f"/api/courses/{course_id}/events", headers=keys.auth())).json()
    return Counter(event["type"] for event in events)


async def test_a_running_generation_is_cancelled_and_a_retry_finishes_it_without_repeats(
    slow_platform: Platform,
) -> None:
    running = RunningPlatform(slow_platform)
    await running.start()
    try:
        acme = await make_tenant(slow_platform, "acme")
        transport = httpx.ASGITransport(app=create_app(slow_platform))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as api:
            accepted = await api.post(
                "/api/courses/generate", json=REQUEST, headers=acme.auth(Role.EDITOR)
            )
            course_id = accepted.json()["course_id"]
            deadline = time.monotonic() + 60
            while (await events_of(api, course_id, acme))["course.lesson.generated"] < 1:
                assert time.monotonic() < deadline
                await asyncio.sleep(0.05)
            cancelled = await api.post(
                f"/api/courses/{course_id}/cancel", headers=acme.auth(Role.EDITOR)
            )
            assert cancelled.status_code == 202, cancelled.text
            course = await wait_for_status(api, course_id, acme.auth(), {"cancelled", "completed"})
            assert course["generation_status"] == "cancelled"
            assert course["error"].startswith("GenerationCancelled")
            events = (await api.get(f"/api/courses/{course_id}/events", headers=acme.auth())).json()
            [failed] = [e["payload"] for e in events if e["type"] == "course.generation.failed"]
            assert failed["error_type"] == "GenerationCancelled"
            done_before = (await events_of(api, course_id, acme))["course.lesson.generated"]
            assert done_before < FULL_LESSONS

            retried = await api.post(
                f"/api/courses/{course_id}/retry", headers=acme.auth(Role.EDITOR)
            )
            assert retried.status_code == 202
            course = await wait_for_status(api, course_id, acme.auth(), {"completed", "failed"}, 90)
            assert course["generation_status"] == "completed"
            counts = await events_of(api, course_id, acme)
            assert counts["course.lesson.generated"] == FULL_LESSONS
            assert counts["course.outline.created"] == 1
            assert counts["course.generation.requested"] == 2
            assert counts["course.generation.completed"] == 1
    finally:
        await running.close()


async def test_a_generation_cancelled_before_it_started_never_starts(
    slow_platform: Platform,
) -> None:
    acme = await make_tenant(slow_platform, "acme")
    transport = httpx.ASGITransport(app=create_app(slow_platform))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as api:
        accepted = await api.post(
            "/api/courses/generate", json=REQUEST, headers=acme.auth(Role.EDITOR)
        )
        course_id = accepted.json()["course_id"]
        cancelled = await api.post(
            f"/api/courses/{course_id}/cancel", headers=acme.auth(Role.EDITOR)
        )
        assert cancelled.status_code == 202, cancelled.text
        assert cancelled.json()["generation_status"] == "cancelled"
        running = RunningPlatform(slow_platform)
        await running.start()
        try:
            ops = slow_platform.events.operations
            deadline = time.monotonic() + 30
            while await ops.processed_count("course_factory_generation") < 1:
                assert time.monotonic() < deadline, "the starter never saw the request"
                await asyncio.sleep(0.05)
            course = (await api.get(f"/api/courses/{course_id}", headers=acme.auth())).json()
            assert course["generation_status"] == "cancelled"
            assert (await events_of(api, course_id, acme))["course.outline.created"] == 0
        finally:
            await running.close()
