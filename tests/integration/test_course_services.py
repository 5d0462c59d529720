"""The course factory's rules through its service, on SQLite, without Temporal: courses are
completed by running the generation's steps in the test (`tests/support/factory.py`)."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from brain.bootstrap import Platform, build_platform, create_app
from brain.course_factory.models import ApprovalRequest, WorkflowState
from brain.course_factory.module import MODULE as FACTORY
from brain.course_factory.repository import CourseRepository
from brain.kernel.auth.models import Role
from brain.kernel.auth.service import Principal
from brain.kernel.contracts import DistributionReader
from brain.kernel.errors import Conflict, Forbidden, ValidationFailed
from tests.conftest import TenantKeys, clear_tables, make_settings, make_tenant
from tests.support.factory import completed_course
from tests.support.fake_llm import FakeLlm, Reply, completion
from tests.support.slow_llm import template_answers

GENERATOR_SECONDS = 3.0


@pytest.fixture
async def factory(migrated_sqlite: str, tmp_path: Path) -> AsyncIterator[Platform]:
    platform = build_platform(make_settings(tmp_path, database_url=migrated_sqlite))
    yield platform
    await clear_tables(platform.database)
    await platform.close()


def principal(tenant: TenantKeys, role: Role) -> Principal:
    return Principal(tenant_id=tenant.tenant_id, api_key_id=tenant.key_ids[role], role=role)


async def transition(
    platform: Platform, who: Principal, course_id: uuid.UUID, to: WorkflowState
) -> ApprovalRequest | None:
    async with platform.unit_of_work() as uow:
        result = await platform.deps_of(FACTORY).service(uow).transition(who, course_id, to, "")
        return result.approval


async def decide(platform: Platform, who: Principal, approval_id: uuid.UUID, approve: bool) -> None:
    async with platform.unit_of_work() as uow:
        service = platform.deps_of(FACTORY).service(uow)
        await service.decide(who, approval_id, approve=approve, comment="")


async def state_of(platform: Platform, course_id: uuid.UUID) -> str:
    async with platform.database.read_session() as session:
        course = await CourseRepository(session).get(course_id)
        assert course is not None
        return course.workflow_state


async def test_a_completed_course_waits_for_review(factory: Platform) -> None:
    acme = await make_tenant(factory, "acme")
    course_id = await completed_course(factory, acme.tenant_id)
    assert await state_of(factory, course_id) == WorkflowState.REVIEW


async def test_an_illegal_move_is_refused_naming_the_allowed_targets(factory: Platform) -> None:
    acme = await make_tenant(factory, "acme")
    course_id = await completed_course(factory, acme.tenant_id)
    with pytest.raises(Conflict) as refused:
        await transition(factory, principal(acme, Role.EDITOR), course_id, WorkflowState.PUBLISHED)
    assert sorted(refused.value.extra["allowed_targets"]) == ["DRAFT", "PUBLISH_READY"]
    assert await state_of(factory, course_id) == WorkflowState.REVIEW


async def test_publish_ready_needs_an_approver_who_did_not_ask(factory: Platform) -> None:
    acme = await make_tenant(factory, "acme")
    course_id = await completed_course(factory, acme.tenant_id)
    editor = principal(acme, Role.EDITOR)
    approval = await transition(factory, editor, course_id, WorkflowState.PUBLISH_READY)
    assert approval is not None
    assert await state_of(factory, course_id) == WorkflowState.REVIEW
    with pytest.raises(Forbidden):
        await decide(factory, editor, approval.id, approve=True)
    with pytest.raises(Conflict):  # one pending request per course
        await transition(factory, editor, course_id, WorkflowState.PUBLISH_READY)
    await decide(factory, principal(acme, Role.APPROVER), approval.id, approve=True)
    assert await state_of(factory, course_id) == WorkflowState.PUBLISH_READY
    with pytest.raises(Conflict):  # decided once
        await decide(factory, principal(acme, Role.ADMIN), approval.id, approve=False)


async def test_a_rejected_request_leaves_the_course_where_it_was(factory: Platform) -> None:
    acme = await make_tenant(factory, "acme")
    course_id = await completed_course(factory, acme.tenant_id)
    approval = await transition(
        factory, principal(acme, Role.EDITOR), course_id, WorkflowState.PUBLISH_READY
    )
    assert approval is not None
    await decide(factory, principal(acme, Role.APPROVER), approval.id, approve=False)
    assert await state_of(factory, course_id) == WorkflowState.REVIEW


async def test_another_tenants_approver_cannot_decide(factory: Platform) -> None:
    acme, globex = await make_tenant(factory, "acme"), await make_tenant(factory, "globex")
    course_id = await completed_course(factory, acme.tenant_id)
    approval = await transition(
        factory, principal(acme, Role.EDITOR), course_id, WorkflowState.PUBLISH_READY
    )
    assert approval is not None
    with pytest.raises(Exception, match="no approval request"):
        await decide(factory, principal(globex, Role.APPROVER), approval.id, approve=True)
    assert await state_of(factory, course_id) == WorkflowState.REVIEW


@pytest.fixture
async def slow_generator() -> AsyncIterator[FakeLlm]:
    """An OpenAI-compatible endpoint that takes `GENERATOR_SECONDS` to write a lesson."""
    answers = await template_answers()
    server = FakeLlm()

    def respond(body: dict[str, Any]) -> Reply:
        system = body["messages"][0]["content"]
        marker = next(m for m in answers if m in system)
        reply = completion(json.loads(answers[marker]))
        reply.delay = GENERATOR_SECONDS
        return reply

    server.respond = respond
    await server.start()
    yield server
    await server.stop()


async def test_regenerating_a_lesson_holds_no_write_lock_while_the_generator_works(
    migrated_sqlite: str, tmp_path: Path, slow_generator: FakeLlm
) -> None:
    platform = build_platform(
        make_settings(
            tmp_path,
            database_url=migrated_sqlite,
            llm_base_url=slow_generator.base_url,
            llm_timeout_seconds=30,
        )
    )
    try:
        acme = await make_tenant(platform, "acme")
        slow = await completed_course(platform, acme.tenant_id)
        other = await completed_course(platform, acme.tenant_id)
        transport = httpx.ASGITransport(app=create_app(platform))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as api:
            lessons = [
                (await api.get(f"/api/courses/{c}/lessons", headers=acme.auth())).json()
                for c in (slow, other)
            ]
            regenerating = asyncio.create_task(
                api.post(
                    f"/api/courses/{slow}/lessons/{lessons[0][0]['id']}/regenerate",
                    headers=acme.auth(Role.EDITOR),
                )
            )
            await slow_generator.asked.wait()  # the generator has started writing
            started = time.monotonic()
            edited = await api.put(
                f"/api/courses/{other}/lessons/{lessons[1][0]['id']}",
                json={"markdown": "# Edited while the other course regenerates"},
                headers=acme.auth(Role.EDITOR),
            )
            took = time.monotonic() - started
            assert edited.status_code == 200
            assert not regenerating.done()
            assert took < 1.0, f"the edit waited {took:.2f} s for the regeneration"
            regenerated = await regenerating
            assert regenerated.status_code == 200, regenerated.text
    finally:
        await clear_tables(platform.database)
        await platform.close()


async def test_an_unknown_template_is_refused_naming_the_field(factory: Platform) -> None:
    acme = await make_tenant(factory, "acme")
    with pytest.raises(ValidationFailed) as refused:
        await completed_course(factory, acme.tenant_id, template_id="no_such_template")
    assert [e.field for e in refused.value.errors] == ["body.template_id"]


async def test_distributions_of_generated_courses_get_unique_slugs(factory: Platform) -> None:
    acme = await make_tenant(factory, "acme")
    for _ in range(2):
        await completed_course(factory, acme.tenant_id, title="Neobanks compared")
    consumer = factory.events.registry.get("distribution_consumer")
    await factory.events.runtime.ensure_subscription(consumer)
    await factory.events.relay.drain()
    await factory.events.runtime.drain(consumer)
    lookup = factory.contracts.get(DistributionReader)
    slugs = sorted(
        [
            view.slug
            for course_id in await course_ids(factory, acme)
            for view in await lookup.of_course(acme.tenant_id, course_id)
        ]
    )
    assert slugs == ["neobanks-compared", "neobanks-compared-2"]


async def course_ids(platform: Platform, tenant: TenantKeys) -> list[uuid.UUID]:
    async with platform.database.read_session() as session:
        rows, _ = await CourseRepository(session).page(
            tenant.tenant_id, workflow_state=None, generation_status=None, offset=0, limit=100
        )
        return [c.id for c in rows]
