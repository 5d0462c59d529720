"""course_factory implements the operator contracts `CourseAdmin` and `AccessGrantAdmin`
(brain.kernel.admin_contracts).

Every call runs `CourseService` in a unit of work of its own, reads on a read session; the service
scopes each query to the principal's tenant, and the roles are the API's (`router.py`): editors
write, approvers decide, every role reads. Request bodies are validated by the API's own models,
so the dashboard shows the API's messages.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import ValidationError

from brain.course_factory.content import LANGUAGES, Audience
from brain.course_factory.dependencies import FactoryDeps
from brain.course_factory.generators import TEMPLATE_IDS
from brain.course_factory.models import (
    ApprovalRequest,
    Course,
    GenerationStatus,
    Lesson,
    QuizQuestion,
    WorkflowState,
)
from brain.course_factory.repository import AccessGrantRepository, CourseRepository
from brain.course_factory.schemas import (
    MAX_AUDIENCES,
    Decision,
    GenerateRequest,
    LessonEdit,
    TransitionRequest,
)
from brain.course_factory.service import (
    ACTIVE,
    FINISHED_BADLY,
    CourseService,
    actor,
    progress_of,
    progresses_of,
)
from brain.course_factory.states import allowed_targets, needs_approval
from brain.kernel.admin_contracts import (
    AccessGrants,
    AccessGrantView,
    ApprovalView,
    CourseCounts,
    CourseDetail,
    CourseSummary,
    EvidencePack,
    GenerationOptions,
    GenerationRequest,
    LandingSectionView,
    LessonSummaryView,
    LessonView,
    ModuleView,
    OutlineView,
    Page,
    ProgressView,
    QuestionView,
    QuizView,
    RevisionView,
    TextLimit,
    TransitionOption,
    TransitionOutcome,
    validation_failed,
    without_body_prefix,
)
from brain.kernel.auth import Principal, Role, ensure_role
from brain.kernel.errors import NotFound, ValidationFailed
from brain.kernel.uow import UnitOfWork

MAX_PAGE = 100
WRITE = (Role.EDITOR,)
DECIDE = (Role.APPROVER,)
TERMINAL = (GenerationStatus.COMPLETED, *FINISHED_BADLY)


def _progress(course: Course, done: int, total: int) -> ProgressView:
    error = f"{course.error_type}: {course.error_message}" if course.error_type else None
    return ProgressView(
        status=str(course.generation_status),
        lessons_done=done,
        lessons_total=total,
        error=error,
        finished=course.generation_status in TERMINAL,
    )


def _lesson_summary(lesson: Lesson) -> LessonSummaryView:
    return LessonSummaryView(
        lesson_id=lesson.id,
        position=lesson.position,
        module_position=lesson.module_position,
        title=lesson.title,
        summary=lesson.summary,
        placeholder=lesson.markdown is None,
        revision=lesson.revision,
    )


def _question(question: QuizQuestion) -> QuestionView:
    return QuestionView(
        question_id=question.id,
        position=question.position,
        question=question.question,
        options=tuple(question.options),
        correct_index=question.correct_index,
        explanation=question.explanation,
        revision=question.revision,
    )


def _approval(
    approval: ApprovalRequest, principal: Principal, titles: dict[uuid.UUID, str]
) -> ApprovalView:
    return ApprovalView(
        approval_id=approval.id,
        course_id=approval.course_id,
        course_title=titles.get(approval.course_id, ""),
        from_state=approval.from_state,
        to_state=approval.to_state,
        requested_by=approval.requested_by,
        comment=approval.comment,
        status=approval.status,
        decided_by=approval.decided_by,
        decision_comment=approval.decision_comment,
        created_at=approval.created_at,
        decided_at=approval.decided_at,
        requested_by_caller=approval.requested_by == actor(principal),
    )


def _choice(value: str | None, allowed: Iterable[str], field: str) -> str | None:
    if not value:
        return None
    choices = list(allowed)
    if value not in choices:
        raise ValidationFailed.field(field, f"must be one of {', '.join(choices)}")
    return value


class CourseAdministration:
    def __init__(self, deps: FactoryDeps) -> None:
        self.deps = deps

    def _writing(self) -> UnitOfWork:
        return self.deps.units_of_work()

    def _reading(self) -> UnitOfWork:
        """A unit of work on the read engine: never takes SQLite's write lock."""
        return UnitOfWork(self.deps.database.read_sessionmaker)

    def _service(self, uow: UnitOfWork) -> CourseService:
        return self.deps.service(uow)

    # -- reading ---------------------------------------------------------------------------

    async def options(self) -> GenerationOptions:
        generator = self.deps.steps.generator
        fields = GenerateRequest.model_fields
        return GenerationOptions(
            languages=LANGUAGES,
            audiences=tuple(a.value for a in Audience),
            templates=tuple(t for t in TEMPLATE_IDS if generator.knows_template(t)),
            max_audiences=MAX_AUDIENCES,
            max_full_lessons=_upper(fields["full_lessons_count"].metadata),
            limits={
                "title": TextLimit.of(GenerateRequest, "title"),
                "description": TextLimit.of(GenerateRequest, "description"),
            },
        )

    async def counts(self, principal: Principal) -> CourseCounts:
        async with self._reading() as uow:
            service = self._service(uow)
            rows = await service.status_counts(principal)
            pending = await service.count_approvals(principal, "pending")
        by_status: dict[str, int] = {s.value: 0 for s in GenerationStatus}
        by_state: dict[str, int] = {s.value: 0 for s in WorkflowState}
        for status, state, count in rows:
            by_status[status] = by_status.get(status, 0) + count
            by_state[state] = by_state.get(state, 0) + count
        return CourseCounts(
            total=sum(count for _, _, count in rows),
            by_generation_status=by_status,
            by_workflow_state=by_state,
            pending_approvals=pending,
        )

    async def list(
        self,
        principal: Principal,
        *,
        workflow_state: str | None = None,
        generation_status: str | None = None,
        offset: int = 0,
        limit: int = 25,
    ) -> Page[CourseSummary]:
        state = _choice(workflow_state, (s.value for s in WorkflowState), "workflow_state")
        status = _choice(
            generation_status, (s.value for s in GenerationStatus), "generation_status"
        )
        offset, limit = max(offset, 0), min(max(limit, 1), MAX_PAGE)
        async with self._reading() as uow:
            service = self._service(uow)
            rows, total = await service.courses.page(
                principal.tenant_id,
                workflow_state=state,
                generation_status=status,
                offset=offset,
                limit=limit,
            )
            progresses = await progresses_of(service.courses, rows)
        items = tuple(
            CourseSummary(
                course_id=course.id,
                title=course.title,
                language=course.language,
                generation_status=str(course.generation_status),
                workflow_state=str(course.workflow_state),
                progress=_progress(
                    course,
                    progresses[course.id].lessons_done,
                    progresses[course.id].lessons_total,
                ),
                created_at=course.created_at,
            )
            for course in rows
        )
        return Page(items, total, offset, limit)

    async def get(self, principal: Principal, course_id: uuid.UUID) -> CourseDetail:
        async with self._reading() as uow:
            service = self._service(uow)
            course = await service.get(principal, course_id)
            progress = await progress_of(service.courses, course)
            pending = await service.approvals(principal, "pending", 1, course_id=course.id)
        state = WorkflowState(course.workflow_state)
        pending_view = (
            _approval(pending[0], principal, {course.id: course.title}) if pending else None
        )
        return CourseDetail(
            course_id=course.id,
            title=course.title,
            description=course.description,
            language=course.language,
            target_audiences=tuple(course.target_audiences),
            template_id=course.template_id,
            dry_run=course.dry_run,
            full_lessons_count=course.full_lessons_count,
            generate_quiz=course.generate_quiz,
            generate_landing_page=course.generate_landing_page,
            deploy_to_staging=course.deploy_to_staging,
            generation_status=str(course.generation_status),
            workflow_state=state.value,
            progress=_progress(course, progress.lessons_done, progress.lessons_total),
            generation_attempt=course.generation_attempt,
            error=f"{course.error_type}: {course.error_message}" if course.error_type else None,
            staging_url=course.staging_url,
            evidence_pack_available=course.evidence_pack_path is not None,
            generator=(
                f"{course.generator_name} {course.generator_version}"
                if course.generator_name
                else None
            ),
            created_at=course.created_at,
            started_at=course.started_at,
            completed_at=course.completed_at,
            transitions=tuple(
                TransitionOption(target.value, bool(needs_approval(state, target)))
                for target in allowed_targets(state)
            ),
            pending_approval=pending_view,
            editable=course.generation_status not in ACTIVE,
            retryable=course.generation_status in FINISHED_BADLY,
            cancellable=course.generation_status in ACTIVE,
        )

    async def progress(self, principal: Principal, course_id: uuid.UUID) -> ProgressView:
        async with self.deps.database.read_session() as session:
            courses = CourseRepository(session)
            course = await courses.get(course_id, tenant_id=principal.tenant_id)
            if course is None:
                raise NotFound(f"no course {course_id}")
            progress = await progress_of(courses, course)
        return _progress(course, progress.lessons_done, progress.lessons_total)

    async def outline(self, principal: Principal, course_id: uuid.UUID) -> OutlineView | None:
        async with self._reading() as uow:
            service = self._service(uow)
            await service.get(principal, course_id)
            try:
                _, modules, lessons = await service.outline(principal, course_id)
            except NotFound:
                return None
        return OutlineView(
            course_id=course_id,
            modules=tuple(
                ModuleView(
                    module_id=module.id,
                    position=module.position,
                    title=module.title,
                    summary=module.summary,
                    lessons=tuple(
                        _lesson_summary(lesson)
                        for lesson in lessons
                        if lesson.module_id == module.id
                    ),
                )
                for module in modules
            ),
        )

    async def lesson(
        self, principal: Principal, course_id: uuid.UUID, lesson_id: uuid.UUID
    ) -> LessonView:
        async with self._reading() as uow:
            lesson, revisions = await self._service(uow).lesson(principal, course_id, lesson_id)
        return LessonView(
            course_id=course_id,
            lesson=_lesson_summary(lesson),
            markdown=lesson.markdown,
            revisions=tuple(
                RevisionView(
                    revision=r.revision,
                    title=r.title,
                    source=r.source,
                    author=r.author,
                    created_at=r.created_at,
                )
                for r in revisions
            ),
            limits={
                "title": TextLimit.of(LessonEdit, "title"),
                "markdown": TextLimit.of(LessonEdit, "markdown"),
            },
        )

    async def quiz(self, principal: Principal, course_id: uuid.UUID) -> QuizView | None:
        async with self._reading() as uow:
            service = self._service(uow)
            await service.get(principal, course_id)
            try:
                quiz, questions = await service.quiz(principal, course_id)
            except NotFound:
                return None
        return QuizView(quiz_id=quiz.id, questions=tuple(_question(q) for q in questions))

    async def landing_page(
        self, principal: Principal, course_id: uuid.UUID
    ) -> tuple[LandingSectionView, ...] | None:
        async with self._reading() as uow:
            service = self._service(uow)
            await service.get(principal, course_id)
            try:
                page = await service.landing_page(principal, course_id)
            except NotFound:
                return None
        return tuple(_section(section) for section in page.sections)

    async def evidence_pack(self, principal: Principal, course_id: uuid.UUID) -> EvidencePack:
        async with self._reading() as uow:
            course = await self._service(uow).get(principal, course_id)
        if course.evidence_pack_path is None:
            raise NotFound(f"course {course_id} has no evidence pack yet")
        path = self.deps.steps.data_dir / course.evidence_pack_path
        if not path.is_file():
            raise NotFound(f"the evidence pack of course {course_id} is missing on this server")
        return EvidencePack(path=path, filename=f"course-{course_id}-evidence.zip")

    async def approvals(
        self,
        principal: Principal,
        *,
        status: str | None = "pending",
        course_id: uuid.UUID | None = None,
        offset: int = 0,
        limit: int = 25,
    ) -> Page[ApprovalView]:
        status = _choice(status, ("pending", "approved", "rejected"), "status")
        offset, limit = max(offset, 0), min(max(limit, 1), MAX_PAGE)
        async with self._reading() as uow:
            service = self._service(uow)
            rows = await service.approvals(
                principal, status, limit, offset=offset, course_id=course_id
            )
            total = await service.count_approvals(principal, status, course_id=course_id)
            titles = await service.titles(principal, [a.course_id for a in rows])
        return Page(tuple(_approval(a, principal, titles) for a in rows), total, offset, limit)

    # -- writing ---------------------------------------------------------------------------

    async def request_generation(
        self, principal: Principal, request: GenerationRequest
    ) -> uuid.UUID:
        ensure_role(principal, *WRITE)
        try:
            body = GenerateRequest.model_validate(
                {
                    "title": request.title,
                    "description": request.description,
                    "language": request.language,
                    "target_audiences": list(request.target_audiences),
                    "template_id": request.template_id,
                    "full_lessons_count": request.full_lessons_count,
                    "generate_quiz": request.generate_quiz,
                    "generate_landing_page": request.generate_landing_page,
                    "deploy_to_staging": request.deploy_to_staging,
                    "dry_run": request.dry_run,
                }
            )
        except ValidationError as exc:
            raise validation_failed(exc) from None
        try:
            async with self._writing() as uow:
                course = await self._service(uow).request_generation(principal, body)
        except ValidationFailed as exc:
            raise without_body_prefix(exc) from None
        return course.id

    async def edit_lesson(
        self,
        principal: Principal,
        course_id: uuid.UUID,
        lesson_id: uuid.UUID,
        *,
        title: str | None,
        markdown: str | None,
    ) -> LessonView:
        ensure_role(principal, *WRITE)
        try:
            edit = LessonEdit.model_validate({"title": title, "markdown": markdown})
        except ValidationError as exc:
            raise validation_failed(exc) from None
        try:
            async with self._writing() as uow:
                await self._service(uow).edit_lesson(principal, course_id, lesson_id, edit)
        except ValidationFailed as exc:
            raise without_body_prefix(exc) from None
        return await self.lesson(principal, course_id, lesson_id)

    async def regenerate_lesson(
        self, principal: Principal, course_id: uuid.UUID, lesson_id: uuid.UUID
    ) -> LessonView:
        ensure_role(principal, *WRITE)
        async with self._writing() as uow:
            await self._service(uow).regenerate_lesson(principal, course_id, lesson_id)
        return await self.lesson(principal, course_id, lesson_id)

    async def regenerate_question(
        self, principal: Principal, course_id: uuid.UUID, question_id: uuid.UUID
    ) -> QuestionView:
        ensure_role(principal, *WRITE)
        async with self._writing() as uow:
            question = await self._service(uow).regenerate_question(
                principal, course_id, question_id
            )
            view = _question(question)
        return view

    async def retry(self, principal: Principal, course_id: uuid.UUID) -> None:
        ensure_role(principal, *WRITE)
        async with self._writing() as uow:
            await self._service(uow).retry(principal, course_id)

    async def cancel(self, principal: Principal, course_id: uuid.UUID) -> None:
        ensure_role(principal, *WRITE)
        async with self._writing() as uow:
            await self._service(uow).cancel(principal, course_id)

    async def transition(
        self, principal: Principal, course_id: uuid.UUID, to_state: str, comment: str
    ) -> TransitionOutcome:
        ensure_role(principal, *WRITE)
        try:
            body = TransitionRequest.model_validate({"to_state": to_state, "comment": comment})
        except ValidationError as exc:
            raise validation_failed(exc) from None
        async with self._writing() as uow:
            result = await self._service(uow).transition(
                principal, course_id, body.to_state, body.comment
            )
            outcome = TransitionOutcome(
                workflow_state=str(result.course.workflow_state),
                requires_approval=result.requires_approval,
                approval_id=result.approval.id if result.approval else None,
            )
        return outcome

    async def decide(
        self, principal: Principal, approval_id: uuid.UUID, *, approve: bool, comment: str
    ) -> ApprovalView:
        ensure_role(principal, *DECIDE)
        try:
            body = Decision.model_validate({"comment": comment})
        except ValidationError as exc:
            raise validation_failed(exc) from None
        async with self._writing() as uow:
            service = self._service(uow)
            approval = await service.decide(
                principal, approval_id, approve=approve, comment=body.comment
            )
            titles = await service.titles(principal, [approval.course_id])
            view = _approval(approval, principal, titles)
        return view


class AccessGrantAdministration:
    """Who may read a priced course: its grants by opaque buyer id (no tokens, no personal
    data), as `GET /api/courses/{id}/access-grants` shows them to every role."""

    def __init__(self, deps: FactoryDeps) -> None:
        self.deps = deps

    async def access_grants(self, principal: Principal, course_id: uuid.UUID) -> AccessGrants:
        async with self.deps.database.read_session() as session:
            course = await CourseRepository(session).get(course_id, tenant_id=principal.tenant_id)
            if course is None:
                raise NotFound(f"no course {course_id}")
            grants = await AccessGrantRepository(session).of_course(course_id)
        active = sum(1 for grant in grants if grant.active)
        return AccessGrants(
            course_id=course_id,
            active=active,
            revoked=len(grants) - active,
            grants=tuple(
                AccessGrantView(
                    grant_id=grant.id,
                    buyer_id=str(grant.buyer_id),
                    payment_id=grant.payment_id,
                    granted_at=grant.granted_at,
                    revoked_at=grant.revoked_at,
                    revoke_reason=grant.revoke_reason,
                )
                for grant in reversed(grants)
            ),
        )


def _upper(metadata: Sequence[Any]) -> int:
    return next(int(rule.le) for rule in metadata if getattr(rule, "le", None) is not None)


def _section(section: dict[str, Any]) -> LandingSectionView:
    return LandingSectionView(
        kind=str(section.get("kind", "")),
        heading=str(section.get("heading", "")),
        body=str(section.get("body", "")),
        items=tuple(str(item) for item in section.get("items") or ()),
    )
