"""The steps of a course generation, each one transaction: its artifact and its event commit
together. A step whose artifact already exists does nothing, so a retried activity (a worker that
died, a timeout) never duplicates an artifact or an event. Content is generated before the
transaction opens: no database lock is held while a generator (possibly an LLM) works."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from brain.course_factory import content as c
from brain.course_factory.evidence import write_course_evidence
from brain.course_factory.lifecycle import (
    SYSTEM,
    brief_of,
    mark_failed,
    outline_of,
    record_lesson,
    transition,
)
from brain.course_factory.models import (
    Course,
    CourseModule,
    GenerationStatus,
    LandingPage,
    Lesson,
    Quiz,
    QuizQuestion,
    WorkflowState,
)
from brain.course_factory.repository import CourseRepository
from brain.course_factory.site import SiteCourse, render_staging_site
from brain.events import EventPublisher, fit
from brain.events.contracts.course import (
    CourseDeployedStaging,
    CourseGenerationCompleted,
    CourseLandingPageCreated,
    CourseOutlineCreated,
    CourseQuizCreated,
)
from brain.events.operations import EventOperations
from brain.kernel.clock import utcnow
from brain.kernel.uow import UnitOfWork


class CourseMissing(Exception):
    """The course of a generation step does not exist (deleted, or never committed)."""


class NotQueued(Exception):
    """The course is not waiting for a generation (it was cancelled, or already finished)."""


@dataclass(frozen=True)
class Plan:
    dry_run: bool
    generate_quiz: bool
    generate_landing_page: bool
    deploy_to_staging: bool


@dataclass(frozen=True)
class OutlineDone:
    total_lessons: int
    lessons_to_generate: list[int]


class GenerationSteps:
    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        publisher: EventPublisher,
        generator: c.ContentGenerator,
        *,
        events: EventOperations,
        data_dir: Path,
        public_url: str,
    ) -> None:
        self.uow_factory = uow_factory
        self.publisher = publisher
        self.generator = generator
        self.events = events
        self.data_dir = data_dir
        self.public_url = public_url.rstrip("/")

    # -- helpers ---------------------------------------------------------------------------

    async def _load(self, course_id: uuid.UUID) -> tuple[Course, c.CourseBrief, c.Outline | None]:
        async with self.uow_factory() as uow:
            repository = CourseRepository(uow.session)
            course = await repository.get(course_id)
            if course is None:
                raise CourseMissing(f"course {course_id} does not exist")
            return course, brief_of(course), await outline_of(repository, course_id)

    async def _locked(self, uow: UnitOfWork, course_id: uuid.UUID) -> Course:
        course = await CourseRepository(uow.session).get_for_update(course_id)
        if course is None:
            raise CourseMissing(f"course {course_id} does not exist")
        return course

    def _spend(self, course: Course, usage: c.Usage) -> None:
        course.prompt_tokens += usage.prompt_tokens
        course.completion_tokens += usage.completion_tokens

    def site_dir(self, course_id: uuid.UUID) -> Path:
        return self.data_dir / "sites" / str(course_id)

    def staging_url(self, course_id: uuid.UUID) -> str:
        return f"{self.public_url}/staging/{course_id}/"

    # -- steps -----------------------------------------------------------------------------

    async def begin(self, course_id: uuid.UUID) -> Plan:
        async with self.uow_factory() as uow:
            course = await self._locked(uow, course_id)
            if course.generation_status not in (GenerationStatus.QUEUED, GenerationStatus.RUNNING):
                raise NotQueued(f"course {course_id} is {course.generation_status}, not queued")
            if course.generation_status == GenerationStatus.QUEUED:
                course.generation_status = GenerationStatus.RUNNING
                course.started_at = utcnow()
                course.error_type = course.error_message = None
                course.generator_name = self.generator.name
                course.generator_version = self.generator.version
            return Plan(
                dry_run=course.dry_run,
                generate_quiz=course.generate_quiz,
                generate_landing_page=course.generate_landing_page,
                deploy_to_staging=course.deploy_to_staging,
            )

    async def create_outline(self, course_id: uuid.UUID) -> OutlineDone:
        course, brief, outline = await self._load(course_id)
        if outline is None:
            generated = await self.generator.outline(brief)
            async with self.uow_factory() as uow:
                course = await self._locked(uow, course_id)
                if not await CourseRepository(uow.session).modules(course_id):
                    await self._store_outline(uow, course, generated.value)
                    self._spend(course, generated.usage)
                    await self.publisher.publish(
                        uow,
                        CourseOutlineCreated(
                            course_id=course_id,
                            modules_count=len(generated.value.modules),
                            total_lessons=generated.value.total_lessons,
                            template_id=course.template_id,
                        ),
                        tenant_id=course.tenant_id,
                    )
            outline = generated.value
        total = outline.total_lessons
        wanted = 0 if course.dry_run else min(course.full_lessons_count, total)
        return OutlineDone(total_lessons=total, lessons_to_generate=list(range(1, wanted + 1)))

    async def _store_outline(self, uow: UnitOfWork, course: Course, outline: c.Outline) -> None:
        position = 0
        for m, module_outline in enumerate(outline.modules, start=1):
            module = CourseModule(
                course_id=course.id,
                position=m,
                title=module_outline.title,
                summary=module_outline.summary,
            )
            uow.session.add(module)
            await uow.session.flush()
            for i, lesson in enumerate(module_outline.lessons, start=1):
                position += 1
                uow.session.add(
                    Lesson(
                        course_id=course.id,
                        module_id=module.id,
                        position=position,
                        module_position=i,
                        title=lesson.title,
                        summary=lesson.summary,
                        markdown=None,
                        revision=0,
                    )
                )
        await uow.session.flush()

    async def generate_lesson(self, course_id: uuid.UUID, position: int) -> bool:
        """Full content for the lesson at `position` (1-based); False when it already had some."""
        _course, brief, outline = await self._load(course_id)
        if outline is None:
            raise CourseMissing(f"course {course_id} has no outline yet")
        async with self.uow_factory() as uow:
            lesson = await CourseRepository(uow.session).lesson_at(course_id, position)
            if lesson is None or lesson.markdown is not None:
                return False
            module_index, lesson_index = outline.lesson_positions()[position - 1]
        generated = await self.generator.lesson(brief, outline, module_index, lesson_index)
        return await self.write_lesson(
            course_id,
            position,
            generated.value,
            generated.usage,
            source="generated",
            author=SYSTEM,
            only_placeholder=True,
        )

    async def write_lesson(
        self,
        course_id: uuid.UUID,
        position: int,
        lesson_content: c.LessonContent,
        usage: c.Usage,
        *,
        source: str,
        author: str,
        only_placeholder: bool = False,
    ) -> bool:
        async with self.uow_factory() as uow:
            course = await self._locked(uow, course_id)
            lesson = await CourseRepository(uow.session).lesson_at(course_id, position)
            if lesson is None or (only_placeholder and lesson.markdown is not None):
                return False
            self._spend(course, usage)
            await record_lesson(
                uow,
                self.publisher,
                course,
                lesson,
                lesson_content.title,
                lesson_content.markdown,
                source=source,
                author=author,
            )
        return True

    async def create_quiz(self, course_id: uuid.UUID) -> bool:
        course, brief, outline = await self._load(course_id)
        if outline is None:
            raise CourseMissing(f"course {course_id} has no outline yet")
        async with self.uow_factory() as uow:
            if await CourseRepository(uow.session).quiz(course_id) is not None:
                return False
        generated = await self.generator.quiz(brief, outline)
        async with self.uow_factory() as uow:
            course = await self._locked(uow, course_id)
            if await CourseRepository(uow.session).quiz(course_id) is not None:
                return False
            quiz = Quiz(course_id=course_id)
            uow.session.add(quiz)
            await uow.session.flush()
            questions = [
                QuizQuestion(
                    quiz_id=quiz.id,
                    position=i,
                    question=q.question,
                    options=list(q.options),
                    correct_index=q.correct_index,
                    explanation=q.explanation,
                    revision=1,
                    history=[],
                )
                for i, q in enumerate(generated.value.questions, start=1)
            ]
            uow.session.add_all(questions)
            await uow.session.flush()
            self._spend(course, generated.usage)
            await self.publisher.publish(
                uow,
                CourseQuizCreated(
                    course_id=course_id,
                    quiz_id=quiz.id,
                    question_count=len(questions),
                    question_ids=[q.id for q in questions],
                ),
                tenant_id=course.tenant_id,
            )
        return True

    async def create_landing_page(self, course_id: uuid.UUID) -> bool:
        course, brief, outline = await self._load(course_id)
        if outline is None:
            raise CourseMissing(f"course {course_id} has no outline yet")
        async with self.uow_factory() as uow:
            if await CourseRepository(uow.session).landing_page(course_id) is not None:
                return False
        generated = await self.generator.landing_page(brief, outline)
        async with self.uow_factory() as uow:
            course = await self._locked(uow, course_id)
            if await CourseRepository(uow.session).landing_page(course_id) is not None:
                return False
            page = LandingPage(
                course_id=course_id,
                sections=[s.model_dump(mode="json") for s in generated.value.sections],
            )
            uow.session.add(page)
            await uow.session.flush()
            self._spend(course, generated.usage)
            await self.publisher.publish(
                uow,
                CourseLandingPageCreated(
                    course_id=course_id,
                    landing_page_id=page.id,
                    sections_count=len(generated.value.sections),
                    has_hero=generated.value.has_hero,
                    has_pricing=generated.value.has_pricing,
                ),
                tenant_id=course.tenant_id,
            )
        return True

    async def site_course(self, course_id: uuid.UUID) -> SiteCourse:
        async with self.uow_factory() as uow:
            repository = CourseRepository(uow.session)
            course = await repository.get(course_id)
            if course is None:
                raise CourseMissing(f"course {course_id} does not exist")
            outline = await outline_of(repository, course_id)
            if outline is None:
                raise CourseMissing(f"course {course_id} has no outline yet")
            lessons = await repository.lessons(course_id)
            positions = outline.lesson_positions()
            contents = {
                # Stored text as it is: an editor's short fix need not meet a generator's minimum.
                positions[lesson.position - 1]: (
                    c.LessonContent.model_construct(title=lesson.title, markdown=lesson.markdown)
                    if lesson.markdown is not None
                    else None
                )
                for lesson in lessons
            }
            quiz = await repository.quiz(course_id)
            quiz_content = None
            if quiz is not None:
                quiz_content = c.Quiz(
                    questions=[
                        c.QuizQuestion(
                            question=q.question,
                            options=q.options,
                            correct_index=q.correct_index,
                            explanation=q.explanation,
                        )
                        for q in await repository.questions(quiz.id)
                    ]
                )
            landing = await repository.landing_page(course_id)
            return SiteCourse(
                course_id=course_id,
                brief=brief_of(course),
                outline=outline,
                lessons=contents,
                quiz=quiz_content,
                landing=c.LandingPage(sections=landing.sections) if landing else None,
            )

    async def render_site(self, course_id: uuid.UUID) -> str:
        site = await self.site_course(course_id)
        url = self.staging_url(course_id)
        render_staging_site(site, self.site_dir(course_id), url)
        return url

    async def deploy_staging(self, course_id: uuid.UUID) -> bool:
        url = await self.render_site(course_id)
        async with self.uow_factory() as uow:
            course = await self._locked(uow, course_id)
            if course.staging_url is not None:
                return False
            course.staging_url = url
            await self.publisher.publish(
                uow,
                CourseDeployedStaging(
                    course_id=course_id,
                    staging_url=url,
                    staging_domain=urlsplit(url).hostname or "localhost",
                    deployed_at=utcnow(),
                ),
                tenant_id=course.tenant_id,
            )
        return True

    def evidence_path(self, course_id: uuid.UUID) -> Path:
        return self.data_dir / "evidence" / f"{course_id}.zip"

    async def build_evidence_pack(self, course_id: uuid.UUID) -> str:
        site = await self.site_course(course_id)
        async with self.uow_factory() as uow:
            course = await CourseRepository(uow.session).get(course_id)
            assert course is not None
        trail = await self.events.aggregate_trail(str(course_id))
        path = self.evidence_path(course_id)
        write_course_evidence(
            path,
            site,
            course,
            generator=(self.generator.name, self.generator.version),
            trail=trail,
            site_dir=self.site_dir(course_id),
        )
        relative = path.relative_to(self.data_dir).as_posix()
        async with self.uow_factory() as uow:
            course = await self._locked(uow, course_id)
            course.evidence_pack_path = relative
        return relative

    async def complete(self, course_id: uuid.UUID, execution_seconds: float) -> bool:
        async with self.uow_factory() as uow:
            course = await self._locked(uow, course_id)
            if course.generation_status == GenerationStatus.COMPLETED:
                return False
            repository = CourseRepository(uow.session)
            modules = await repository.modules(course_id)
            lessons_done, total_lessons = await repository.lesson_counts(course_id)
            quiz = await repository.quiz(course_id)
            questions = len(await repository.questions(quiz.id)) if quiz else 0
            course.generation_status = GenerationStatus.COMPLETED
            course.completed_at = utcnow()
            await self.publisher.publish(
                uow,
                CourseGenerationCompleted.model_validate(
                    {
                        "course_id": course_id,
                        "title": fit(CourseGenerationCompleted, "title", course.title),
                        "description": fit(
                            CourseGenerationCompleted, "description", course.description
                        ),
                        "language": course.language,
                        "target_audiences": course.target_audiences,
                        "dry_run": course.dry_run,
                        "total_modules": len(modules),
                        "total_lessons": total_lessons,
                        "full_lessons_generated": lessons_done,
                        "quiz_questions_count": questions,
                        "evidence_pack_path": course.evidence_pack_path or "",
                        "execution_time_seconds": round(max(execution_seconds, 0.0), 3),
                        "deployed": course.staging_url is not None,
                        "staging_url": course.staging_url,
                    }
                ),
                tenant_id=course.tenant_id,
            )
            if not course.dry_run and course.workflow_state == WorkflowState.DRAFT:
                await transition(uow, self.publisher, course, WorkflowState.REVIEW, SYSTEM)
        return True

    async def fail(
        self,
        course_id: uuid.UUID,
        error_type: str,
        message: str,
        execution_seconds: float,
        *,
        cancelled: bool = False,
    ) -> bool:
        async with self.uow_factory() as uow:
            course = await self._locked(uow, course_id)
            return await mark_failed(
                uow,
                self.publisher,
                course,
                error_type,
                message,
                execution_seconds,
                cancelled=cancelled,
            )
