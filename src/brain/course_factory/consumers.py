"""The factory's own consumer: a committed `course.generation.requested` starts the workflow.

Starting from the event rather than from the request handler means a crash between the commit and
the start cannot strand a course as `queued`: the event is in the outbox and is delivered until the
workflow runs. The workflow id is derived from the course and its attempt, so a redelivery finds the
workflow already started and does nothing.
"""

from __future__ import annotations

from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from brain.course_factory.models import GenerationStatus
from brain.course_factory.repository import CourseRepository
from brain.course_factory.settings import FactorySettings
from brain.course_factory.workflows import GenerationInput, workflow_id
from brain.events import HandlerContext, PermanentError, Subscriber
from brain.events.contracts.course import CourseGenerationRequested
from brain.kernel.temporal import TemporalRuntime

SUBSCRIBER = "course_factory_generation"


def generation_starter(temporal: TemporalRuntime, settings: FactorySettings) -> Subscriber:
    async def start(ctx: HandlerContext[CourseGenerationRequested]) -> None:
        course_id = ctx.payload.course_id
        tenant_id = ctx.event.meta.tenant_id
        course = await CourseRepository(ctx.session).get(course_id, tenant_id=tenant_id)
        if course is None or tenant_id is None:
            raise PermanentError(f"course {course_id} does not exist in tenant {tenant_id}")
        if course.generation_status != GenerationStatus.QUEUED:
            return
        client = await temporal.client()
        try:
            await client.start_workflow(
                "CourseGeneration",
                GenerationInput(
                    course_id=str(course.id),
                    lesson_concurrency=settings.generation_lesson_concurrency,
                    activity_timeout_seconds=settings.generation_activity_timeout_seconds,
                    max_attempts=settings.generation_max_attempts,
                ),
                id=workflow_id(str(course.id), course.generation_attempt),
                task_queue=settings.temporal_task_queue,
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            )
        except WorkflowAlreadyStartedError:
            return

    return Subscriber.of(SUBSCRIBER, {CourseGenerationRequested: start})
