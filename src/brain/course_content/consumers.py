"""The course content's subscriber (`course_content_tree`): when a course generation completes,
the course's content tree is built from course_factory's read-only outline contract (a unit per
module and per lesson, an assignment per module). A course that already has content keeps it: a
replay finds its work done, and a tree the operator has changed is never rebuilt."""

from __future__ import annotations

from brain.course_content.service import ContentService, CourseLookup
from brain.events import HandlerContext, PermanentError, Subscriber
from brain.events.contracts.course import CourseGenerationCompleted
from brain.kernel.contracts import CourseOutlineReader

SUBSCRIBER = "course_content_tree"


def content_tree_builder(outlines: CourseOutlineReader) -> Subscriber:
    async def on_generation_completed(ctx: HandlerContext[CourseGenerationCompleted]) -> None:
        if ctx.payload.dry_run:
            return
        tenant_id = ctx.event.meta.tenant_id
        if tenant_id is None:
            raise PermanentError(f"{ctx.event.type} {ctx.event.id} carries no tenant")
        # A local read of committed rows on the read engine: no external call while the
        # consumer's transaction is open.
        view = await CourseLookup(outlines).in_tenant(tenant_id, ctx.payload.course_id)
        if view is None:
            raise PermanentError(f"course {ctx.payload.course_id} has no outline in its tenant")
        await ContentService(ctx.uow, ctx.publisher, CourseLookup(outlines)).build_from_outline(
            view
        )

    return Subscriber.of(SUBSCRIBER, {CourseGenerationCompleted: on_generation_completed})
