"""Course content test support: courses built through the factory's own steps (the offline
template generator, no workflow), example packages as zips, and small API helpers."""

from __future__ import annotations

import asyncio
import io
import time
import uuid
import zipfile
from typing import Any

import httpx
import yaml

from brain.bootstrap import Platform
from brain.course_factory.generation import NotQueued
from brain.course_factory.models import Course
from brain.course_factory.module import MODULE as FACTORY
from brain.course_factory.schemas import GenerateRequest
from brain.kernel.auth.models import Role
from brain.kernel.auth.service import Principal
from tests.conftest import TenantKeys

CONTENTS = "/api/course-contents"
EXAMPLES = "/api/examples"


async def make_course(
    platform: Platform, tenant: TenantKeys, *, complete: bool = False, title: str = "Loops"
) -> uuid.UUID:
    """A course with its outline (begin + create_outline of the template generator); with
    `complete`, also its evidence pack and `course.generation.completed`."""
    steps = platform.deps_of(FACTORY).steps
    async with platform.unit_of_work() as uow:
        service = platform.deps_of(FACTORY).service(uow)
        created = await service.request_generation(
            Principal(tenant.tenant_id, tenant.key_ids[Role.EDITOR], Role.EDITOR),
            GenerateRequest(
                title=title,
                language="en",
                target_audiences=["employees"],
                full_lessons_count=0,
                generate_quiz=False,
                generate_landing_page=False,
                deploy_to_staging=False,
            ),  # type: ignore[arg-type]
        )
    try:
        await steps.begin(created.id)
    except NotQueued:
        # A running platform's own generation took the course first (its template generator
        # writes the same outline): wait for it to finish instead of racing it.
        await generated(platform, created.id)
        return created.id
    await steps.create_outline(created.id)
    if complete:
        await steps.build_evidence_pack(created.id)
        await steps.complete(created.id, 1.0)
    return created.id


async def generated(platform: Platform, course_id: uuid.UUID, within: float = 30.0) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        async with platform.database.read_session() as session:
            course = await session.get(Course, course_id)
        if course is not None and course.generation_status == "completed":
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"course {course_id} was not generated within {within} s")


def meta(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": "FizzBuzz",
        "description": "Print the numbers with a twist.",
        "student_submission_files": ["fizzbuzz.py"],
        "additional_files": ["data/numbers.txt"],
        "test_files": ["tests/test_fizzbuzz.py"],
        "solution_files": ["solution/fizzbuzz.py"],
    }
    values.update(overrides)
    return values


def package_files(**meta_overrides: Any) -> dict[str, bytes]:
    return {
        "meta.yaml": yaml.safe_dump(meta(**meta_overrides)).encode(),
        "content/index.md": b"# FizzBuzz\n\n![loop](mediaFiles/loop.png)\n",
        "content/index_de.md": b"# FizzBuzz (de)\n",
        "content/mediaFiles/loop.png": b"\x89PNG fake image",
        "data/numbers.txt": b"1\n2\n3\n",
        "studentTemplates/fizzbuzz.py": b"def fizzbuzz(n):\n    ...\n",
        "tests/test_fizzbuzz.py": b"def test_secret(): assert True\n",
        "solution/fizzbuzz.py": b"def fizzbuzz(n): return 'secret solution'\n",
    }


def zip_of(files: dict[str, bytes], *, folder: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(folder + name, content)
    return buffer.getvalue()


async def create_example(
    api: httpx.AsyncClient, tenant: TenantKeys, identifier: str = "python.loops.fizzbuzz"
) -> dict[str, Any]:
    response = await api.post(
        EXAMPLES,
        json={"identifier": identifier, "title": "FizzBuzz"},
        headers=tenant.auth(Role.EDITOR),
    )
    assert response.status_code == 201, response.text
    return response.json()


async def upload(
    api: httpx.AsyncClient,
    tenant: TenantKeys,
    example_id: str,
    data: bytes,
    tag: str | None = None,
) -> httpx.Response:
    return await api.post(
        f"{EXAMPLES}/{example_id}/versions",
        files={"file": ("package.zip", data, "application/zip")},
        data={"version_tag": tag} if tag else {},
        headers=tenant.auth(Role.EDITOR),
    )


async def uploaded_version(
    api: httpx.AsyncClient, tenant: TenantKeys, example_id: str, tag: str | None = None, **meta: Any
) -> dict[str, Any]:
    response = await upload(api, tenant, example_id, zip_of(package_files(**meta)), tag)
    assert response.status_code == 201, response.text
    return response.json()


async def add_node(
    api: httpx.AsyncClient, tenant: TenantKeys, course_id: uuid.UUID, path: str, kind: str
) -> httpx.Response:
    return await api.post(
        CONTENTS,
        json={"course_id": str(course_id), "path": path, "kind": kind, "title": path},
        headers=tenant.auth(Role.EDITOR),
    )


async def node(
    api: httpx.AsyncClient, tenant: TenantKeys, course_id: uuid.UUID, path: str, kind: str
) -> dict[str, Any]:
    response = await add_node(api, tenant, course_id, path, kind)
    assert response.status_code == 201, response.text
    return response.json()


# -- releases -------------------------------------------------------------------------------

RELEASE_SETUPS = ["sqlite-sql", "postgres-redis"]


def content_settings(
    setup: Any, database_url: str, tmp_path: Any, temporal_address: str, **overrides: Any
) -> dict[str, Any]:
    from tests.support.courses import course_settings

    values = course_settings(setup, database_url, tmp_path, temporal_address)
    values.update(
        content_task_queue=f"course-content-{uuid.uuid4().hex[:10]}",
        content_release_heartbeat_seconds=2.0,
    )
    values.update(overrides)
    return values


async def wait_for_release(
    api: httpx.AsyncClient,
    tenant: TenantKeys,
    status_url: str,
    within: float = 60.0,
) -> dict[str, Any]:
    import asyncio
    import time

    deadline = time.monotonic() + within
    while True:
        response = await api.get(status_url, headers=tenant.auth())
        if response.status_code == 200 and response.json()["status"] in ("completed", "failed"):
            return response.json()
        if time.monotonic() > deadline:
            raise AssertionError(f"the release did not end: {response.text}")
        await asyncio.sleep(0.1)


async def release(
    api: httpx.AsyncClient, tenant: TenantKeys, course_id: uuid.UUID, **body: Any
) -> dict[str, Any]:
    response = await api.post(
        f"/api/courses/{course_id}/releases", json=body or None, headers=tenant.auth(Role.EDITOR)
    )
    assert response.status_code == 202, response.text
    return await wait_for_release(api, tenant, response.json()["status_url"])
