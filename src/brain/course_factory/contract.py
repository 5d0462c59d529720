"""course_factory implements the read-only `CourseOutlineReader`, `CourseReader` and
`CourseAccessLinks` of
brain.kernel.contracts."""

from __future__ import annotations

import uuid

from brain.course_factory.access import AccessTokens
from brain.course_factory.repository import AccessGrantRepository, CourseRepository
from brain.kernel.contracts import (
    CourseOutlineView,
    CourseView,
    OutlineLessonView,
    OutlineModuleView,
)
from brain.kernel.db import Database


class OutlineReader:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def outline(self, course_id: uuid.UUID) -> CourseOutlineView | None:
        async with self.database.read_session() as session:
            courses = CourseRepository(session)
            course = await courses.get(course_id)
            if course is None:
                return None
            modules = await courses.modules(course_id)
            lessons = await courses.lesson_outlines(course_id)
        return CourseOutlineView(
            course_id=course.id,
            tenant_id=course.tenant_id,
            title=course.title,
            description=course.description,
            language=course.language,
            target_audiences=tuple(course.target_audiences),
            modules=tuple(
                OutlineModuleView(
                    position=module.position,
                    title=module.title,
                    summary=module.summary,
                    lessons=tuple(
                        OutlineLessonView(
                            position=lesson.position,
                            title=lesson.title,
                            summary=lesson.summary,
                            has_content=lesson.has_content,
                        )
                        for lesson in lessons
                        if lesson.module_id == module.id
                    ),
                )
                for module in modules
            ),
        )


class AccessLinkReader:
    """course_factory implements `CourseAccessLinks`: the personal learner-view link of the
    grant a payment bought, while the grant holds."""

    def __init__(self, database: Database, tokens: AccessTokens, public_url: str) -> None:
        self.database = database
        self.tokens = tokens
        self.public_url = public_url.rstrip("/")

    async def link_for_payment(self, payment_id: uuid.UUID) -> str | None:
        async with self.database.read_session() as session:
            grant = await AccessGrantRepository(session).by_payment(payment_id)
        if grant is None or not grant.active:
            return None
        return f"{self.public_url}/learn/access?token={self.tokens.token(grant.id)}"


class CourseLookup:
    """`CourseReader`: a course's owner, title and language."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def course(self, course_id: uuid.UUID) -> CourseView | None:
        async with self.database.read_session() as session:
            course = await CourseRepository(session).get(course_id)
        if course is None:
            return None
        return CourseView(
            course_id=course.id,
            tenant_id=course.tenant_id,
            title=course.title,
            language=course.language,
        )
