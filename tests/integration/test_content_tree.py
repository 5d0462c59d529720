"""The content tree: kinds, creating, reading subtrees, moving and deleting nodes, the tree of a
generated course, and every bad path answering 422 naming the field with nothing changed."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import func, select

from brain.bootstrap import Platform
from brain.course_content.consumers import SUBSCRIBER
from brain.course_content.models import CourseContent
from brain.events.models import EventRecord
from brain.kernel.auth.models import Role
from tests.conftest import TenantKeys
from tests.integration.test_event_stream import settle
from tests.support.content import CONTENTS, add_node, make_course, node


async def paths(api: httpx.AsyncClient, tenant: TenantKeys, course_id: uuid.UUID) -> list[str]:
    response = await api.get(CONTENTS, params={"course_id": str(course_id)}, headers=tenant.auth())
    assert response.status_code == 200, response.text
    return [item["path"] for item in response.json()["items"]]


async def event_count(platform: Platform, type: str) -> int:
    async with platform.database.read_session() as session:
        return int(
            await session.scalar(
                select(func.count()).select_from(EventRecord).where(EventRecord.type == type)
            )
            or 0
        )


async def test_the_kinds_ship_with_unit_and_assignment_and_their_flags(
    client: httpx.AsyncClient, tenant: TenantKeys
) -> None:
    response = await client.get("/api/course-content-kinds", headers=tenant.auth(Role.VIEWER))
    assert response.status_code == 200
    kinds = {k["id"]: k for k in response.json()}
    assert kinds["unit"] == {
        "id": "unit",
        "title": "Unit",
        "has_ascendants": True,
        "has_descendants": True,
        "submittable": False,
    }
    assert kinds["assignment"]["submittable"] is True
    assert kinds["assignment"]["has_descendants"] is False


async def test_a_generated_course_has_its_content_tree_at_once_and_a_replay_changes_nothing(
    platform: Platform, client: httpx.AsyncClient, tenant: TenantKeys
) -> None:
    course_id = await make_course(platform, tenant, complete=True)
    subscriber = platform.events.registry.get(SUBSCRIBER)
    await platform.events.runtime.ensure_subscription(subscriber)

    async def built() -> bool:
        async with platform.database.read_session() as session:
            return bool(
                await session.scalar(
                    select(func.count()).where(CourseContent.course_id == course_id)
                )
            )

    await settle(platform, subscriber, built)
    outline = (await client.get(f"/api/courses/{course_id}/outline", headers=tenant.auth())).json()
    found = await paths(client, tenant, course_id)
    expected = []
    for module in outline["modules"]:
        prefix = f"module_{module['position']:02d}"
        expected += [prefix, f"{prefix}.exercise"]
        expected += [f"{prefix}.lesson_{i:02d}" for i in range(1, len(module["lessons"]) + 1)]
    assert sorted(found) == sorted(expected)
    listed = (
        await client.get(CONTENTS, params={"course_id": str(course_id)}, headers=tenant.auth())
    ).json()["items"]
    kinds = {item["path"]: item["kind"] for item in listed}
    assert kinds["module_01"] == "unit"
    assert kinds["module_01.lesson_01"] == "unit"
    assert kinds["module_01.exercise"] == "assignment"
    created = await event_count(platform, "course_content.created")
    assert created == len(expected)

    replayed = await platform.events.operations.replay(SUBSCRIBER, force=True)
    assert replayed.delivered >= 1
    assert sorted(await paths(client, tenant, course_id)) == sorted(expected)
    assert await event_count(platform, "course_content.created") == created


async def test_an_operator_builds_a_tree_reads_a_subtree_moves_and_deletes(
    platform: Platform, client: httpx.AsyncClient, tenant: TenantKeys
) -> None:
    course_id = await make_course(platform, tenant)
    await node(client, tenant, course_id, "basics", "unit")
    await node(client, tenant, course_id, "basics.loops", "unit")
    exercise = await node(client, tenant, course_id, "basics.loops.fizzbuzz", "assignment")
    await node(client, tenant, course_id, "advanced", "unit")
    await node(client, tenant, course_id, "root_task", "assignment")
    assert exercise["parent_path"] == "basics.loops"
    assert exercise["submittable"] is True

    subtree = await client.get(
        CONTENTS,
        params={"course_id": str(course_id), "path": "basics"},
        headers=tenant.auth(Role.VIEWER),
    )
    assert [i["path"] for i in subtree.json()["items"]] == [
        "basics",
        "basics.loops",
        "basics.loops.fizzbuzz",
    ]

    loops = next(i for i in subtree.json()["items"] if i["path"] == "basics.loops")
    moved = await client.patch(
        f"{CONTENTS}/{loops['id']}",
        json={"path": "advanced.loops", "title": "Loops"},
        headers=tenant.auth(Role.EDITOR),
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["title"] == "Loops"
    assert sorted(await paths(client, tenant, course_id)) == [
        "advanced",
        "advanced.loops",
        "advanced.loops.fizzbuzz",
        "basics",
        "root_task",
    ]
    assert await event_count(platform, "course_content.moved") == 1
    assert await event_count(platform, "course_content.updated") == 1

    advanced = next(
        i
        for i in (
            await client.get(CONTENTS, params={"course_id": str(course_id)}, headers=tenant.auth())
        ).json()["items"]
        if i["path"] == "advanced"
    )
    refused = await client.delete(f"{CONTENTS}/{advanced['id']}", headers=tenant.auth(Role.EDITOR))
    assert refused.status_code == 409
    assert "cascade=true" in refused.json()["detail"]
    deleted = await client.delete(
        f"{CONTENTS}/{advanced['id']}", params={"cascade": "true"}, headers=tenant.auth(Role.EDITOR)
    )
    assert deleted.status_code == 204
    assert sorted(await paths(client, tenant, course_id)) == ["basics", "root_task"]


async def test_bad_paths_and_placements_answer_422_naming_the_field_and_change_nothing(
    platform: Platform, client: httpx.AsyncClient, tenant: TenantKeys
) -> None:
    course_id = await make_course(platform, tenant)
    await node(client, tenant, course_id, "unit_a", "unit")
    task = await node(client, tenant, course_id, "unit_a.task", "assignment")
    deep = ".".join(f"l{i}" for i in range(11))
    cases = {
        "A.b": "may only use a-z",
        "a..b": "empty label",
        "x" * 65: "at most 64",
        deep: "at most 10",
        "unit_a.task.child": "cannot have children",
        "missing.child": "does not exist",
    }
    before = await paths(client, tenant, course_id)
    for path, reason in cases.items():
        response = await add_node(client, tenant, course_id, path, "unit")
        assert response.status_code == 422, (path, response.text)
        [error] = response.json()["errors"]
        assert error["field"] == "path", path
        assert reason in error["reason"], (path, error)
    unknown_kind = await add_node(client, tenant, course_id, "other", "lecture")
    assert unknown_kind.status_code == 422
    assert unknown_kind.json()["errors"][0]["field"] == "kind"
    duplicate = await add_node(client, tenant, course_id, "unit_a", "unit")
    assert duplicate.status_code == 409

    unit_a = next(
        i
        for i in (
            await client.get(CONTENTS, params={"course_id": str(course_id)}, headers=tenant.auth())
        ).json()["items"]
        if i["path"] == "unit_a"
    )
    below_itself = await client.patch(
        f"{CONTENTS}/{unit_a['id']}", json={"path": "unit_a.inner"}, headers=tenant.auth()
    )
    assert below_itself.status_code == 422
    assert "below itself" in below_itself.json()["errors"][0]["reason"]
    under_assignment = await client.patch(
        f"{CONTENTS}/{unit_a['id']}", json={"path": "unit_a.task.x"}, headers=tenant.auth()
    )
    assert under_assignment.status_code == 422
    assert await paths(client, tenant, course_id) == before
    assert task["path"] == "unit_a.task"


async def test_another_tenants_course_and_content_are_not_found(
    platform: Platform, client: httpx.AsyncClient, tenant: TenantKeys, other_tenant: TenantKeys
) -> None:
    theirs = await make_course(platform, other_tenant)
    mine = await make_course(platform, tenant)
    their_node = await node(client, other_tenant, theirs, "unit_a", "unit")
    refused = await add_node(client, tenant, theirs, "unit_a", "unit")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "course_id"
    for method in ("GET", "PATCH", "DELETE"):
        response = await client.request(
            method,
            f"{CONTENTS}/{their_node['id']}",
            json={"title": "x"} if method == "PATCH" else None,
            headers=tenant.auth(),
        )
        assert response.status_code == 404, method
    listed = await client.get(CONTENTS, params={"course_id": str(theirs)}, headers=tenant.auth())
    assert listed.status_code == 404
    viewer = await add_node(client, tenant, mine, "x", "unit")
    assert viewer.status_code == 201
    forbidden = await client.post(
        CONTENTS,
        json={"course_id": str(mine), "path": "y", "kind": "unit", "title": "y"},
        headers=tenant.auth(Role.VIEWER),
    )
    assert forbidden.status_code == 403
