"""Request and response bodies of the course factory's API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from brain.course_factory.content import Audience, Language
from brain.course_factory.models import GenerationStatus, WorkflowState
from brain.kernel.requests import MULTILINE_TEXT, RequestModel, request_schema_rules

MAX_AUDIENCES = 4


class _Body(RequestModel):
    pass


class GenerateRequest(_Body):
    title: Annotated[str, Field(min_length=3, max_length=200)]
    description: Annotated[str, Field(max_length=500), MULTILINE_TEXT] = ""
    language: Language
    target_audiences: Annotated[
        list[Audience],
        Field(
            min_length=1,
            max_length=MAX_AUDIENCES,
            description="1 to 4 of: " + ", ".join(a.value for a in Audience),
            json_schema_extra={"uniqueItems": True},
        ),
    ]
    template_id: Annotated[
        str, Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")
    ] = "custom"
    dry_run: bool = False
    full_lessons_count: Annotated[int, Field(ge=0, le=30)] = 3
    generate_quiz: bool = True
    generate_landing_page: bool = True
    deploy_to_staging: bool = True

    @field_validator("title")
    @classmethod
    def _title_has_text(cls, value: str) -> str:
        if len(value.strip()) < 3:
            raise ValueError("must have at least 3 characters besides spaces")
        return value.strip()

    @field_validator("target_audiences")
    @classmethod
    def _distinct(cls, value: list[Audience]) -> list[Audience]:
        if len(set(value)) != len(value):
            raise ValueError("must not repeat an audience")
        return value


class GenerationAccepted(BaseModel):
    course_id: uuid.UUID
    status: GenerationStatus
    status_url: str


class Progress(BaseModel):
    lessons_done: int
    lessons_total: int


class CourseOut(BaseModel):
    id: uuid.UUID
    title: str
    description: str
    language: str
    target_audiences: list[str]
    template_id: str
    dry_run: bool
    full_lessons_count: int
    generate_quiz: bool
    generate_landing_page: bool
    deploy_to_staging: bool
    generation_status: GenerationStatus
    workflow_state: WorkflowState
    progress: Progress
    generation_attempt: int
    error: str | None
    staging_url: str | None
    evidence_pack_available: bool
    generator: str | None
    usage: dict[str, int]
    created_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    duration_seconds: float | None


class CoursePage(BaseModel):
    items: list[CourseOut]
    total: int
    offset: int
    limit: int


class LessonSummary(BaseModel):
    id: uuid.UUID
    position: int
    module_position: int
    title: str
    summary: str
    placeholder: bool
    revision: int


class ModuleOut(BaseModel):
    id: uuid.UUID
    position: int
    title: str
    summary: str
    lessons: list[LessonSummary]


class OutlineOut(BaseModel):
    course_id: uuid.UUID
    total_modules: int
    total_lessons: int
    modules: list[ModuleOut]


class RevisionOut(BaseModel):
    revision: int
    title: str
    source: str
    author: str
    created_at: datetime
    markdown: str | None


class LessonOut(LessonSummary):
    module_id: uuid.UUID
    markdown: str | None
    revisions: list[RevisionOut] = []


class QuestionOut(BaseModel):
    id: uuid.UUID
    position: int
    question: str
    options: list[str]
    correct_index: int
    explanation: str
    revision: int


class QuizOut(BaseModel):
    id: uuid.UUID
    course_id: uuid.UUID
    questions: list[QuestionOut]


class LandingPageOut(BaseModel):
    id: uuid.UUID
    course_id: uuid.UUID
    sections: list[dict[str, Any]]


class PreviewLinkOut(BaseModel):
    url: str = Field(description="The staging site's address with a signed `preview` token.")
    expires_at: datetime


def _lesson_edit_schema(schema: dict[str, Any], cls: type[BaseModel]) -> None:
    """Say what is accepted: at least one field, and a field that is sent is text (null is
    refused like an empty body)."""
    request_schema_rules(schema, cls)
    for prop in schema["properties"].values():
        options = [o for o in prop.pop("anyOf", []) if o.get("type") != "null"]
        if options:
            prop.update(options[0])
        prop.pop("default", None)
    schema["minProperties"] = 1


class LessonEdit(_Body):
    """At least one of the two; a field left out keeps its text."""

    model_config = ConfigDict(json_schema_extra=_lesson_edit_schema)

    title: Annotated[str | None, Field(min_length=3, max_length=200)] = None
    markdown: Annotated[str | None, Field(min_length=1, max_length=40_000), MULTILINE_TEXT] = None

    @field_validator("title", "markdown", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("leave the field out to keep it; null is no text")
        return value

    @model_validator(mode="after")
    def _something_to_change(self) -> Self:
        if self.title is None and self.markdown is None:
            raise ValueError("give a title, markdown or both")
        return self

    def is_empty(self) -> bool:
        return self.title is None and self.markdown is None


class TransitionRequest(_Body):
    to_state: WorkflowState
    comment: Annotated[str, Field(max_length=1000), MULTILINE_TEXT] = ""


class TransitionOut(BaseModel):
    course_id: uuid.UUID
    from_state: WorkflowState
    to_state: WorkflowState
    workflow_state: WorkflowState
    requires_approval: bool
    approval_request_id: uuid.UUID | None = None


class Decision(_Body):
    comment: Annotated[str, Field(max_length=1000), MULTILINE_TEXT] = ""


class ApprovalOut(BaseModel):
    id: uuid.UUID
    course_id: uuid.UUID
    from_state: WorkflowState
    to_state: WorkflowState
    requested_by: str
    comment: str
    status: str
    decided_by: str | None
    decision_comment: str | None
    created_at: datetime
    decided_at: datetime | None


class AccessGrantOut(BaseModel):
    """A buyer's access, without personal data (the buyer is an opaque id) or the token."""

    id: uuid.UUID
    buyer_id: uuid.UUID
    payment_id: uuid.UUID
    granted_at: datetime
    revoked_at: datetime | None
    revoke_reason: str | None


class AccessGrantsOut(BaseModel):
    course_id: uuid.UUID
    total: int
    active: int
    revoked: int
    grants: list[AccessGrantOut]
