"""A worker process killed after a release's commit and before its bookkeeping: the retried
activity on a second worker finds the commit by its trailers and records it — one commit, every
deployment deployed at it (real `brain worker` processes, the Temporal dev server, PostgreSQL,
real git)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import asyncpg
import pygit2
import pytest
from sqlalchemy import func, select

from brain.bootstrap import Platform, build_platform
from brain.course_content.models import (
    ContentRelease,
    CourseContentDeployment,
    DeploymentHistory,
)
from brain.course_content.module import MODULE as CONTENT
from brain.course_content.schemas import AssignExample, ContentCreate
from brain.events.models import EventRecord
from brain.kernel import migrations
from brain.kernel.auth.models import Role
from brain.kernel.auth.service import Principal
from brain.kernel.db import Database
from tests.conftest import make_settings, make_tenant
from tests.support.content import make_course, package_files
from tests.support.processes import start_worker
from tests.support.services import (
    create_postgres_database,
    drop_postgres_database,
    require_postgres,
)

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


def tail(log: Path) -> str:
    return log.read_text()[-3000:]


async def until(check: Callable[[], Awaitable[bool]], what: str, log: Path, within: float) -> None:
    deadline = time.monotonic() + within
    while not await check():
        assert time.monotonic() < deadline, f"{what} did not happen:\n{tail(log)}"
        await asyncio.sleep(0.05)


async def release_status(platform: Platform, run_id: str) -> str | None:
    async with platform.database.read_session() as session:
        return await session.scalar(
            select(ContentRelease.status).where(ContentRelease.run_id == run_id)
        )


async def start_release(platform: Platform, principal: Principal, course_id: uuid.UUID) -> str:
    deps = platform.deps_of(CONTENT)
    async with deps.reading() as unit:
        started = await deps.releases(unit).start(principal, course_id, [], False)
    async with deps.units_of_work() as uow:
        await deps.releases(uow).record_started(started)
    return started.run_id


async def test_a_worker_killed_between_commit_and_bookkeeping_commits_once(
    database_url: str, temporal_address: str, tmp_path: Path
) -> None:
    values = {
        "BRAIN_DATABASE_URL": database_url,
        "BRAIN_DATA_DIR": str(tmp_path / "var"),
        "BRAIN_TEMPORAL_ADDRESS": temporal_address,
        "BRAIN_TEMPORAL_TASK_QUEUE": f"crash-factory-{uuid.uuid4().hex[:8]}",
        "BRAIN_CONTENT_TASK_QUEUE": f"crash-content-{uuid.uuid4().hex[:8]}",
        "BRAIN_CONTENT_RELEASE_HEARTBEAT_SECONDS": "1",
        "BRAIN_EVENTS_POLL_SECONDS": "0.1",
        "BRAIN_PUBLIC_BASE_URL": "http://testserver",
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRAIN_")} | values
    settings = make_settings(**{k.removeprefix("BRAIN_").lower(): v for k, v in values.items()})
    platform = build_platform(settings)
    log = tmp_path / "workers.log"
    first = start_worker(env, tmp_path, log)
    second: subprocess.Popen[bytes] | None = None
    try:
        tenant = await make_tenant(platform, "acme")
        principal = Principal(tenant.tenant_id, tenant.key_ids[Role.EDITOR], Role.EDITOR)
        course_id = await make_course(platform, tenant)
        deps = platform.deps_of(CONTENT)
        from brain.course_content.packages import PackageFile, build

        async with platform.unit_of_work() as uow:
            task = await deps.content(uow).create(
                tenant.tenant_id,
                ContentCreate(course_id=course_id, path="task", kind="assignment", title="Task"),
            )
            examples = deps.examples(uow)
            package = build([PackageFile(p, c) for p, c in package_files().items()])
            example = await examples.ensure(principal, "python.loops", package)
            v1 = await examples.add_version(principal, example, package, None)
            changed = build(
                [PackageFile(p, c) for p, c in package_files(title="Loops, again").items()]
            )
            v2 = await examples.add_version(principal, example, changed, None)
        async with platform.unit_of_work() as uow:
            await deps.deployments(uow).assign(
                principal, task.id, AssignExample(example_version_id=v1.id)
            )

        run_1 = await start_release(platform, principal, course_id)

        async def ended(run_id: str) -> bool:
            return await release_status(platform, run_id) in ("completed", "failed")

        await until(lambda: ended(run_1), "the first release", log, 60)
        assert await release_status(platform, run_1) == "completed"
        git_path = tmp_path / "var" / "repositories" / str(tenant.tenant_id) / f"{course_id}.git"
        first_sha = str(pygit2.Repository(str(git_path)).head.target)

        async with platform.unit_of_work() as uow:
            await deps.deployments(uow).assign(
                principal, task.id, AssignExample(example_version_id=v2.id)
            )
        # Hold the repository row: the release commits, then waits on its first write.
        lock = await asyncpg.connect(database_url.replace("postgresql+asyncpg", "postgresql"))
        transaction = lock.transaction()
        await transaction.start()
        await lock.execute(
            "SELECT 1 FROM course_content_repository WHERE course_id = $1 FOR UPDATE", course_id
        )
        run_2 = await start_release(platform, principal, course_id)

        async def committed() -> bool:
            return str(pygit2.Repository(str(git_path)).head.target) != first_sha

        try:
            await until(committed, "the second commit", log, 60)
            os.killpg(first.pid, signal.SIGKILL)
            first.wait()
            assert await release_status(platform, run_2) == "running"
        finally:
            await transaction.rollback()
            await lock.close()

        second = start_worker(env, tmp_path, log)
        await until(lambda: ended(run_2), "the retried release", log, 90)
        assert await release_status(platform, run_2) == "completed"

        git = pygit2.Repository(str(git_path))
        head = git.head.peel(pygit2.Commit)
        assert [str(p.id) for p in head.parents] == [first_sha]  # one commit, not two
        assert head.message_trailers["Brain-Workflow-Run-Id"] == run_2
        async with platform.database.read_session() as session:
            release = await session.scalar(
                select(ContentRelease).where(ContentRelease.run_id == run_2)
            )
            deployment = await session.scalar(
                select(CourseContentDeployment).where(
                    CourseContentDeployment.course_content_id == task.id
                )
            )
            deployed = await session.scalar(
                select(func.count())
                .select_from(DeploymentHistory)
                .where(DeploymentHistory.action == "deployed")
            )
            completed = await session.scalar(
                select(func.count())
                .select_from(EventRecord)
                .where(EventRecord.type == "course_content.release.completed")
            )
        assert release is not None and release.commit_sha == str(head.id)
        assert deployment is not None
        assert (deployment.deployment_status, deployment.version_identifier) == (
            "deployed",
            str(head.id),
        )
        assert deployment.example_version_id == v2.id
        assert (deployed, completed) == (2, 2)  # one per release
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=30)
        await platform.close()
