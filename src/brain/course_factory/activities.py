"""The activities of the course generation: thin adapters from Temporal to `GenerationSteps`."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from temporalio import activity
from temporalio.exceptions import ApplicationError

from brain.course_factory.content import GenerationError
from brain.course_factory.generation import CourseMissing, GenerationSteps, NotQueued
from brain.course_factory.workflows import (
    Completion,
    CourseRef,
    Failure,
    LessonRef,
    OutlineOut,
    PlanOut,
)


def _business_error(exc: Exception) -> ApplicationError:
    if isinstance(exc, CourseMissing | NotQueued):
        return ApplicationError(str(exc), type=type(exc).__name__, non_retryable=True)
    assert isinstance(exc, GenerationError)
    if exc.retryable:
        return ApplicationError(str(exc), type="GenerationError")
    return ApplicationError(str(exc), type="NonRetryableGenerationError", non_retryable=True)


class GenerationActivities:
    def __init__(self, steps: GenerationSteps) -> None:
        self.steps = steps

    def all(self) -> list[Callable[..., Any]]:
        return [
            self.begin_generation,
            self.create_outline,
            self.generate_lesson,
            self.create_quiz,
            self.create_landing_page,
            self.deploy_staging,
            self.build_evidence_pack,
            self.complete_generation,
            self.fail_generation,
        ]

    @activity.defn(name="begin_generation")
    async def begin_generation(self, ref: CourseRef) -> PlanOut:
        try:
            plan = await self.steps.begin(uuid.UUID(ref.course_id))
        except (CourseMissing, NotQueued) as exc:
            raise _business_error(exc) from exc
        return PlanOut(
            plan.dry_run, plan.generate_quiz, plan.generate_landing_page, plan.deploy_to_staging
        )

    @activity.defn(name="create_outline")
    async def create_outline(self, ref: CourseRef) -> OutlineOut:
        try:
            done = await self.steps.create_outline(uuid.UUID(ref.course_id))
        except (CourseMissing, GenerationError) as exc:
            raise _business_error(exc) from exc
        return OutlineOut(done.total_lessons, done.lessons_to_generate)

    @activity.defn(name="generate_lesson")
    async def generate_lesson(self, ref: LessonRef) -> None:
        try:
            await self.steps.generate_lesson(uuid.UUID(ref.course_id), ref.position)
        except (CourseMissing, GenerationError) as exc:
            raise _business_error(exc) from exc

    @activity.defn(name="create_quiz")
    async def create_quiz(self, ref: CourseRef) -> None:
        try:
            await self.steps.create_quiz(uuid.UUID(ref.course_id))
        except (CourseMissing, GenerationError) as exc:
            raise _business_error(exc) from exc

    @activity.defn(name="create_landing_page")
    async def create_landing_page(self, ref: CourseRef) -> None:
        try:
            await self.steps.create_landing_page(uuid.UUID(ref.course_id))
        except (CourseMissing, GenerationError) as exc:
            raise _business_error(exc) from exc

    @activity.defn(name="deploy_staging")
    async def deploy_staging(self, ref: CourseRef) -> None:
        try:
            await self.steps.deploy_staging(uuid.UUID(ref.course_id))
        except CourseMissing as exc:
            raise _business_error(exc) from exc

    @activity.defn(name="build_evidence_pack")
    async def build_evidence_pack(self, ref: CourseRef) -> None:
        try:
            await self.steps.build_evidence_pack(uuid.UUID(ref.course_id))
        except CourseMissing as exc:
            raise _business_error(exc) from exc

    @activity.defn(name="complete_generation")
    async def complete_generation(self, done: Completion) -> None:
        try:
            await self.steps.complete(uuid.UUID(done.course_id), done.execution_seconds)
        except CourseMissing as exc:
            raise _business_error(exc) from exc

    @activity.defn(name="fail_generation")
    async def fail_generation(self, failure: Failure) -> None:
        try:
            await self.steps.fail(
                uuid.UUID(failure.course_id),
                failure.error_type,
                failure.message,
                failure.execution_seconds,
                cancelled=failure.cancelled,
            )
        except CourseMissing:
            activity.logger.warning("course %s is gone; nothing to mark failed", failure.course_id)
