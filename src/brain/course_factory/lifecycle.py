"""The course's lifecycle, shared by the generation's steps and the service: ending a generation,
recording a lesson's revision and moving through the workflow, each with its event in the
caller's transaction. Also the views the generator takes of a stored course (its brief and
outline)."""

from __future__ import annotations

import uuid

from brain.course_factory import content as c
from brain.course_factory.models import (
    Course,
    GenerationStatus,
    Lesson,
    LessonRevision,
    Transition,
    WorkflowState,
)
from brain.course_factory.repository import CourseRepository
from brain.course_factory.states import needs_approval
from brain.events import EventPublisher, fit
from brain.events.contracts.course import (
    CourseGenerationFailed,
    CourseLessonGenerated,
    CourseLessonUpdated,
    CourseWorkflowTransitioned,
)
from brain.events.contracts.course_commerce import CourseDistributionRequested
from brain.kernel.clock import utcnow
from brain.kernel.uow import UnitOfWork

SYSTEM = "system"
"""The actor of what the platform does by itself (`transitioned_by`, a revision's author)."""


def brief_of(course: Course) -> c.CourseBrief:
    return c.CourseBrief(
        course_id=course.id,
        title=course.title,
        description=course.description,
        language=course.language,
        target_audiences=[c.Audience(a) for a in course.target_audiences],
        template_id=course.template_id,
        full_lessons_count=course.full_lessons_count,
    )


async def outline_of(repository: CourseRepository, course_id: uuid.UUID) -> c.Outline | None:
    modules = await repository.modules(course_id)
    if not modules:
        return None
    lessons = await repository.lessons(course_id)
    return c.Outline(
        modules=[
            c.ModuleOutline(
                title=module.title,
                summary=module.summary,
                lessons=[
                    c.LessonOutline(title=lesson.title, summary=lesson.summary)
                    for lesson in lessons
                    if lesson.module_id == module.id
                ],
            )
            for module in modules
        ]
    )


async def mark_failed(
    uow: UnitOfWork,
    publisher: EventPublisher,
    course: Course,
    error_type: str,
    message: str,
    execution_seconds: float,
    *,
    cancelled: bool = False,
) -> bool:
    """End a generation as failed (or cancelled) and emit `course.generation.failed`, in the
    caller's transaction; False when it had already ended."""
    if course.generation_status in (
        GenerationStatus.COMPLETED,
        GenerationStatus.FAILED,
        GenerationStatus.CANCELLED,
    ):
        return False
    course.generation_status = GenerationStatus.CANCELLED if cancelled else GenerationStatus.FAILED
    course.error_type = _exception_name(error_type)
    course.error_message = message[:2000]
    course.completed_at = utcnow()
    await publisher.publish(
        uow,
        CourseGenerationFailed(
            course_id=course.id,
            title=fit(CourseGenerationFailed, "title", course.title),
            error_message=fit(CourseGenerationFailed, "error_message", message or error_type),
            error_type=_exception_name(error_type),
            execution_time_seconds=round(max(execution_seconds, 0.0), 3),
        ),
        tenant_id=course.tenant_id,
    )
    return True


async def record_lesson(
    uow: UnitOfWork,
    publisher: EventPublisher,
    course: Course,
    lesson: Lesson,
    title: str,
    markdown: str | None,
    *,
    source: str,
    author: str,
) -> None:
    """Give `lesson` a new revision (keeping the old text in its history) and emit its event:
    `course.lesson.generated` for generated text, `course.lesson.updated` for an editor's.
    Revision 1 is the generated text; an edit is always revision 2 or later."""
    edited = source == "edited"
    lesson.revision = max(lesson.revision + 1, 2) if edited else lesson.revision + 1
    lesson.title, lesson.markdown = title, markdown
    lesson.updated_at = utcnow()
    uow.session.add(
        LessonRevision(
            lesson_id=lesson.id,
            revision=lesson.revision,
            title=title,
            markdown=markdown,
            source=source,
            author=author,
        )
    )
    if edited:
        updated = CourseLessonUpdated(
            course_id=course.id,
            lesson_id=lesson.id,
            revision=lesson.revision,
            content_length=len(markdown or ""),
        )
        await publisher.publish(uow, updated, tenant_id=course.tenant_id)
        return
    assert markdown is not None
    generated = CourseLessonGenerated(
        course_id=course.id,
        lesson_id=lesson.id,
        lesson_title=fit(CourseLessonGenerated, "lesson_title", title),
        module_id=lesson.module_id,
        content_length=len(markdown),
        lesson_index=lesson.position,
        revision=lesson.revision,
    )
    await publisher.publish(uow, generated, tenant_id=course.tenant_id)


async def transition(
    uow: UnitOfWork,
    publisher: EventPublisher,
    course: Course,
    target: WorkflowState,
    by: str,
    *,
    comment: str = "",
    approval_request_id: uuid.UUID | None = None,
) -> None:
    """Move `course` to `target`, record it and emit `course.workflow.transitioned` (and
    `course.distribution.requested` when it becomes PUBLISHED) in the caller's transaction."""
    source = WorkflowState(course.workflow_state)
    requires = needs_approval(source, target)
    if requires is None:
        raise ValueError(f"{source} → {target} is not a transition of the course workflow")
    course.workflow_state = target
    uow.session.add(
        Transition(
            course_id=course.id,
            from_state=source,
            to_state=target,
            transitioned_by=by,
            comment=comment,
            approval_request_id=approval_request_id,
        )
    )
    await publisher.publish(
        uow,
        CourseWorkflowTransitioned(
            course_id=course.id,
            from_state=source.value,
            to_state=target.value,
            transitioned_by=by,
            requires_approval=requires,
            approval_request_id=approval_request_id,
        ),
        tenant_id=course.tenant_id,
    )
    if target == WorkflowState.PUBLISHED:
        await publisher.publish(
            uow, CourseDistributionRequested(course_id=course.id), tenant_id=course.tenant_id
        )


def _exception_name(error_type: str) -> str:
    name = "".join(ch for ch in error_type if ch.isalnum() or ch in "._")
    return (name or "Error")[:80]
