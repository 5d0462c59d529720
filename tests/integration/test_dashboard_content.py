"""The dashboard's content and release pages through course_content's operator contract, on a
real Temporal dev server and real git repositories: the tree with each assignment's deployment,
assigning an example version (a newer one flagged), starting a release and watching it end, the
repository's files at HEAD, a deployment's history and a rollback that releases again; a viewer
sees no write control and a forged form is refused; another tenant's ids answer 404; a form
without its CSRF token changes nothing."""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from brain.bootstrap import Platform, build_platform, create_app
from brain.kernel.auth.models import Role
from tests.conftest import TenantKeys, clear_tables, make_settings, make_tenant
from tests.support.content import (
    RELEASE_SETUPS,
    content_settings,
    create_example,
    make_course,
    node,
    uploaded_version,
)
from tests.support.courses import RunningPlatform
from tests.support.dashboard import Dashboard, dashboard, flash, post_forms, text_of
from tests.support.events import Setup, delete_stream_keys, require_setup


@pytest.fixture(params=RELEASE_SETUPS)
def release_setup(request: pytest.FixtureRequest) -> Setup:
    parsed = Setup.parse(str(request.param))
    require_setup(parsed)
    return parsed


@pytest.fixture
def release_database_url(release_setup: Setup, request: pytest.FixtureRequest) -> str:
    fixture = "migrated_sqlite" if release_setup.dialect == "sqlite" else "migrated_postgres"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
async def platform(
    release_setup: Setup, release_database_url: str, tmp_path: Path, temporal_address: str
) -> AsyncIterator[Platform]:
    database_url = release_database_url
    values = content_settings(release_setup, database_url, tmp_path, temporal_address)
    built = build_platform(make_settings(**values))
    running = RunningPlatform(built)
    await running.start()
    yield built
    await running.close()
    await clear_tables(built.database)
    await built.close()
    if release_setup.transport == "redis":
        await delete_stream_keys(str(values["events_stream"]))


@pytest.fixture
def app(platform: Platform) -> Any:
    return create_app(platform)


@pytest.fixture
async def api(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
async def owner(platform: Platform) -> TenantKeys:
    return await make_tenant(platform, f"c-{uuid.uuid4().hex[:12]}")


async def signed_in(app: Any, tenant: TenantKeys, role: Role) -> AsyncIterator[Dashboard]:
    async with dashboard(app) as browser:
        assert (await browser.sign_in(tenant.keys[role])).status_code == 303
        yield browser


async def course_with_a_task(
    platform: Platform, api: httpx.AsyncClient, tenant: TenantKeys
) -> tuple[uuid.UUID, str, list[str]]:
    """A course with one assignment and an example with two versions: (course, task, [v1, v2])."""
    course_id = await make_course(platform, tenant)
    await node(api, tenant, course_id, "week_1", "unit")
    task = await node(api, tenant, course_id, "week_1.task_01", "assignment")
    example = await create_example(api, tenant, "python.fizzbuzz")
    first = await uploaded_version(api, tenant, example["id"], "v1")
    second = await uploaded_version(api, tenant, example["id"], "v2")
    return course_id, str(task["id"]), [str(first["id"]), str(second["id"])]


async def followed(browser: Dashboard, response: httpx.Response) -> httpx.Response:
    assert response.status_code == 303, response.text
    return await browser.get(response.headers["location"])


async def release_ended(browser: Dashboard, page: httpx.Response) -> httpx.Response:
    """Follow the release page's `Refresh` until it stops asking for one."""
    deadline = time.monotonic() + 60
    while "refresh" in page.headers:
        assert time.monotonic() < deadline, "the release did not end"
        await asyncio.sleep(0.2)
        page = await browser.get(str(page.url))
    return page


async def test_assigning_releasing_and_rolling_back_from_the_content_page(
    platform: Platform, app: Any, api: httpx.AsyncClient, owner: TenantKeys
) -> None:
    course_id, task_id, (v1, v2) = await course_with_a_task(platform, api, owner)
    async for editor in signed_in(app, owner, Role.EDITOR):
        page = await editor.get(f"/admin/content?course_id={course_id}")
        assert page.status_code == 200
        assert "week_1.task_01" in page.text
        assert f"/admin/content/{task_id}/assign" in post_forms(page.text)

        assigned = await followed(
            editor,
            await editor.post(
                f"/admin/content/{task_id}/assign",
                {"course_id": str(course_id), "example_version_id": v1},
            ),
        )
        assert flash(assigned.text) == "python.fizzbuzz v1 assigned; release it to deploy it."
        row = text_of(assigned.text)
        assert "pending python.fizzbuzz v1 (a newer version exists)" in row

        started = await editor.post(
            "/admin/content/releases", {"course_id": str(course_id), "mode": "pending"}
        )
        watching = await followed(editor, started)
        assert flash(watching.text) == "Release started."
        ended = await release_ended(editor, watching)
        assert 'id="release-status"><span class="badge badge-completed">' in ended.text
        assert "week_1/task_01" in ended.text or "week_1.task_01" in ended.text

        after = await editor.get(f"/admin/content?course_id={course_id}")
        assert "deployed python.fizzbuzz v1" in text_of(after.text)
        assert "<code>week_1/task_01/fizzbuzz.py</code>" in after.text
        assert "solution" not in re.sub(r"<select.*?</select>", "", after.text, flags=re.S)

        await editor.post(
            f"/admin/content/{task_id}/assign",
            {"course_id": str(course_id), "example_version_id": v2},
        )
        await release_ended(
            editor,
            await followed(
                editor,
                await editor.post(
                    "/admin/content/releases", {"course_id": str(course_id), "mode": "pending"}
                ),
            ),
        )
        history = await editor.get(f"/admin/content/{task_id}/history?course_id={course_id}")
        assert history.status_code == 200
        forms = [a for a in post_forms(history.text) if a.endswith("/rollback")]
        assert forms, history.text
        entry = re.findall(r'name="history_id" value="([0-9a-f-]{36})"', history.text)
        rolled = await followed(
            editor,
            await editor.post(
                f"/admin/content/{task_id}/rollback",
                {"course_id": str(course_id), "history_id": entry[-1]},
            ),
        )
        assert flash(rolled.text) == "Rolled back: the earlier version is being released."
        await release_ended(editor, rolled)
        final = await api.get(f"/api/course-contents/{task_id}/deployment", headers=owner.auth())
        assert final.json()["version_tag"] == "v1"
        assert final.json()["deployment"]["deployment_status"] == "deployed"
        again = await followed(
            editor,
            await editor.post(
                "/admin/content/releases", {"course_id": str(course_id), "mode": "pending"}
            ),
        )
        assert "no deployment is pending or failed" in flash(again.text)


async def test_a_viewer_sees_no_write_control_and_forged_or_tokenless_forms_change_nothing(
    platform: Platform, app: Any, api: httpx.AsyncClient, owner: TenantKeys
) -> None:
    course_id, task_id, (v1, _v2) = await course_with_a_task(platform, api, owner)
    async for viewer in signed_in(app, owner, Role.VIEWER):
        page = await viewer.get(f"/admin/content?course_id={course_id}")
        assert page.status_code == 200 and "week_1.task_01" in page.text
        assert post_forms(page.text) == ["/admin/logout"]
        for path, form in (
            (
                f"/admin/content/{task_id}/assign",
                {"course_id": str(course_id), "example_version_id": v1},
            ),
            ("/admin/content/releases", {"course_id": str(course_id), "mode": "force"}),
            (
                f"/admin/content/{task_id}/rollback",
                {"course_id": str(course_id), "history_id": str(uuid.uuid4())},
            ),
        ):
            refused = await viewer.post(path, form)
            assert refused.status_code == 403, path
            assert "may not do this" in refused.text
    async for editor in signed_in(app, owner, Role.EDITOR):
        await editor.get("/admin/content")
        tokenless = await editor.post(
            f"/admin/content/{task_id}/assign",
            {"course_id": str(course_id), "example_version_id": v1, "csrf_token": "forged"},
        )
        assert tokenless.status_code == 403 and "This form has expired" in tokenless.text
    deployment = await api.get(f"/api/course-contents/{task_id}/deployment", headers=owner.auth())
    assert deployment.json() is None, "nothing was assigned"
    releases = await api.get(f"/api/courses/{course_id}/releases", headers=owner.auth())
    assert releases.json()["items"] == []


async def test_another_tenants_course_content_and_versions_answer_404(
    platform: Platform, app: Any, api: httpx.AsyncClient, owner: TenantKeys
) -> None:
    other = await make_tenant(platform, f"o-{uuid.uuid4().hex[:12]}")
    course_id, task_id, (v1, _v2) = await course_with_a_task(platform, api, other)
    mine, my_task, _versions = await course_with_a_task(platform, api, owner)
    async for editor in signed_in(app, owner, Role.EDITOR):
        assert (await editor.get(f"/admin/content?course_id={course_id}")).status_code == 404
        assert (await editor.get(f"/admin/content/{task_id}/history")).status_code == 404
        forged = await editor.post(
            f"/admin/content/{task_id}/assign",
            {"course_id": str(course_id), "example_version_id": v1},
        )
        assert forged.status_code == 404
        assert (
            await editor.post("/admin/content/releases", {"course_id": str(course_id)})
        ).status_code == 404
        theirs = await followed(
            editor,
            await editor.post(
                f"/admin/content/{my_task}/assign",
                {"course_id": str(mine), "example_version_id": v1},
            ),
        )
        assert f"example_version_id: no example version {v1}" in flash(theirs.text)
        bogus = await editor.get(f"/admin/content/releases/nope?course_id={course_id}")
        assert bogus.status_code == 404
    deployment = await api.get(f"/api/course-contents/{task_id}/deployment", headers=other.auth())
    assert deployment.json() is None
