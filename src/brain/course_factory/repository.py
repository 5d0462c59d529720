"""SQL of the course factory; every read for an API caller is scoped to a tenant."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from brain.course_factory.models import (
    AccessGrant,
    ApprovalRequest,
    Course,
    CourseModule,
    LandingPage,
    Lesson,
    LessonRevision,
    Quiz,
    QuizQuestion,
    Transition,
)


@dataclass(frozen=True)
class LessonOutlineRow:
    module_id: uuid.UUID
    position: int
    title: str
    summary: str
    has_content: bool


class CourseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, course: Course) -> Course:
        self.session.add(course)
        await self.session.flush()
        return course

    async def get(
        self, course_id: uuid.UUID, *, tenant_id: uuid.UUID | None = None
    ) -> Course | None:
        query = select(Course).where(Course.id == course_id)
        if tenant_id is not None:
            query = query.where(Course.tenant_id == tenant_id)
        return await self.session.scalar(query)

    async def get_for_update(self, course_id: uuid.UUID) -> Course | None:
        query = select(Course).where(Course.id == course_id)
        if self.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update()
        return await self.session.scalar(query)

    async def page(
        self,
        tenant_id: uuid.UUID,
        *,
        workflow_state: str | None,
        generation_status: str | None,
        offset: int,
        limit: int,
    ) -> tuple[Sequence[Course], int]:
        query = select(Course).where(Course.tenant_id == tenant_id)
        if workflow_state:
            query = query.where(Course.workflow_state == workflow_state)
        if generation_status:
            query = query.where(Course.generation_status == generation_status)
        total = await self.session.scalar(select(func.count()).select_from(query.subquery()))
        rows = await self.session.scalars(
            query.order_by(Course.created_at.desc(), Course.id).offset(offset).limit(limit)
        )
        return rows.all(), int(total or 0)

    async def modules(self, course_id: uuid.UUID) -> Sequence[CourseModule]:
        rows = await self.session.scalars(
            select(CourseModule)
            .where(CourseModule.course_id == course_id)
            .order_by(CourseModule.position)
        )
        return rows.all()

    async def lessons(self, course_id: uuid.UUID) -> Sequence[Lesson]:
        rows = await self.session.scalars(
            select(Lesson).where(Lesson.course_id == course_id).order_by(Lesson.position)
        )
        return rows.all()

    async def lesson_outlines(self, course_id: uuid.UUID) -> list[LessonOutlineRow]:
        """The outline of a course's lessons, not their content: titles, summaries and whether
        each is written."""
        rows = await self.session.execute(
            select(
                Lesson.module_id,
                Lesson.position,
                Lesson.title,
                Lesson.summary,
                Lesson.markdown.is_not(None),
            )
            .where(Lesson.course_id == course_id)
            .order_by(Lesson.position)
        )
        return [LessonOutlineRow(m, p, t, s, bool(h)) for m, p, t, s, h in rows]

    async def lesson(self, course_id: uuid.UUID, lesson_id: uuid.UUID) -> Lesson | None:
        return await self.session.scalar(
            select(Lesson).where(Lesson.course_id == course_id, Lesson.id == lesson_id)
        )

    async def lesson_at(self, course_id: uuid.UUID, position: int) -> Lesson | None:
        return await self.session.scalar(
            select(Lesson).where(Lesson.course_id == course_id, Lesson.position == position)
        )

    async def lessons_done(self, course_id: uuid.UUID) -> int:
        count = await self.session.scalar(
            select(func.count())
            .select_from(Lesson)
            .where(Lesson.course_id == course_id, Lesson.markdown.is_not(None))
        )
        return int(count or 0)

    async def lesson_counts(self, course_id: uuid.UUID) -> tuple[int, int]:
        """(lessons written, lessons in the outline), in one query."""
        row = (
            await self.session.execute(
                select(
                    func.count(Lesson.markdown),  # counts the non-NULL ones
                    func.count(),
                )
                .select_from(Lesson)
                .where(Lesson.course_id == course_id)
            )
        ).one()
        return int(row[0]), int(row[1])

    async def lesson_counts_of(
        self, course_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, tuple[int, int]]:
        """`lesson_counts` of several courses, in one grouped query (courses without lessons
        are absent)."""
        if not course_ids:
            return {}
        rows = await self.session.execute(
            select(Lesson.course_id, func.count(Lesson.markdown), func.count())
            .where(Lesson.course_id.in_(list(course_ids)))
            .group_by(Lesson.course_id)
        )
        return {course_id: (int(done), int(total)) for course_id, done, total in rows.all()}

    async def revisions(self, lesson_id: uuid.UUID) -> Sequence[LessonRevision]:
        rows = await self.session.scalars(
            select(LessonRevision)
            .where(LessonRevision.lesson_id == lesson_id)
            .order_by(LessonRevision.revision)
        )
        return rows.all()

    async def quiz(self, course_id: uuid.UUID) -> Quiz | None:
        return await self.session.scalar(select(Quiz).where(Quiz.course_id == course_id))

    async def questions(self, quiz_id: uuid.UUID) -> Sequence[QuizQuestion]:
        rows = await self.session.scalars(
            select(QuizQuestion)
            .where(QuizQuestion.quiz_id == quiz_id)
            .order_by(QuizQuestion.position)
        )
        return rows.all()

    async def landing_page(self, course_id: uuid.UUID) -> LandingPage | None:
        return await self.session.scalar(
            select(LandingPage).where(LandingPage.course_id == course_id)
        )

    async def approval(
        self, approval_id: uuid.UUID, *, tenant_id: uuid.UUID
    ) -> ApprovalRequest | None:
        return await self.session.scalar(
            select(ApprovalRequest).where(
                ApprovalRequest.id == approval_id, ApprovalRequest.tenant_id == tenant_id
            )
        )

    async def approvals(
        self,
        tenant_id: uuid.UUID,
        *,
        status: str | None,
        limit: int,
        offset: int = 0,
        course_id: uuid.UUID | None = None,
    ) -> Sequence[ApprovalRequest]:
        query = self._approvals(tenant_id, status, course_id)
        rows = await self.session.scalars(
            query.order_by(ApprovalRequest.created_at, ApprovalRequest.id)
            .offset(offset)
            .limit(limit)
        )
        return rows.all()

    async def count_approvals(
        self, tenant_id: uuid.UUID, *, status: str | None, course_id: uuid.UUID | None = None
    ) -> int:
        query = self._approvals(tenant_id, status, course_id)
        return int(
            await self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        )

    @staticmethod
    def _approvals(
        tenant_id: uuid.UUID, status: str | None, course_id: uuid.UUID | None
    ) -> Select[ApprovalRequest]:
        query = select(ApprovalRequest).where(ApprovalRequest.tenant_id == tenant_id)
        if status:
            query = query.where(ApprovalRequest.status == status)
        if course_id is not None:
            query = query.where(ApprovalRequest.course_id == course_id)
        return query

    async def status_counts(self, tenant_id: uuid.UUID) -> list[tuple[str, str, int]]:
        """(generation status, workflow state, courses) of a tenant, in one grouped query."""
        rows = await self.session.execute(
            select(Course.generation_status, Course.workflow_state, func.count())
            .where(Course.tenant_id == tenant_id)
            .group_by(Course.generation_status, Course.workflow_state)
        )
        return [(str(status), str(state), int(count)) for status, state, count in rows.all()]

    async def titles(
        self, tenant_id: uuid.UUID, course_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, str]:
        if not course_ids:
            return {}
        rows = await self.session.execute(
            select(Course.id, Course.title).where(
                Course.tenant_id == tenant_id, Course.id.in_(list(course_ids))
            )
        )
        return {row[0]: row[1] for row in rows.all()}

    async def pending_approval(self, course_id: uuid.UUID) -> ApprovalRequest | None:
        return await self.session.scalar(
            select(ApprovalRequest).where(
                ApprovalRequest.course_id == course_id, ApprovalRequest.status == "pending"
            )
        )

    async def transitions(self, course_id: uuid.UUID) -> Sequence[Transition]:
        rows = await self.session.scalars(
            select(Transition)
            .where(Transition.course_id == course_id)
            .order_by(Transition.created_at)
        )
        return rows.all()


class AccessGrantRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_payment(self, payment_id: uuid.UUID) -> AccessGrant | None:
        return await self.session.scalar(
            select(AccessGrant).where(AccessGrant.payment_id == payment_id)
        )

    async def by_digest(self, digest: str) -> AccessGrant | None:
        return await self.session.scalar(
            select(AccessGrant).where(AccessGrant.token_digest == digest)
        )

    async def add_once(self, grant: AccessGrant) -> bool:
        """Insert the grant unless the payment already has one (False then)."""
        dialect = self.session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        result = await self.session.execute(
            insert(AccessGrant)
            .values(
                id=grant.id,
                tenant_id=grant.tenant_id,
                course_id=grant.course_id,
                buyer_id=grant.buyer_id,
                payment_id=grant.payment_id,
                token_digest=grant.token_digest,
                granted_at=grant.granted_at,
            )
            .on_conflict_do_nothing(index_elements=["payment_id"])
            .returning(AccessGrant.id)
        )
        return result.scalar_one_or_none() is not None

    async def of_course(self, course_id: uuid.UUID) -> Sequence[AccessGrant]:
        rows = await self.session.scalars(
            select(AccessGrant)
            .where(AccessGrant.course_id == course_id)
            .order_by(AccessGrant.granted_at, AccessGrant.id)
        )
        return rows.all()
