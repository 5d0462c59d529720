"""Assigning example versions to assignments: the rules of the deployment, its history, the
deprecated body and fields, the summary, and the database's own refusals (plain SQL, past the
application)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from brain.bootstrap import Platform
from brain.kernel.auth.models import Role
from tests.conftest import TenantKeys
from tests.support.content import (
    CONTENTS,
    create_example,
    make_course,
    node,
    uploaded_version,
)


async def assign(
    api: httpx.AsyncClient, tenant: TenantKeys, content_id: str, **body: Any
) -> httpx.Response:
    return await api.post(
        f"{CONTENTS}/{content_id}/assign-example", json=body, headers=tenant.auth(Role.EDITOR)
    )


async def setup_course(platform: Platform, api: httpx.AsyncClient, tenant: TenantKeys):
    course_id = await make_course(platform, tenant)
    unit = await node(api, tenant, course_id, "week_1", "unit")
    first = await node(api, tenant, course_id, "week_1.fizzbuzz", "assignment")
    second = await node(api, tenant, course_id, "week_1.primes", "assignment")
    return course_id, unit, first, second


async def test_assigning_updating_and_reassigning_are_recorded_newest_first(
    platform: Platform, client: httpx.AsyncClient, tenant: TenantKeys
) -> None:
    course_id, _unit, task, _other = await setup_course(platform, client, tenant)
    example = await create_example(client, tenant)
    v1 = await uploaded_version(client, tenant, example["id"])

    assigned = await assign(client, tenant, task["id"], example_version_id=v1["id"])
    assert assigned.status_code == 200, assigned.text
    body = assigned.json()
    assert body["deployment"]["deployment_status"] == "pending"
    assert (body["example_identifier"], body["version_tag"]) == ("python.loops.fizzbuzz", "v1")
    assert body["has_newer_version"] is False
    assert [h["action"] for h in body["history"]] == ["assigned"]
    assert body["history"][0]["created_by"] == str(tenant.key_ids[Role.EDITOR])

    v2 = await uploaded_version(client, tenant, example["id"])
    seen = await client.get(f"{CONTENTS}/{task['id']}/deployment", headers=tenant.auth(Role.VIEWER))
    assert seen.json()["has_newer_version"] is True
    updated = await assign(client, tenant, task["id"], example_version_id=v2["id"])
    assert [h["action"] for h in updated.json()["history"]] == ["updated", "assigned"]
    assert updated.json()["has_newer_version"] is False
    assert updated.json()["history"][0]["previous_example_version_id"] == v1["id"]

    other = await create_example(client, tenant, "python.primes")
    o1 = await uploaded_version(client, tenant, other["id"])
    reassigned = await assign(client, tenant, task["id"], example_version_id=o1["id"])
    assert [h["action"] for h in reassigned.json()["history"]] == [
        "reassigned",
        "updated",
        "assigned",
    ]
    summary = await client.get(
        f"/api/courses/{course_id}/deployment-summary", headers=tenant.auth(Role.VIEWER)
    )
    assert summary.json() | {"last_deployed_at": None} == {
        "course_id": str(course_id),
        "submittable_contents": 2,
        "assigned": 1,
        "unassigned": 1,
        "by_status": {
            "pending": 1,
            "deploying": 0,
            "deployed": 0,
            "failed": 0,
            "unassigned": 1,
        },
        "with_newer_version": 0,
        "last_deployed_at": None,
    }

    unassigned = await client.delete(
        f"{CONTENTS}/{task['id']}/deployment", headers=tenant.auth(Role.EDITOR)
    )
    assert unassigned.status_code == 200
    assert unassigned.json()["deployment"]["deployment_status"] == "unassigned"
    assert unassigned.json()["history"][0]["action"] == "unassigned"
    again = await assign(client, tenant, task["id"], example_version_id=v1["id"])
    assert again.json()["history"][0]["action"] == "assigned"
    after = await client.get(f"/api/courses/{course_id}/deployment-summary", headers=tenant.auth())
    assert after.json()["with_newer_version"] == 1


async def test_the_assignment_rules_refuse_with_409_and_422(
    platform: Platform, client: httpx.AsyncClient, tenant: TenantKeys, other_tenant: TenantKeys
) -> None:
    _course, unit, task, other_task = await setup_course(platform, client, tenant)
    example = await create_example(client, tenant)
    v1 = await uploaded_version(client, tenant, example["id"])
    theirs = await create_example(client, other_tenant)
    their_version = await uploaded_version(client, other_tenant, theirs["id"])

    to_unit = await assign(client, tenant, unit["id"], example_version_id=v1["id"])
    assert to_unit.status_code == 422
    assert to_unit.json()["errors"][0]["field"] == "content_id"
    foreign = await assign(client, tenant, task["id"], example_version_id=their_version["id"])
    assert foreign.status_code == 422
    assert foreign.json()["errors"][0]["field"] == "example_version_id"
    unknown = await assign(client, tenant, task["id"], example_version_id=str(uuid.uuid4()))
    assert unknown.status_code == 422
    neither = await assign(client, tenant, task["id"])
    assert neither.status_code == 422
    too_long = await assign(
        client, tenant, task["id"], example_version_id=v1["id"], deployment_message="x" * 501
    )
    assert too_long.status_code == 422
    assert too_long.json()["errors"][0]["field"] == "body.deployment_message"

    assert (
        await assign(client, tenant, task["id"], example_version_id=v1["id"])
    ).status_code == 200
    twice = await assign(client, tenant, other_task["id"], example_version_id=v1["id"])
    assert twice.status_code == 409
    assert "already assigned to 'week_1.fizzbuzz'" in twice.json()["detail"]

    # A deployed assignment takes a different example only with force.
    await platform_mark_deployed(platform, uuid.UUID(task["id"]))
    other = await create_example(client, tenant, "python.primes")
    o1 = await uploaded_version(client, tenant, other["id"])
    refused = await assign(client, tenant, task["id"], example_version_id=o1["id"])
    assert refused.status_code == 409
    assert "force" in refused.json()["detail"]
    assert (
        await client.delete(f"{CONTENTS}/{task['id']}/deployment", headers=tenant.auth())
    ).status_code == 409
    assert (
        await client.delete(
            f"{CONTENTS}/{unit['id']}", params={"cascade": "true"}, headers=tenant.auth()
        )
    ).status_code == 409
    forced = await assign(client, tenant, task["id"], example_version_id=o1["id"], force=True)
    assert forced.status_code == 200
    assert forced.json()["history"][0]["action"] == "reassigned"

    viewer = await assign(client, other_tenant, task["id"], example_version_id=v1["id"])
    assert viewer.status_code == 404
    assert (
        await client.get(f"{CONTENTS}/{task['id']}/deployment", headers=other_tenant.auth())
    ).status_code == 404


async def platform_mark_deployed(platform: Platform, content_id: uuid.UUID) -> None:
    """What a release does to a deployment (the release workflow has its own tests)."""
    async with platform.database.engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE course_content_deployment SET deployment_status = 'deployed' "
                "WHERE course_content_id = :id"
            ),
            {"id": content_id.hex if platform.database.dialect == "sqlite" else content_id},
        )


async def test_the_old_body_still_works_with_deprecation_headers_and_old_fields(
    platform: Platform, client: httpx.AsyncClient, tenant: TenantKeys
) -> None:
    _course, _unit, task, _other = await setup_course(platform, client, tenant)
    example = await create_example(client, tenant)
    v1 = await uploaded_version(client, tenant, example["id"], tag="1.0")
    empty = await client.get(f"{CONTENTS}/{task['id']}/deployment", headers=tenant.auth())
    assert (empty.status_code, empty.json()) == (200, None)

    old = await assign(client, tenant, task["id"], example_id=example["id"], example_version="1.0")
    assert old.status_code == 200, old.text
    assert old.headers["Deprecation"].startswith("@")
    assert 'rel="deprecation"' in old.headers["Link"]
    assert old.json()["deployment"]["example_version_id"] == v1["id"]
    new = await assign(client, tenant, task["id"], example_version_id=v1["id"])
    assert "Deprecation" not in new.headers
    wrong_tag = await assign(
        client, tenant, task["id"], example_id=example["id"], example_version="9.9"
    )
    assert wrong_tag.status_code == 422
    assert wrong_tag.json()["errors"][0]["field"] == "example_version"
    mixed = await assign(
        client, tenant, task["id"], example_version_id=v1["id"], example_id=example["id"]
    )
    assert mixed.status_code == 422

    shown = (await client.get(f"{CONTENTS}/{task['id']}", headers=tenant.auth())).json()
    assert shown["example_id"] == example["id"]
    assert shown["example_version_id"] == v1["id"]
    assert shown["deployment_status"] == "pending"
    assert shown["deployed_at"] is None
    schema = (await client.get("/openapi.json")).json()["components"]["schemas"]["ContentOut"]
    for field in ("example_id", "example_version_id", "deployment_status", "deployed_at"):
        assert schema["properties"][field]["deprecated"] is True


def as_id(platform: Platform, value: uuid.UUID) -> object:
    return value.hex if platform.database.dialect == "sqlite" else value


async def test_the_database_refuses_a_deployment_of_non_submittable_content(
    platform: Platform, client: httpx.AsyncClient, tenant: TenantKeys
) -> None:
    _course, unit, task, _other = await setup_course(platform, client, tenant)
    example = await create_example(client, tenant)
    v1 = await uploaded_version(client, tenant, example["id"])
    insert = text(
        "INSERT INTO course_content_deployment (id, course_content_id, example_version_id, "
        "deployment_status, assigned_at, metadata, created_at, updated_at) VALUES "
        "(:id, :content, :version, 'pending', CURRENT_TIMESTAMP, '{}', CURRENT_TIMESTAMP, "
        "CURRENT_TIMESTAMP)"
    )
    values = {
        "id": as_id(platform, uuid.uuid4()),
        "content": as_id(platform, uuid.UUID(unit["id"])),
        "version": as_id(platform, uuid.UUID(v1["id"])),
    }
    with pytest.raises((IntegrityError, DBAPIError)) as refused:
        async with platform.database.engine.begin() as conn:
            await conn.execute(insert, values)
    assert "submittable" in str(refused.value)

    async with platform.database.engine.begin() as conn:
        await conn.execute(insert, values | {"content": as_id(platform, uuid.UUID(task["id"]))})
    with pytest.raises((IntegrityError, DBAPIError)) as moved:
        async with platform.database.engine.begin() as conn:
            await conn.execute(
                text(
                    "UPDATE course_content_deployment SET course_content_id = :unit "
                    "WHERE course_content_id = :task"
                ),
                {
                    "unit": as_id(platform, uuid.UUID(unit["id"])),
                    "task": as_id(platform, uuid.UUID(task["id"])),
                },
            )
    assert "submittable" in str(moved.value)


async def test_the_database_refuses_to_change_or_remove_history(
    platform: Platform, client: httpx.AsyncClient, tenant: TenantKeys
) -> None:
    _course, _unit, task, _other = await setup_course(platform, client, tenant)
    example = await create_example(client, tenant)
    v1 = await uploaded_version(client, tenant, example["id"])
    await assign(client, tenant, task["id"], example_version_id=v1["id"])
    for statement in (
        "UPDATE deployment_history SET action = 'deployed'",
        "DELETE FROM deployment_history",
    ):
        with pytest.raises((IntegrityError, DBAPIError)) as refused:
            async with platform.database.engine.begin() as conn:
                await conn.execute(text(statement))
        assert "append-only" in str(refused.value)
    async with platform.database.engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM deployment_history"))).scalar() == 1
