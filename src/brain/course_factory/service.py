"""What the API does with courses: request generations, read them, fix them piece by piece,
move them through the workflow with approvals, cancel and retry generations."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from temporalio.client import WorkflowFailureError
from temporalio.service import RPCError, RPCStatusCode

from brain.course_factory import content as c
from brain.course_factory.generation import GenerationSteps
from brain.course_factory.lifecycle import (
    brief_of,
    mark_failed,
    outline_of,
    record_lesson,
    transition,
)
from brain.course_factory.models import (
    ApprovalRequest,
    Course,
    CourseModule,
    GenerationStatus,
    LandingPage,
    Lesson,
    LessonRevision,
    Quiz,
    QuizQuestion,
    WorkflowState,
)
from brain.course_factory.repository import CourseRepository
from brain.course_factory.schemas import GenerateRequest, LessonEdit
from brain.course_factory.states import allowed_targets, needs_approval
from brain.course_factory.workflows import workflow_id
from brain.events import EventPublisher, fit
from brain.events.contracts.course import CourseGenerationRequested
from brain.kernel.auth import Principal
from brain.kernel.clock import utcnow
from brain.kernel.db import Database
from brain.kernel.errors import Conflict, Forbidden, NotFound, ValidationFailed
from brain.kernel.temporal import TemporalRuntime
from brain.kernel.uow import UnitOfWork

ACTIVE = (GenerationStatus.QUEUED, GenerationStatus.RUNNING)
FINISHED_BADLY = (GenerationStatus.FAILED, GenerationStatus.CANCELLED)


def actor(principal: Principal) -> str:
    return f"apikey:{principal.api_key_id}"


@dataclass(frozen=True)
class GenerationProgress:
    lessons_done: int
    lessons_total: int
    """The lessons the generation writes in full: `full_lessons_count`, at most the outline's."""


async def progress_of(courses: CourseRepository, course: Course) -> GenerationProgress:
    """How far a course's generation is (the API's `progress`, the CLI's progress bar)."""
    done, in_outline = await courses.lesson_counts(course.id)
    return _progress(course, done, in_outline)


async def progresses_of(
    courses: CourseRepository, rows: Sequence[Course]
) -> dict[uuid.UUID, GenerationProgress]:
    """`progress_of` for a page of courses, in one query."""
    counts = await courses.lesson_counts_of([course.id for course in rows])
    return {course.id: _progress(course, *counts.get(course.id, (0, 0))) for course in rows}


def _progress(course: Course, done: int, in_outline: int) -> GenerationProgress:
    if course.dry_run:
        total = 0
    elif in_outline:
        total = min(course.full_lessons_count, in_outline)
    else:
        total = course.full_lessons_count
    return GenerationProgress(done, total)


@dataclass(frozen=True)
class TransitionResult:
    course: Course
    from_state: WorkflowState
    to_state: WorkflowState
    requires_approval: bool
    approval: ApprovalRequest | None


class CourseService:
    def __init__(
        self,
        uow: UnitOfWork,
        publisher: EventPublisher,
        steps: GenerationSteps,
        temporal: TemporalRuntime,
        database: Database,
    ) -> None:
        self.uow = uow
        self.courses = CourseRepository(uow.session)
        self.publisher = publisher
        self.steps = steps
        self.temporal = temporal
        self.database = database

    async def request_generation(self, principal: Principal, body: GenerateRequest) -> Course:
        if not self.steps.generator.knows_template(body.template_id):
            raise ValidationFailed.field(
                "body.template_id", f"unknown template {body.template_id!r} for this generator"
            )
        course = await self.courses.add(
            Course(
                tenant_id=principal.tenant_id,
                title=body.title,
                description=body.description,
                language=body.language,
                target_audiences=[a.value for a in body.target_audiences],
                template_id=body.template_id,
                dry_run=body.dry_run,
                full_lessons_count=body.full_lessons_count,
                generate_quiz=body.generate_quiz,
                generate_landing_page=body.generate_landing_page,
                deploy_to_staging=body.deploy_to_staging,
                generation_status=GenerationStatus.QUEUED,
                workflow_state=WorkflowState.DRAFT,
                generation_attempt=1,
                requested_by=principal.api_key_id,
            )
        )
        await self._publish_requested(course)
        return course

    async def _publish_requested(self, course: Course) -> None:
        await self.publisher.publish(
            self.uow,
            CourseGenerationRequested.model_validate(
                {
                    "course_id": course.id,
                    "title": fit(CourseGenerationRequested, "title", course.title),
                    "description": fit(
                        CourseGenerationRequested, "description", course.description
                    ),
                    "language": course.language,
                    "target_audiences": course.target_audiences,
                    "tenant_id": course.tenant_id,
                    "dry_run": course.dry_run,
                    "full_lessons_count": course.full_lessons_count,
                }
            ),
            tenant_id=course.tenant_id,
        )

    async def get(self, principal: Principal, course_id: uuid.UUID) -> Course:
        course = await self.courses.get(course_id, tenant_id=principal.tenant_id)
        if course is None:
            raise NotFound(f"no course {course_id}")
        return course

    async def retry(self, principal: Principal, course_id: uuid.UUID) -> Course:
        course = await self.courses.get_for_update(course_id)
        if course is None or course.tenant_id != principal.tenant_id:
            raise NotFound(f"no course {course_id}")
        if course.generation_status not in FINISHED_BADLY:
            raise Conflict(
                f"only a failed or cancelled generation can be retried; this one is "
                f"{course.generation_status}"
            )
        course.generation_attempt += 1
        course.generation_status = GenerationStatus.QUEUED
        course.error_type = course.error_message = None
        course.completed_at = None
        await self._publish_requested(course)
        return course

    async def cancel(self, principal: Principal, course_id: uuid.UUID) -> Course:
        course = await self.courses.get_for_update(course_id)
        if course is None or course.tenant_id != principal.tenant_id:
            raise NotFound(f"no course {course_id}")
        if course.generation_status not in ACTIVE:
            raise Conflict(
                f"only a queued or running generation can be cancelled; this one is "
                f"{course.generation_status}"
            )
        client = await self.temporal.client()
        handle = client.get_workflow_handle(workflow_id(str(course.id), course.generation_attempt))
        try:
            await handle.cancel()
        except RPCError as exc:
            if exc.status != RPCStatusCode.NOT_FOUND:
                raise
            await mark_failed(
                self.uow,
                self.publisher,
                course,
                "GenerationCancelled",
                "cancelled before it started",
                0.0,
                cancelled=True,
            )
        except WorkflowFailureError:
            pass
        return course

    # -- reading ---------------------------------------------------------------------------

    async def lessons_done(self, course: Course) -> int:
        return await self.courses.lessons_done(course.id)

    async def outline(
        self, principal: Principal, course_id: uuid.UUID
    ) -> tuple[Course, Sequence[CourseModule], Sequence[Lesson]]:
        course = await self.get(principal, course_id)
        modules = await self.courses.modules(course.id)
        if not modules:
            raise NotFound(f"course {course_id} has no outline yet")
        return course, modules, await self.courses.lessons(course.id)

    async def lesson(
        self, principal: Principal, course_id: uuid.UUID, lesson_id: uuid.UUID
    ) -> tuple[Lesson, Sequence[LessonRevision]]:
        await self.get(principal, course_id)
        lesson = await self.courses.lesson(course_id, lesson_id)
        if lesson is None:
            raise NotFound(f"course {course_id} has no lesson {lesson_id}")
        return lesson, await self.courses.revisions(lesson.id)

    async def quiz(
        self, principal: Principal, course_id: uuid.UUID
    ) -> tuple[Quiz, Sequence[QuizQuestion]]:
        await self.get(principal, course_id)
        quiz = await self.courses.quiz(course_id)
        if quiz is None:
            raise NotFound(f"course {course_id} has no quiz")
        return quiz, await self.courses.questions(quiz.id)

    async def landing_page(self, principal: Principal, course_id: uuid.UUID) -> LandingPage:
        await self.get(principal, course_id)
        page = await self.courses.landing_page(course_id)
        if page is None:
            raise NotFound(f"course {course_id} has no landing page")
        return page

    # -- fixing content piece by piece -----------------------------------------------------

    def _editable(self, course: Course) -> None:
        if course.generation_status in ACTIVE:
            raise Conflict("the course is still being generated; edit it once it has finished")

    async def edit_lesson(
        self, principal: Principal, course_id: uuid.UUID, lesson_id: uuid.UUID, edit: LessonEdit
    ) -> None:
        if edit.is_empty():
            raise ValidationFailed.field("body", "give a title, markdown or both")
        course = await self.get(principal, course_id)
        self._editable(course)
        lesson = await self.courses.lesson(course_id, lesson_id)
        if lesson is None:
            raise NotFound(f"course {course_id} has no lesson {lesson_id}")
        await record_lesson(
            self.uow,
            self.publisher,
            course,
            lesson,
            edit.title if edit.title is not None else lesson.title,
            edit.markdown if edit.markdown is not None else lesson.markdown,
            source="edited",
            author=actor(principal),
        )
        self._rebuild_site_after_commit(course)

    async def regenerate_lesson(
        self, principal: Principal, course_id: uuid.UUID, lesson_id: uuid.UUID
    ) -> None:
        # Generate first, write after: a generator (an LLM) may take many seconds, and on SQLite
        # the unit of work holds the database's write lock from its first statement.
        async with self.database.read_session() as session:
            courses = CourseRepository(session)
            course = await self._readable(courses, principal, course_id)
            lesson = await courses.lesson(course_id, lesson_id)
            if lesson is None:
                raise NotFound(f"course {course_id} has no lesson {lesson_id}")
            outline = await outline_of(courses, course_id)
        assert outline is not None
        module_index, lesson_index = outline.lesson_positions()[lesson.position - 1]
        generated = await self.steps.generator.lesson(
            brief_of(course), outline, module_index, lesson_index
        )
        course = await self._editable_for_update(principal, course_id)
        lesson = await self.courses.lesson(course_id, lesson_id)
        if lesson is None:
            raise NotFound(f"course {course_id} has no lesson {lesson_id}")
        course.prompt_tokens += generated.usage.prompt_tokens
        course.completion_tokens += generated.usage.completion_tokens
        await record_lesson(
            self.uow,
            self.publisher,
            course,
            lesson,
            generated.value.title,
            generated.value.markdown,
            source="regenerated",
            author=actor(principal),
        )
        self._rebuild_site_after_commit(course)

    async def regenerate_question(
        self, principal: Principal, course_id: uuid.UUID, question_id: uuid.UUID
    ) -> QuizQuestion:
        async with self.database.read_session() as session:  # generate first, as above
            courses = CourseRepository(session)
            course = await self._readable(courses, principal, course_id)
            question = await self._question(courses, course_id, question_id)
            outline = await outline_of(courses, course_id)
        assert outline is not None
        generated = await self.steps.generator.quiz_question(
            brief_of(course), outline, question.position - 1
        )
        course = await self._editable_for_update(principal, course_id)
        question = await self._question(self.courses, course_id, question_id)
        fresh: c.QuizQuestion = generated.value
        question.history = [
            *question.history,
            {
                "revision": question.revision,
                "question": question.question,
                "options": question.options,
                "correct_index": question.correct_index,
                "explanation": question.explanation,
                "replaced_at": utcnow().isoformat(),
                "replaced_by": actor(principal),
            },
        ]
        question.question, question.options = fresh.question, list(fresh.options)
        question.correct_index, question.explanation = fresh.correct_index, fresh.explanation
        question.revision += 1
        course.prompt_tokens += generated.usage.prompt_tokens
        course.completion_tokens += generated.usage.completion_tokens
        self._rebuild_site_after_commit(course)
        return question

    async def _readable(
        self, courses: CourseRepository, principal: Principal, course_id: uuid.UUID
    ) -> Course:
        course = await courses.get(course_id, tenant_id=principal.tenant_id)
        if course is None:
            raise NotFound(f"no course {course_id}")
        self._editable(course)
        return course

    async def _editable_for_update(self, principal: Principal, course_id: uuid.UUID) -> Course:
        """The course, locked for this unit of work, still the caller's and still editable
        (a generation may have started while the generator worked)."""
        course = await self.courses.get_for_update(course_id)
        if course is None or course.tenant_id != principal.tenant_id:
            raise NotFound(f"no course {course_id}")
        self._editable(course)
        return course

    @staticmethod
    async def _question(
        courses: CourseRepository, course_id: uuid.UUID, question_id: uuid.UUID
    ) -> QuizQuestion:
        quiz = await courses.quiz(course_id)
        questions = await courses.questions(quiz.id) if quiz else []
        question = next((q for q in questions if q.id == question_id), None)
        if question is None:
            raise NotFound(f"course {course_id} has no quiz question {question_id}")
        return question

    def _rebuild_site_after_commit(self, course: Course) -> None:
        if course.staging_url is None:
            return
        course_id = course.id

        async def rebuild() -> None:
            await self.steps.render_site(course_id)

        self.uow.on_commit(rebuild)

    # -- workflow and approvals ------------------------------------------------------------

    async def transition(
        self, principal: Principal, course_id: uuid.UUID, target: WorkflowState, comment: str
    ) -> TransitionResult:
        course = await self.courses.get_for_update(course_id)
        if course is None or course.tenant_id != principal.tenant_id:
            raise NotFound(f"no course {course_id}")
        source = WorkflowState(course.workflow_state)
        requires = needs_approval(source, target)
        if requires is None:
            allowed = [s.value for s in allowed_targets(source)]
            raise Conflict(
                f"{source.value} → {target.value} is not allowed; from {source.value} a course "
                f"may go to: {', '.join(allowed) or 'nothing'}",
                extra={"allowed_targets": allowed},
            )
        if course.generation_status != GenerationStatus.COMPLETED or course.dry_run:
            raise Conflict("only a completed, non-preview generation moves through the workflow")
        if requires:
            if await self.courses.pending_approval(course.id) is not None:
                raise Conflict("an approval request for this course is already pending")
            approval = ApprovalRequest(
                tenant_id=course.tenant_id,
                course_id=course.id,
                from_state=source,
                to_state=target,
                requested_by=actor(principal),
                comment=comment,
                status="pending",
            )
            self.uow.session.add(approval)
            await self.uow.session.flush()
            return TransitionResult(course, source, target, True, approval)
        await transition(
            self.uow, self.publisher, course, target, actor(principal), comment=comment
        )
        return TransitionResult(course, source, target, False, None)

    async def approvals(
        self,
        principal: Principal,
        status: str | None,
        limit: int,
        *,
        offset: int = 0,
        course_id: uuid.UUID | None = None,
    ) -> Sequence[ApprovalRequest]:
        return await self.courses.approvals(
            principal.tenant_id, status=status, limit=limit, offset=offset, course_id=course_id
        )

    async def count_approvals(
        self, principal: Principal, status: str | None, *, course_id: uuid.UUID | None = None
    ) -> int:
        return await self.courses.count_approvals(
            principal.tenant_id, status=status, course_id=course_id
        )

    async def status_counts(self, principal: Principal) -> list[tuple[str, str, int]]:
        """(generation status, workflow state, courses) of the caller's tenant."""
        return await self.courses.status_counts(principal.tenant_id)

    async def titles(
        self, principal: Principal, course_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, str]:
        """The titles of those of `course_ids` that are the caller's tenant's."""
        return await self.courses.titles(principal.tenant_id, course_ids)

    async def decide(
        self, principal: Principal, approval_id: uuid.UUID, *, approve: bool, comment: str
    ) -> ApprovalRequest:
        approval = await self.courses.approval(approval_id, tenant_id=principal.tenant_id)
        if approval is None:
            raise NotFound(f"no approval request {approval_id}")
        if approval.status != "pending":
            raise Conflict(f"approval request {approval_id} is already {approval.status}")
        if approval.requested_by == actor(principal):
            raise Forbidden("the requester of a transition cannot decide on it")
        course = await self.courses.get_for_update(approval.course_id)
        assert course is not None
        approval.status = "approved" if approve else "rejected"
        approval.decided_by = actor(principal)
        approval.decision_comment = comment
        approval.decided_at = utcnow()
        if approve:
            if course.workflow_state != approval.from_state:
                raise Conflict(
                    f"the course moved to {course.workflow_state} since the request; "
                    "request the transition again"
                )
            await transition(
                self.uow,
                self.publisher,
                course,
                WorkflowState(approval.to_state),
                actor(principal),
                comment=comment,
                approval_request_id=approval.id,
            )
        return approval
