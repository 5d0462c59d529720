"""Events of the course factory: the generation pipeline and the course workflow.

Decisions a reader of older designs may miss: `course.generation.completed` also carries what
the distribution needs to create a distribution (title, description, language, target audiences);
`course.workflow.transitioned` names an approval request, never an approval token; the first event
of a generation is `course.generation.requested` (there is no `started`).
"""

from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from brain.events.catalog import CATALOG, EventPayload
from brain.events.contracts._types import (
    Actor,
    Audiences,
    Code,
    Count,
    Description,
    ExceptionName,
    Flag,
    Hostname,
    Language,
    RelativePath,
    Seconds,
    Text,
    Title,
    Url,
    UtcDatetime,
    Uuid,
    WorkflowState,
)

SOURCE = "course_factory"
SERVICE = "course_factory_service"

MAX_MODULES = 6
MAX_LESSONS = 30
MAX_QUESTIONS = 15
CONTENT_LENGTH_MAX = 10_000_000


class CourseGenerationRequested(EventPayload):
    course_id: Uuid
    title: Title
    description: Description
    language: Language
    target_audiences: Audiences
    tenant_id: Uuid
    dry_run: Flag
    full_lessons_count: Annotated[int, Count(maximum=MAX_LESSONS)] = Field(
        description="How many lessons get full content; the others stay placeholders."
    )


class CourseOutlineCreated(EventPayload):
    course_id: Uuid
    modules_count: Annotated[int, Count(minimum=4, maximum=MAX_MODULES)]
    total_lessons: Annotated[int, Count(minimum=12, maximum=MAX_LESSONS)]
    template_id: Code = Field(description="`banking_alternatives`, `custom`, …")


class CourseLessonGenerated(EventPayload):
    course_id: Uuid
    lesson_id: Uuid
    lesson_title: Title
    module_id: Uuid
    content_length: Annotated[int, Count(maximum=CONTENT_LENGTH_MAX)] = Field(
        description="In characters."
    )
    lesson_index: Annotated[int, Count(minimum=1, maximum=MAX_LESSONS)] = Field(
        description="1-based position of the lesson in the course."
    )
    revision: Annotated[int, Count(minimum=1)] = Field(
        default=1, description="Revision of the lesson content; generated content is revision 1."
    )


class CourseLessonUpdated(EventPayload):
    course_id: Uuid
    lesson_id: Uuid
    revision: Annotated[int, Count(minimum=2)] = Field(
        description="Revision after the edit (the generated content is revision 1)."
    )
    content_length: Annotated[int, Count(maximum=CONTENT_LENGTH_MAX)] = Field(
        description="In characters."
    )


class CourseQuizCreated(EventPayload):
    course_id: Uuid
    quiz_id: Uuid
    question_count: Annotated[int, Count(minimum=10, maximum=MAX_QUESTIONS)]
    question_ids: list[Uuid] = Field(min_length=10, max_length=MAX_QUESTIONS)

    @model_validator(mode="after")
    def _one_id_per_question(self) -> Self:
        if len(self.question_ids) != self.question_count:
            raise ValueError(
                f"question_ids has {len(self.question_ids)} ids for "
                f"question_count {self.question_count}"
            )
        return self


class CourseLandingPageCreated(EventPayload):
    course_id: Uuid
    landing_page_id: Uuid
    sections_count: Annotated[int, Count(maximum=50)]
    has_hero: Flag
    has_pricing: Flag


class CourseGenerationCompleted(EventPayload):
    course_id: Uuid
    title: Title
    description: Description
    language: Language
    target_audiences: Audiences
    dry_run: Flag
    total_modules: Annotated[int, Count(maximum=MAX_MODULES)]
    total_lessons: Annotated[int, Count(maximum=MAX_LESSONS)]
    full_lessons_generated: Annotated[int, Count(maximum=MAX_LESSONS)]
    quiz_questions_count: Annotated[int, Count(maximum=MAX_QUESTIONS)] = Field(
        description="0 without a quiz."
    )
    evidence_pack_path: RelativePath = Field(
        description="Path of the evidence pack, relative to the platform's data directory."
    )
    execution_time_seconds: Seconds
    deployed: Flag = Field(description="Whether the course was deployed to staging.")
    staging_url: Url | None = Field(
        default=None, description="Set when deployed; also sent earlier by course.deployed.staging."
    )

    @model_validator(mode="after")
    def _full_lessons_within_total(self) -> Self:
        if self.full_lessons_generated > self.total_lessons:
            raise ValueError(
                f"full_lessons_generated ({self.full_lessons_generated}) exceeds "
                f"total_lessons ({self.total_lessons})"
            )
        return self


class CourseGenerationFailed(EventPayload):
    course_id: Uuid = Field(
        description="Assigned when the request is accepted, so every failure has one."
    )
    title: Title = Field(description="The requested title.")
    error_message: Annotated[str, Text(300, 400)] = Field(
        description="What went wrong, for operators; never request or generated content."
    )
    error_type: ExceptionName = Field(description="Exception class name.")
    execution_time_seconds: Seconds


class CourseWorkflowTransitioned(EventPayload):
    course_id: Uuid
    from_state: WorkflowState
    to_state: WorkflowState
    transitioned_by: Actor = Field(description="The acting principal's id, or `system`.")
    requires_approval: Flag
    approval_request_id: Uuid | None = Field(
        default=None,
        description="The approval request a human has to decide (never a token or secret).",
    )

    @model_validator(mode="after")
    def _changes_state(self) -> Self:
        if self.from_state == self.to_state:
            raise ValueError(f"from_state and to_state are both {self.from_state}")
        return self


class CourseDeployedStaging(EventPayload):
    course_id: Uuid
    staging_url: Url
    staging_domain: Hostname
    deployed_at: UtcDatetime


class CourseAccessGranted(EventPayload):
    course_id: Uuid
    grant_id: Uuid
    buyer_id: Uuid = Field(description="Opaque id of the buyer; never contact data.")
    payment_id: Uuid = Field(description="The payment that bought the access.")


class CourseAccessRevoked(EventPayload):
    course_id: Uuid
    grant_id: Uuid
    buyer_id: Uuid
    reason: Literal["refunded", "disputed"]


def _declare(
    type: str, payload: type[EventPayload], description: str, producer: str = SERVICE
) -> None:
    CATALOG.declare(
        type,
        payload,
        description=description,
        source_module=SOURCE,
        producer=producer,
        aggregate_field="course_id",
    )


_declare(
    "course.generation.requested",
    CourseGenerationRequested,
    "Emitted when a course generation request has been accepted, before anything is generated.",
)
_declare(
    "course.outline.created",
    CourseOutlineCreated,
    "Emitted when the outline (modules and lesson titles) of a course has been generated.",
)
_declare(
    "course.lesson.generated",
    CourseLessonGenerated,
    "Emitted when the full content of one lesson has been generated (not for placeholders).",
)
_declare(
    "course.lesson.updated",
    CourseLessonUpdated,
    "Emitted when an operator has edited the content of a lesson, creating a new revision.",
)
_declare(
    "course.quiz.created",
    CourseQuizCreated,
    "Emitted when the quiz of a course has been generated.",
)
_declare(
    "course.landing_page.created",
    CourseLandingPageCreated,
    "Emitted when the landing page of a course has been generated.",
)
_declare(
    "course.generation.completed",
    CourseGenerationCompleted,
    "Emitted when a whole course generation has succeeded and all its artifacts are saved.",
)
_declare(
    "course.generation.failed",
    CourseGenerationFailed,
    "Emitted when a course generation has failed for good.",
)
_declare(
    "course.workflow.transitioned",
    CourseWorkflowTransitioned,
    "Emitted when a course has moved from one workflow state to another.",
    producer="workflow_state_machine",
)
_declare(
    "course.deployed.staging",
    CourseDeployedStaging,
    "Emitted when a course has been deployed to the staging site.",
)
_declare(
    "course.access.granted",
    CourseAccessGranted,
    "Emitted when a buyer has been given access to a course's learner view (a settled payment).",
)
_declare(
    "course.access.revoked",
    CourseAccessRevoked,
    "Emitted when a buyer's access to a course has been taken back (a full refund, a dispute).",
)
