"""Starting releases: one per course at a time (409 with the running workflow's id, from the
platform's records and from Temporal itself), and bad input answering 4xx naming the field. No
worker serves the task queue here, so a started release stays running."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from brain.bootstrap import Platform, build_platform, create_app
from brain.course_content.module import MODULE as CONTENT
from brain.kernel.auth.models import Role
from brain.kernel.auth.service import Principal
from brain.kernel.errors import Conflict
from tests.conftest import TenantKeys, clear_tables, make_settings, make_tenant
from tests.support.content import CONTENTS, create_example, make_course, node, uploaded_version

pytestmark = pytest.mark.parametrize("dialect", ["sqlite"], indirect=True)


@pytest.fixture
async def idle_platform(
    database_url: str, tmp_path: Path, temporal_address: str
) -> AsyncIterator[Platform]:
    platform = build_platform(
        make_settings(
            tmp_path,
            database_url=database_url,
            temporal_address=temporal_address,
            content_task_queue=f"idle-{uuid.uuid4().hex[:10]}",
        )
    )
    yield platform
    await clear_tables(platform.database)
    await platform.close()


@pytest.fixture
async def api(idle_platform: Platform) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(idle_platform))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def course_with_assignment(
    platform: Platform, api: httpx.AsyncClient, tenant: TenantKeys
) -> tuple[uuid.UUID, dict]:
    course_id = await make_course(platform, tenant)
    task = await node(api, tenant, course_id, "task", "assignment")
    example = await create_example(api, tenant)
    version = await uploaded_version(api, tenant, example["id"])
    await api.post(
        f"{CONTENTS}/{task['id']}/assign-example",
        json={"example_version_id": version["id"]},
        headers=tenant.auth(),
    )
    return course_id, task


async def test_a_second_release_of_a_course_while_one_runs_answers_409_with_its_id(
    idle_platform: Platform, api: httpx.AsyncClient
) -> None:
    tenant = await make_tenant(idle_platform, "acme")
    course_id, _task = await course_with_assignment(idle_platform, api, tenant)
    url = f"/api/courses/{course_id}/releases"
    first = await api.post(url, json={"all_pending": True}, headers=tenant.auth(Role.EDITOR))
    assert first.status_code == 202, first.text
    accepted = first.json()
    assert accepted["workflow_id"] == f"release-{course_id}"
    assert accepted["status_url"] == f"{url}/release-{course_id}"
    assert accepted["deployments"] == 1
    client = await idle_platform.temporal.client()
    try:
        second = await api.post(url, headers=tenant.auth(Role.EDITOR))
        assert second.status_code == 409
        assert second.json()["workflow_id"] == f"release-{course_id}"
        assert second.json()["run_id"] == accepted["run_id"]
        # Temporal refuses a second run by itself too (the workflow id is the course's).
        deps = idle_platform.deps_of(CONTENT)
        principal = Principal(tenant.tenant_id, tenant.key_ids[Role.EDITOR], Role.EDITOR)
        async with deps.reading() as unit:
            with pytest.raises(Conflict) as refused:
                await deps.releases(unit).start(principal, course_id, [], False)
        assert refused.value.extra["run_id"] == accepted["run_id"]
        shown = await api.get(accepted["status_url"], headers=tenant.auth(Role.VIEWER))
        assert shown.json()["status"] == "requested"
        by_run = await api.get(f"{url}/{accepted['run_id']}", headers=tenant.auth())
        assert by_run.json()["run_id"] == accepted["run_id"]
    finally:
        await client.get_workflow_handle(accepted["workflow_id"]).terminate("test over")


async def test_bad_release_requests_answer_4xx_naming_the_field(
    idle_platform: Platform, api: httpx.AsyncClient
) -> None:
    tenant = await make_tenant(idle_platform, "acme")
    other = await make_tenant(idle_platform, "globex")
    course_id, task = await course_with_assignment(idle_platform, api, tenant)
    url = f"/api/courses/{course_id}/releases"
    both = await api.post(
        url, json={"all_pending": True, "content_ids": [task["id"]]}, headers=tenant.auth()
    )
    assert both.status_code == 422
    stray = await api.post(url, json={"content_ids": [str(uuid.uuid4())]}, headers=tenant.auth())
    assert stray.status_code == 422
    assert stray.json()["errors"][0]["field"] == "content_ids"
    empty_course = await make_course(idle_platform, tenant, title="Empty")
    nothing = await api.post(f"/api/courses/{empty_course}/releases", headers=tenant.auth())
    assert nothing.status_code == 422
    assert nothing.json()["errors"][0]["field"] == "all_pending"
    viewer = await api.post(url, headers=tenant.auth(Role.VIEWER))
    assert viewer.status_code == 403
    for method, path in (
        ("POST", url),
        ("GET", url),
        ("GET", f"{url}/release-{course_id}"),
        ("GET", f"/api/courses/{course_id}/repository"),
        ("GET", f"/api/courses/{course_id}/repository/files"),
        ("POST", f"{CONTENTS}/{task['id']}/deployment/rollback"),
    ):
        response = await api.request(
            method,
            path,
            json={"version_tag": "v1"} if "rollback" in path else None,
            headers=other.auth(),
        )
        assert response.status_code == 404, (method, path, response.text)
    unknown = await api.get(f"{url}/release-{uuid.uuid4()}", headers=tenant.auth())
    assert unknown.status_code == 404
    files = f"/api/courses/{course_id}/repository/files"
    bad_ref = await api.get(files, params={"ref": "-x"}, headers=tenant.auth())
    assert bad_ref.status_code == 422
    assert bad_ref.json()["errors"][0]["field"] == "query.ref"
    missing = await api.get(files, params={"ref": "v9"}, headers=tenant.auth())
    assert missing.status_code == 404
    repository = (
        await api.get(f"/api/courses/{course_id}/repository", headers=tenant.auth())
    ).json()
    assert repository["head"] is None
    rollback = await api.post(
        f"{CONTENTS}/{task['id']}/deployment/rollback", json={}, headers=tenant.auth()
    )
    assert rollback.status_code == 422
