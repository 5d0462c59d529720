"""Completed courses without Temporal: the generation's steps run in order, in the test's own
process, with the offline template generator (deterministic and fast). For tests of the services'
rules and of what other modules do with a generated course."""

from __future__ import annotations

import time
import uuid
from typing import TYPE_CHECKING, Any

import httpx

from brain.bootstrap import Platform
from brain.course_factory.generation import GenerationSteps
from brain.course_factory.generators import TemplateGenerator
from brain.course_factory.module import MODULE as FACTORY
from brain.course_factory.schemas import GenerateRequest
from brain.kernel.auth.models import Role
from brain.kernel.auth.service import Principal

if TYPE_CHECKING:
    from tests.conftest import TenantKeys

EDITOR_KEY = uuid.UUID(int=1)


def template_steps(platform: Platform) -> GenerationSteps:
    """The platform's generation steps, with the template generator whatever it is configured
    with (the platform's own generator may be a slow fake LLM under test)."""
    steps = platform.deps_of(FACTORY).steps
    return GenerationSteps(
        platform.unit_of_work,
        platform.events.publisher,
        TemplateGenerator(),
        events=platform.events.operations,
        data_dir=steps.data_dir,
        public_url=steps.public_url,
    )


async def completed_course(
    platform: Platform,
    tenant_id: uuid.UUID,
    *,
    api_key_id: uuid.UUID = EDITOR_KEY,
    **request: Any,
) -> uuid.UUID:
    """Request a generation as an editor of the tenant and run every step of it at once: the
    course ends `completed` in workflow state REVIEW, with its events in the outbox."""
    body = GenerateRequest.model_validate(
        {
            "title": "Alternatives to the big banks",
            "language": "en",
            "target_audiences": ["employees"],
            "template_id": "banking_alternatives",
            "full_lessons_count": 2,
        }
        | request
    )
    principal = Principal(tenant_id=tenant_id, api_key_id=api_key_id, role=Role.EDITOR)
    async with platform.unit_of_work() as uow:
        course = await platform.deps_of(FACTORY).service(uow).request_generation(principal, body)
    steps = template_steps(platform)
    started = time.monotonic()
    plan = await steps.begin(course.id)
    outline = await steps.create_outline(course.id)
    if not plan.dry_run:
        for position in outline.lessons_to_generate:
            await steps.generate_lesson(course.id, position)
        if plan.generate_quiz:
            await steps.create_quiz(course.id)
        if plan.generate_landing_page:
            await steps.create_landing_page(course.id)
        if plan.deploy_to_staging:
            await steps.deploy_staging(course.id)
    await steps.build_evidence_pack(course.id)
    await steps.complete(course.id, time.monotonic() - started)
    return course.id


async def requested_course(client: httpx.AsyncClient, tenant: TenantKeys) -> str:
    """A course of `tenant`, requested through the API (nothing starts its generation here): an
    id another module may refer to, e.g. a distribution's `course_id`."""
    accepted = await client.post(
        "/api/courses/generate",
        json={"title": "Saving for students", "language": "en", "target_audiences": ["students"]},
        headers=tenant.auth(Role.EDITOR),
    )
    assert accepted.status_code == 202, accepted.text
    return str(accepted.json()["course_id"])
