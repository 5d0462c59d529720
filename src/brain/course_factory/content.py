"""The content of a course as generators produce it and the factory stores and renders it.

Every generator returns these models; an LLM's JSON output is validated against the same ones.
"""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Annotated, Generic, Literal, Protocol, Self, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

T = TypeVar("T")

Language = Literal["de", "en", "fr", "es"]
LANGUAGES: tuple[Language, ...] = ("de", "en", "fr", "es")


class Audience(StrEnum):
    """Who a course is for (a documented, closed list)."""

    PRIVATE_INDIVIDUALS = "private_individuals"
    EMPLOYEES = "employees"
    SELF_EMPLOYED = "self_employed"
    STUDENTS = "students"
    RETIREES = "retirees"
    SMALL_BUSINESSES = "small_businesses"
    PUBLIC_SECTOR = "public_sector"


class _Content(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CourseBrief(_Content):
    """What a generator is asked for."""

    course_id: uuid.UUID
    title: Annotated[str, Field(min_length=3, max_length=200)]
    description: Annotated[str, Field(max_length=500)] = ""
    language: Language
    target_audiences: Annotated[list[Audience], Field(min_length=1)]
    template_id: str = "custom"
    full_lessons_count: Annotated[int, Field(ge=0, le=30)] = 3


class LessonOutline(_Content):
    title: Annotated[str, Field(min_length=3, max_length=200)]
    summary: Annotated[str, Field(min_length=10, max_length=600)]


class ModuleOutline(_Content):
    title: Annotated[str, Field(min_length=3, max_length=200)]
    summary: Annotated[str, Field(min_length=10, max_length=600)]
    lessons: Annotated[list[LessonOutline], Field(min_length=2, max_length=8)]


class Outline(_Content):
    """4 to 6 modules, 12 to 30 lessons in all (the README's generation pipeline)."""

    modules: Annotated[list[ModuleOutline], Field(min_length=4, max_length=6)]

    @model_validator(mode="after")
    def _lesson_count(self) -> Self:
        total = self.total_lessons
        if not 12 <= total <= 30:
            raise ValueError(f"an outline has 12 to 30 lessons, this one has {total}")
        return self

    @property
    def total_lessons(self) -> int:
        return sum(len(module.lessons) for module in self.modules)

    def lesson_positions(self) -> list[tuple[int, int]]:
        """(module index, lesson index within the module), 0-based, in course order."""
        return [(m, i) for m, module in enumerate(self.modules) for i in range(len(module.lessons))]


class LessonContent(_Content):
    """A full lesson: Markdown with headings, explanations, examples and a summary."""

    title: Annotated[str, Field(min_length=3, max_length=200)]
    markdown: Annotated[str, Field(min_length=200, max_length=40_000)]


class QuizQuestion(_Content):
    question: Annotated[str, Field(min_length=10, max_length=500)]
    options: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=300)]], Field(min_length=3, max_length=4)
    ]
    correct_index: Annotated[int, Field(ge=0, le=3)]
    explanation: Annotated[str, Field(min_length=10, max_length=1000)]

    @model_validator(mode="after")
    def _correct_option_exists(self) -> Self:
        if self.correct_index >= len(self.options):
            raise ValueError("correct_index points past the options")
        if len(set(self.options)) != len(self.options):
            raise ValueError("options must differ")
        return self


class Quiz(_Content):
    """10 to 15 questions (the README's generation pipeline)."""

    questions: Annotated[list[QuizQuestion], Field(min_length=10, max_length=15)]


SectionKind = Literal[
    "hero", "benefits", "audience", "curriculum", "testimonials", "faq", "pricing", "cta"
]


class LandingSection(_Content):
    kind: SectionKind
    heading: Annotated[str, Field(min_length=3, max_length=200)]
    body: Annotated[str, Field(max_length=4000)] = ""
    items: Annotated[list[Annotated[str, Field(max_length=400)]], Field(max_length=20)] = []


class LandingPage(_Content):
    sections: Annotated[list[LandingSection], Field(min_length=3, max_length=12)]

    @model_validator(mode="after")
    def _starts_with_a_hero(self) -> Self:
        if self.sections[0].kind != "hero":
            raise ValueError("a landing page starts with its hero section")
        return self

    @property
    def has_hero(self) -> bool:
        return any(section.kind == "hero" for section in self.sections)

    @property
    def has_pricing(self) -> bool:
        return any(section.kind == "pricing" for section in self.sections)


class Usage(_Content):
    """Tokens an LLM generator spent (zero for the template generator)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
        )


class Generated(BaseModel, Generic[T]):
    """A generator's result with what it cost."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    value: T
    usage: Usage = Usage()


class GenerationError(Exception):
    """A generator could not produce valid content. `retryable` says whether trying again can help
    (a timeout, a 429, invalid output) or not (a template that does not exist)."""

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


class ContentGenerator(Protocol):
    """Produces a course's content. Implementations: `TemplateGenerator` (offline, the default)
    and `LlmGenerator` (any OpenAI-compatible chat-completions endpoint)."""

    name: str
    version: str

    def knows_template(self, template_id: str) -> bool: ...

    async def outline(self, brief: CourseBrief) -> Generated[Outline]: ...

    async def lesson(
        self, brief: CourseBrief, outline: Outline, module_index: int, lesson_index: int
    ) -> Generated[LessonContent]: ...

    async def quiz(self, brief: CourseBrief, outline: Outline) -> Generated[Quiz]: ...

    async def quiz_question(
        self, brief: CourseBrief, outline: Outline, question_index: int
    ) -> Generated[QuizQuestion]: ...

    async def landing_page(
        self, brief: CourseBrief, outline: Outline
    ) -> Generated[LandingPage]: ...
