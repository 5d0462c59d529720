"""The factory's consumers: a committed `course.generation.requested` starts the workflow; the
payment events grant and revoke access to priced courses (`access_consumer`).

Starting from the event rather than from the request handler means a crash between the commit and
the start cannot strand a course as `queued`: the event is in the outbox and is delivered until the
workflow runs. The workflow id is derived from the course and its attempt, so a redelivery finds the
workflow already started and does nothing.
"""

from __future__ import annotations

from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from brain.course_factory.access import AccessService, AccessTokens
from brain.course_factory.models import GenerationStatus
from brain.course_factory.repository import CourseRepository
from brain.course_factory.settings import FactorySettings
from brain.course_factory.workflows import GenerationInput, workflow_id
from brain.events import HandlerContext, PermanentError, Subscriber
from brain.events.contracts.course import CourseGenerationRequested
from brain.events.contracts.course_commerce import (
    CourseDistributionRequested,
    CoursePaymentCompleted,
    CoursePaymentFlagged,
    CoursePaymentRefunded,
)
from brain.kernel.contracts import DistributionReader
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


ACCESS_SUBSCRIBER = "course_factory_access"


def access_consumer(tokens: AccessTokens, distributions: DistributionReader) -> Subscriber:
    """`course.payment.completed` → an access grant (once per payment) and, for a pre-sale from a
    page that is not PUBLIC yet, `course.distribution.requested` (seed 002); a full refund or a
    dispute → the grant revoked. A partial refund keeps the access."""

    async def on_completed(ctx: HandlerContext[CoursePaymentCompleted]) -> None:
        tenant_id = ctx.event.meta.tenant_id
        if tenant_id is None:
            raise PermanentError(f"{ctx.event.type} {ctx.event.id} carries no tenant")
        data = ctx.payload
        if await CourseRepository(ctx.session).get(data.course_id, tenant_id=tenant_id) is None:
            raise PermanentError(f"course {data.course_id} does not exist for this tenant")
        grant = await AccessService(ctx.uow, ctx.publisher, tokens).grant(
            tenant_id=tenant_id,
            course_id=data.course_id,
            buyer_id=data.buyer_id,
            payment_id=data.payment_id,
        )
        if grant is None:
            return
        published = await distributions.of_course(tenant_id, data.course_id)
        if not any(d.visibility == "PUBLIC" for d in published):
            await ctx.publish(CourseDistributionRequested(course_id=data.course_id))

    async def on_refunded(ctx: HandlerContext[CoursePaymentRefunded]) -> None:
        if ctx.payload.full:
            await AccessService(ctx.uow, ctx.publisher, tokens).revoke(
                ctx.payload.payment_id, "refunded"
            )

    async def on_flagged(ctx: HandlerContext[CoursePaymentFlagged]) -> None:
        if ctx.payload.reason_code == "dispute":
            await AccessService(ctx.uow, ctx.publisher, tokens).revoke(
                ctx.payload.payment_id, "disputed"
            )

    return Subscriber.of(
        ACCESS_SUBSCRIBER,
        {
            CoursePaymentCompleted: on_completed,
            CoursePaymentRefunded: on_refunded,
            CoursePaymentFlagged: on_flagged,
        },
    )
