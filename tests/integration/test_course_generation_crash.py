"""A worker process killed in the middle of a generation, and another one started: the same course
finishes with exactly one event of each kind (real `brain worker` processes, a real Temporal dev
server, PostgreSQL, and a slow OpenAI-compatible endpoint on loopback standing in for the LLM)."""

from __future__ import annotations

import asyncio
import os
import signal
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from brain.bootstrap import build_platform
from brain.course_factory.models import Course
from brain.course_factory.module import MODULE as FACTORY
from brain.course_factory.schemas import GenerateRequest
from brain.events.models import EventRecord
from brain.kernel import migrations
from brain.kernel.auth.models import Role
from brain.kernel.auth.service import AuthService, Principal
from brain.kernel.db import Database
from tests.conftest import make_settings
from tests.support.fake_llm import FakeLlm
from tests.support.processes import start_worker
from tests.support.services import (
    create_postgres_database,
    drop_postgres_database,
    require_postgres,
)
from tests.support.slow_llm import FULL_LESSONS

pytestmark = pytest.mark.slow


@pytest.fixture
async def database_url() -> AsyncIterator[str]:
    require_postgres()
    url = await create_postgres_database()
    database = Database(url)
    await migrations.upgrade(database.engine)
    await database.dispose()
    yield url
    await drop_postgres_database(url)


async def counts(database: Database, course_id: uuid.UUID) -> Counter[str]:
    async with database.read_session() as session:
        rows = await session.execute(
            select(EventRecord.type, func.count())
            .where(EventRecord.aggregate_id == str(course_id), EventRecord.type.like("course.%"))
            .group_by(EventRecord.type)
        )
        return Counter({event_type: int(n) for event_type, n in rows.all()})


async def status_of(database: Database, course_id: uuid.UUID) -> str:
    async with database.read_session() as session:
        course = await session.get(Course, course_id)
        assert course is not None
        return course.generation_status


async def test_a_worker_killed_mid_generation_is_replaced_and_the_course_finishes_once(
    slow_llm: FakeLlm, database_url: str, temporal_address: str, tmp_path: Path
) -> None:
    values = {
        "BRAIN_DATABASE_URL": database_url,
        "BRAIN_DATA_DIR": str(tmp_path / "var"),
        "BRAIN_TEMPORAL_ADDRESS": temporal_address,
        "BRAIN_TEMPORAL_TASK_QUEUE": f"crash-{uuid.uuid4().hex[:8]}",
        "BRAIN_LLM_BASE_URL": slow_llm.base_url,
        "BRAIN_LLM_TIMEOUT_SECONDS": "5",
        "BRAIN_GENERATION_LESSON_CONCURRENCY": "2",
        "BRAIN_GENERATION_ACTIVITY_TIMEOUT_SECONDS": "4",
        "BRAIN_EVENTS_POLL_SECONDS": "0.1",
        "BRAIN_EVENTS_CLAIM_IDLE_SECONDS": "2",
        "BRAIN_PUBLIC_BASE_URL": "http://testserver",
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRAIN_")} | values
    settings = make_settings(**{k.removeprefix("BRAIN_").lower(): v for k, v in values.items()})
    database = Database(settings.resolved_database_url)

    platform = build_platform(settings)
    try:
        async with platform.unit_of_work() as uow:
            tenant = await AuthService(uow.session).create_tenant("acme")
        async with platform.unit_of_work() as uow:
            service = platform.deps_of(FACTORY).service(uow)
            course = await service.request_generation(
                Principal(tenant.id, uuid.uuid4(), Role.EDITOR),
                GenerateRequest(
                    title="Crash-proof course",
                    language="en",
                    target_audiences=["employees"],
                    full_lessons_count=FULL_LESSONS,
                ),  # type: ignore[arg-type]
            )
        log = tmp_path / "workers.log"
        first = start_worker(env, tmp_path, log)
        deadline = time.monotonic() + 60
        while (await counts(database, course.id))["course.lesson.generated"] < 2:
            assert first.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            await asyncio.sleep(0.05)
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
        halfway = await counts(database, course.id)
        assert halfway["course.lesson.generated"] < FULL_LESSONS
        assert halfway["course.generation.completed"] == 0

        second = start_worker(env, tmp_path, log)
        try:
            deadline = time.monotonic() + 90
            while await status_of(database, course.id) not in ("completed", "failed"):
                assert second.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                await asyncio.sleep(0.2)
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(timeout=30)
        assert await status_of(database, course.id) == "completed"
        assert await counts(database, course.id) == {
            "course.generation.requested": 1,
            "course.outline.created": 1,
            "course.lesson.generated": FULL_LESSONS,
            "course.quiz.created": 1,
            "course.landing_page.created": 1,
            "course.deployed.staging": 1,
            "course.generation.completed": 1,
            "course.workflow.transitioned": 1,
        }
    finally:
        await platform.close()
        await database.dispose()
