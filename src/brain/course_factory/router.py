"""The course factory's API: generation, reading, piece-by-piece fixes, workflow and approvals."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import FileResponse
from fastapi.sse import EventSourceResponse, ServerSentEvent

from brain.course_factory.dependencies import Courses, Deps
from brain.course_factory.models import (
    ApprovalRequest,
    Course,
    GenerationStatus,
    Lesson,
    LessonRevision,
    QuizQuestion,
    WorkflowState,
)
from brain.course_factory.repository import AccessGrantRepository, CourseRepository
from brain.course_factory.schemas import (
    AccessGrantOut,
    AccessGrantsOut,
    ApprovalOut,
    CourseOut,
    CoursePage,
    Decision,
    GenerateRequest,
    GenerationAccepted,
    LandingPageOut,
    LessonEdit,
    LessonOut,
    LessonSummary,
    ModuleOut,
    OutlineOut,
    PreviewLinkOut,
    Progress,
    QuestionOut,
    QuizOut,
    RevisionOut,
    TransitionOut,
    TransitionRequest,
)
from brain.course_factory.service import CourseService, progress_of
from brain.events.envelope import Event
from brain.kernel.auth import Principal, Role, require_roles
from brain.kernel.errors import NotFound, problem_responses
from brain.kernel.requests import Offset
from brain.kernel.web import ReadSession

router = APIRouter(tags=["courses"], responses=problem_responses(401, 403))

Reader = Annotated[Principal, Depends(require_roles(*Role))]
Editor = Annotated[Principal, Depends(require_roles(Role.EDITOR))]
Approver = Annotated[Principal, Depends(require_roles(Role.APPROVER))]
TERMINAL = {GenerationStatus.COMPLETED, GenerationStatus.FAILED, GenerationStatus.CANCELLED}
PROGRESS_POLL_SECONDS = 0.5


async def course_out(courses: CourseRepository, course: Course) -> CourseOut:
    progress = await progress_of(courses, course)
    duration = (
        (course.completed_at - course.started_at).total_seconds()
        if course.completed_at and course.started_at
        else None
    )
    return CourseOut(
        id=course.id,
        title=course.title,
        description=course.description,
        language=course.language,
        target_audiences=course.target_audiences,
        template_id=course.template_id,
        dry_run=course.dry_run,
        full_lessons_count=course.full_lessons_count,
        generate_quiz=course.generate_quiz,
        generate_landing_page=course.generate_landing_page,
        deploy_to_staging=course.deploy_to_staging,
        generation_status=GenerationStatus(course.generation_status),
        workflow_state=WorkflowState(course.workflow_state),
        progress=Progress(lessons_done=progress.lessons_done, lessons_total=progress.lessons_total),
        generation_attempt=course.generation_attempt,
        error=f"{course.error_type}: {course.error_message}" if course.error_type else None,
        staging_url=course.staging_url,
        evidence_pack_available=course.evidence_pack_path is not None,
        generator=(
            f"{course.generator_name} {course.generator_version}" if course.generator_name else None
        ),
        usage={
            "prompt_tokens": course.prompt_tokens,
            "completion_tokens": course.completion_tokens,
        },
        created_at=course.created_at,
        started_at=course.started_at,
        completed_at=course.completed_at,
        duration_seconds=duration,
    )


def lesson_summary(lesson: Lesson) -> LessonSummary:
    return LessonSummary(
        id=lesson.id,
        position=lesson.position,
        module_position=lesson.module_position,
        title=lesson.title,
        summary=lesson.summary,
        placeholder=lesson.markdown is None,
        revision=lesson.revision,
    )


def lesson_out(lesson: Lesson, revisions: list[LessonRevision] | None = None) -> LessonOut:
    return LessonOut(
        **lesson_summary(lesson).model_dump(),
        module_id=lesson.module_id,
        markdown=lesson.markdown,
        revisions=[
            RevisionOut(
                revision=r.revision,
                title=r.title,
                source=r.source,
                author=r.author,
                created_at=r.created_at,
                markdown=r.markdown,
            )
            for r in revisions or []
        ],
    )


def question_out(question: QuizQuestion) -> QuestionOut:
    return QuestionOut(
        id=question.id,
        position=question.position,
        question=question.question,
        options=question.options,
        correct_index=question.correct_index,
        explanation=question.explanation,
        revision=question.revision,
    )


def approval_out(approval: ApprovalRequest) -> ApprovalOut:
    return ApprovalOut(
        id=approval.id,
        course_id=approval.course_id,
        from_state=WorkflowState(approval.from_state),
        to_state=WorkflowState(approval.to_state),
        requested_by=approval.requested_by,
        comment=approval.comment,
        status=approval.status,
        decided_by=approval.decided_by,
        decision_comment=approval.decision_comment,
        created_at=approval.created_at,
        decided_at=approval.decided_at,
    )


@router.post(
    "/api/courses/generate",
    status_code=202,
    summary="Request the generation of a course",
    responses=problem_responses(400, 422),
)
async def generate(
    body: GenerateRequest, principal: Editor, courses: Courses, request: Request
) -> GenerationAccepted:
    course = await courses.request_generation(principal, body)
    return GenerationAccepted(
        course_id=course.id,
        status=GenerationStatus.QUEUED,
        status_url=str(request.url_for("get_course", course_id=course.id)),
    )


@router.get("/api/courses", summary="The tenant's courses", responses=problem_responses(422))
async def list_courses(
    principal: Reader,
    courses: Courses,
    workflow_state: WorkflowState | None = None,
    generation_status: GenerationStatus | None = None,
    offset: Offset = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> CoursePage:
    rows, total = await courses.courses.page(
        principal.tenant_id,
        workflow_state=workflow_state,
        generation_status=generation_status,
        offset=offset,
        limit=limit,
    )
    items = [await course_out(courses.courses, course) for course in rows]
    return CoursePage(items=items, total=total, offset=offset, limit=limit)


@router.get(
    "/api/courses/{course_id}",
    summary="A course: generation status, progress, workflow state, timings",
    responses=problem_responses(404, 422),
)
async def get_course(course_id: uuid.UUID, principal: Reader, courses: Courses) -> CourseOut:
    return await course_out(courses.courses, await courses.get(principal, course_id))


@router.get("/api/courses/{course_id}/outline", responses=problem_responses(404, 422))
async def get_outline(course_id: uuid.UUID, principal: Reader, courses: Courses) -> OutlineOut:
    _, modules, lessons = await courses.outline(principal, course_id)
    return OutlineOut(
        course_id=course_id,
        total_modules=len(modules),
        total_lessons=len(lessons),
        modules=[
            ModuleOut(
                id=m.id,
                position=m.position,
                title=m.title,
                summary=m.summary,
                lessons=[lesson_summary(x) for x in lessons if x.module_id == m.id],
            )
            for m in modules
        ],
    )


@router.get("/api/courses/{course_id}/lessons", responses=problem_responses(404, 422))
async def list_lessons(
    course_id: uuid.UUID, principal: Reader, courses: Courses
) -> list[LessonOut]:
    _, _, lessons = await courses.outline(principal, course_id)
    return [lesson_out(lesson) for lesson in lessons]


@router.get("/api/courses/{course_id}/lessons/{lesson_id}", responses=problem_responses(404, 422))
async def get_lesson(
    course_id: uuid.UUID, lesson_id: uuid.UUID, principal: Reader, courses: Courses
) -> LessonOut:
    lesson, revisions = await courses.lesson(principal, course_id, lesson_id)
    return lesson_out(lesson, list(revisions))


@router.put(
    "/api/courses/{course_id}/lessons/{lesson_id}",
    summary="Edit a lesson's title or Markdown (a new revision; the old text is kept)",
    responses=problem_responses(404, 409, 422),
)
async def edit_lesson(
    course_id: uuid.UUID,
    lesson_id: uuid.UUID,
    body: LessonEdit,
    principal: Editor,
    courses: Courses,
) -> LessonOut:
    await courses.edit_lesson(principal, course_id, lesson_id, body)
    lesson, revisions = await courses.lesson(principal, course_id, lesson_id)
    return lesson_out(lesson, list(revisions))


@router.post(
    "/api/courses/{course_id}/lessons/{lesson_id}/regenerate",
    summary="Regenerate one lesson (a placeholder becomes a full lesson)",
    responses=problem_responses(404, 409, 422),
)
async def regenerate_lesson(
    course_id: uuid.UUID, lesson_id: uuid.UUID, principal: Editor, courses: Courses
) -> LessonOut:
    await courses.regenerate_lesson(principal, course_id, lesson_id)
    lesson, revisions = await courses.lesson(principal, course_id, lesson_id)
    return lesson_out(lesson, list(revisions))


@router.get("/api/courses/{course_id}/quiz", responses=problem_responses(404, 422))
async def get_quiz(course_id: uuid.UUID, principal: Reader, courses: Courses) -> QuizOut:
    quiz, questions = await courses.quiz(principal, course_id)
    return QuizOut(id=quiz.id, course_id=course_id, questions=[question_out(q) for q in questions])


@router.post(
    "/api/courses/{course_id}/quiz/questions/{question_id}/regenerate",
    summary="Regenerate one quiz question (the previous one is kept in its history)",
    responses=problem_responses(404, 409, 422),
)
async def regenerate_question(
    course_id: uuid.UUID, question_id: uuid.UUID, principal: Editor, courses: Courses
) -> QuestionOut:
    return question_out(await courses.regenerate_question(principal, course_id, question_id))


@router.get("/api/courses/{course_id}/landing-page", responses=problem_responses(404, 422))
async def get_landing_page(
    course_id: uuid.UUID, principal: Reader, courses: Courses
) -> LandingPageOut:
    page = await courses.landing_page(principal, course_id)
    return LandingPageOut(id=page.id, course_id=course_id, sections=page.sections)


@router.get(
    "/api/courses/{course_id}/events",
    summary="The course's event trail from the audit log",
    responses=problem_responses(404, 422),
)
async def course_events(
    course_id: uuid.UUID, principal: Reader, courses: Courses, factory: Deps
) -> list[Event]:
    await courses.get(principal, course_id)
    page = await factory.events.list_events(
        tenant_id=principal.tenant_id, aggregate_id=str(course_id), limit=500
    )
    return [event for _, event, _ in page.items]


@router.get(
    "/api/courses/{course_id}/preview-link",
    summary="A link that opens the course's staging site for a while, without a key",
    responses=problem_responses(404, 422),
)
async def preview_link(
    course_id: uuid.UUID, principal: Reader, courses: Courses, factory: Deps
) -> PreviewLinkOut:
    course = await courses.get(principal, course_id)
    if course.staging_url is None:
        raise NotFound(f"course {course_id} has no staging site yet")
    link = factory.previews.link(course.id)
    return PreviewLinkOut(url=link.url, expires_at=link.expires_at)


async def visible_course(course_id: uuid.UUID, principal: Reader, factory: Deps) -> uuid.UUID:
    """The course id, once the caller's tenant is known to have it (checked before a stream
    starts, so an unknown course answers 404 rather than an empty stream)."""
    async with factory.database.read_session() as session:
        if await CourseRepository(session).get(course_id, tenant_id=principal.tenant_id) is None:
            raise NotFound(f"no course {course_id}")
    return course_id


@router.get(
    "/api/courses/{course_id}/progress",
    response_class=EventSourceResponse,
    summary="Server-Sent Events with the generation's progress until it ends",
    responses=problem_responses(404, 422),
)
async def progress(
    course_id: Annotated[uuid.UUID, Depends(visible_course)],
    principal: Reader,
    request: Request,
    factory: Deps,
) -> AsyncIterator[ServerSentEvent]:
    # Read sessions only: a stream can last minutes and must not hold a transaction open.
    database = factory.database
    last = None
    while True:
        async with database.read_session() as session:
            repository = CourseRepository(session)
            course = await repository.get(course_id, tenant_id=principal.tenant_id)
            if course is None:
                return
            snapshot = await course_out(repository, course)
        state = (snapshot.generation_status, snapshot.progress)
        if state != last:
            last = state
            yield ServerSentEvent(
                event="progress",
                data={
                    "status": snapshot.generation_status,
                    "lessons_done": snapshot.progress.lessons_done,
                    "lessons_total": snapshot.progress.lessons_total,
                    "error": snapshot.error,
                },
            )
        if snapshot.generation_status in TERMINAL or await request.is_disconnected():
            return
        await asyncio.sleep(PROGRESS_POLL_SECONDS)


@router.get(
    "/api/courses/{course_id}/evidence-pack",
    response_class=FileResponse,
    summary="Download the evidence pack (zip with every artifact and a SHA-256 manifest)",
    responses={**problem_responses(404, 422), 200: {"content": {"application/zip": {}}}},
)
async def evidence_pack(
    course_id: uuid.UUID, principal: Reader, courses: Courses, factory: Deps
) -> FileResponse:
    course = await courses.get(principal, course_id)
    if course.evidence_pack_path is None:
        raise NotFound(f"course {course_id} has no evidence pack yet")
    path = factory.steps.data_dir / course.evidence_pack_path
    if not path.is_file():
        raise NotFound(f"the evidence pack of course {course_id} is missing on this server")
    return FileResponse(
        path, media_type="application/zip", filename=f"course-{course_id}-evidence.zip"
    )


@router.post(
    "/api/courses/{course_id}/retry",
    status_code=202,
    summary="Generate a failed or cancelled course again (finished steps are kept)",
    responses=problem_responses(404, 409, 422),
)
async def retry(
    course_id: uuid.UUID, principal: Editor, courses: Courses, request: Request
) -> GenerationAccepted:
    course = await courses.retry(principal, course_id)
    return GenerationAccepted(
        course_id=course.id,
        status=GenerationStatus.QUEUED,
        status_url=str(request.url_for("get_course", course_id=course.id)),
    )


@router.post(
    "/api/courses/{course_id}/cancel",
    status_code=202,
    summary="Cancel a queued or running generation",
    responses=problem_responses(404, 409, 422),
)
async def cancel(course_id: uuid.UUID, principal: Editor, courses: Courses) -> CourseOut:
    course = await courses.cancel(principal, course_id)
    return await course_out(courses.courses, course)


@router.post(
    "/api/courses/{course_id}/transitions",
    summary="Move a course through the workflow (202 when the move needs an approval)",
    responses={**problem_responses(404, 409, 422), 202: {"model": TransitionOut}},
)
async def request_transition(
    course_id: uuid.UUID,
    body: TransitionRequest,
    principal: Editor,
    courses: Courses,
    response: Response,
) -> TransitionOut:
    result = await courses.transition(principal, course_id, body.to_state, body.comment)
    if result.requires_approval:
        response.status_code = 202
    return TransitionOut(
        course_id=course_id,
        from_state=result.from_state,
        to_state=result.to_state,
        workflow_state=WorkflowState(result.course.workflow_state),
        requires_approval=result.requires_approval,
        approval_request_id=result.approval.id if result.approval else None,
    )


@router.get("/api/approvals", summary="Approval requests", responses=problem_responses(422))
async def list_approvals(
    principal: Reader,
    courses: Courses,
    status: Annotated[str | None, Query(pattern="^(pending|approved|rejected)$")] = "pending",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[ApprovalOut]:
    return [approval_out(a) for a in await courses.approvals(principal, status, limit)]


@router.post(
    "/api/approvals/{approval_id}/approve",
    summary="Approve: the transition happens (not by the requester)",
    responses=problem_responses(404, 409, 422),
)
async def approve(
    approval_id: uuid.UUID, principal: Approver, courses: Courses, body: Decision | None = None
) -> ApprovalOut:
    return await _decide(courses, principal, approval_id, body, approve=True)


@router.post(
    "/api/approvals/{approval_id}/reject",
    summary="Reject: the course stays where it is",
    responses=problem_responses(404, 409, 422),
)
async def reject(
    approval_id: uuid.UUID, principal: Approver, courses: Courses, body: Decision | None = None
) -> ApprovalOut:
    return await _decide(courses, principal, approval_id, body, approve=False)


async def _decide(
    courses: CourseService,
    principal: Principal,
    approval_id: uuid.UUID,
    body: Decision | None,
    *,
    approve: bool,
) -> ApprovalOut:
    comment = (body or Decision()).comment
    return approval_out(
        await courses.decide(principal, approval_id, approve=approve, comment=comment)
    )


@router.get(
    "/api/courses/{course_id}/access-grants",
    summary="Who may read the priced course: counts and grants (no personal data, no tokens)",
    responses=problem_responses(404, 422),
)
async def access_grants(
    course_id: uuid.UUID, principal: Reader, session: ReadSession
) -> AccessGrantsOut:
    if await CourseRepository(session).get(course_id, tenant_id=principal.tenant_id) is None:
        raise NotFound(f"no course {course_id}")
    grants = await AccessGrantRepository(session).of_course(course_id)
    active = sum(1 for grant in grants if grant.active)
    return AccessGrantsOut(
        course_id=course_id,
        total=len(grants),
        active=active,
        revoked=len(grants) - active,
        grants=[
            AccessGrantOut(
                id=grant.id,
                buyer_id=grant.buyer_id,
                payment_id=grant.payment_id,
                granted_at=grant.granted_at,
                revoked_at=grant.revoked_at,
                revoke_reason=grant.revoke_reason,
            )
            for grant in grants
        ],
    )
