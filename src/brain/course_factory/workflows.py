"""The course generation as a durable Temporal workflow.

outline → full lessons (concurrently, bounded) → quiz → landing page → staging site → evidence pack
→ completed. Each step is an activity with a retry policy; the workflow itself never touches the
database. A failure that exhausts the retries ends in `fail_generation`, a cancellation in the same
with `cancelled=True`. Workflow ids derive from the course id and its generation attempt, so the
same generation is never started twice.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, CancelledError

NON_RETRYABLE = ["CourseMissing", "NotQueued", "NonRetryableGenerationError"]


def workflow_id(course_id: str, attempt: int) -> str:
    return f"course-generation-{course_id}-{attempt}"


@dataclass
class GenerationInput:
    course_id: str
    lesson_concurrency: int = 4
    activity_timeout_seconds: float = 120.0
    max_attempts: int = 5


@dataclass
class GenerationResult:
    course_id: str
    status: str
    lessons_generated: int = 0
    error: str | None = None


@dataclass
class CourseRef:
    course_id: str


@dataclass
class LessonRef:
    course_id: str
    position: int


@dataclass
class PlanOut:
    dry_run: bool
    generate_quiz: bool
    generate_landing_page: bool
    deploy_to_staging: bool


@dataclass
class OutlineOut:
    total_lessons: int
    lessons_to_generate: list[int] = field(default_factory=list)


@dataclass
class Completion:
    course_id: str
    execution_seconds: float


@dataclass
class Failure:
    course_id: str
    error_type: str
    message: str
    execution_seconds: float
    cancelled: bool = False


@workflow.defn(name="CourseGeneration")
class CourseGenerationWorkflow:
    def __init__(self) -> None:
        self._stage = "queued"
        self._lessons_done = 0

    @workflow.query
    def stage(self) -> str:
        return self._stage

    @workflow.run
    async def run(self, request: GenerationInput) -> GenerationResult:
        started = workflow.now()
        ref = CourseRef(request.course_id)
        options = workflow.ActivityConfig(
            start_to_close_timeout=timedelta(seconds=request.activity_timeout_seconds),
            retry_policy=RetryPolicy(
                initial_interval=timedelta(seconds=1),
                backoff_coefficient=2.0,
                maximum_interval=timedelta(seconds=30),
                maximum_attempts=request.max_attempts,
                non_retryable_error_types=NON_RETRYABLE,
            ),
        )

        def elapsed() -> float:
            return (workflow.now() - started).total_seconds()

        try:
            self._stage = "starting"
            plan = await workflow.execute_activity(
                "begin_generation", ref, result_type=PlanOut, **options
            )
            self._stage = "outline"
            outline = await workflow.execute_activity(
                "create_outline", ref, result_type=OutlineOut, **options
            )
            if not plan.dry_run:
                self._stage = "lessons"
                positions = outline.lessons_to_generate
                step = max(request.lesson_concurrency, 1)
                for start in range(0, len(positions), step):
                    await asyncio.gather(
                        *(
                            workflow.execute_activity(
                                "generate_lesson", LessonRef(request.course_id, p), **options
                            )
                            for p in positions[start : start + step]
                        )
                    )
                    self._lessons_done += len(positions[start : start + step])
                if plan.generate_quiz:
                    self._stage = "quiz"
                    await workflow.execute_activity("create_quiz", ref, **options)
                if plan.generate_landing_page:
                    self._stage = "landing_page"
                    await workflow.execute_activity("create_landing_page", ref, **options)
                if plan.deploy_to_staging:
                    self._stage = "staging"
                    await workflow.execute_activity("deploy_staging", ref, **options)
            self._stage = "evidence_pack"
            await workflow.execute_activity("build_evidence_pack", ref, **options)
            await workflow.execute_activity(
                "complete_generation", Completion(request.course_id, elapsed()), **options
            )
            self._stage = "completed"
            return GenerationResult(request.course_id, "completed", self._lessons_done)
        except (ActivityError, ApplicationError, CancelledError, asyncio.CancelledError) as exc:
            cancelled = _is_cancellation(exc)
            error_type, message = _describe(exc)
            self._stage = "cancelled" if cancelled else "failed"
            await workflow.execute_activity(
                "fail_generation",
                Failure(request.course_id, error_type, message, elapsed(), cancelled),
                start_to_close_timeout=timedelta(seconds=30),
                retry_policy=RetryPolicy(maximum_interval=timedelta(seconds=10)),
            )
            return GenerationResult(
                request.course_id, self._stage, self._lessons_done, f"{error_type}: {message}"
            )


def _is_cancellation(exc: BaseException) -> bool:
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, CancelledError | asyncio.CancelledError):
            return True
        cause = cause.__cause__
    return False


def _describe(exc: BaseException) -> tuple[str, str]:
    """The innermost cause: the activity's own error type and message."""
    cause: BaseException = exc
    while cause.__cause__ is not None:
        cause = cause.__cause__
    if isinstance(cause, ApplicationError) and cause.type:
        return cause.type, cause.message
    if isinstance(cause, CancelledError | asyncio.CancelledError):
        return "GenerationCancelled", "the generation was cancelled"
    return type(cause).__name__, str(cause) or type(cause).__name__
