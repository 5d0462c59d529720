"""Small read-only contracts between modules. A module implements one, the composition root wires
it, and the other modules see only these types, never the implementing module."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class OutlineLessonView:
    position: int
    title: str
    summary: str
    has_content: bool


@dataclass(frozen=True)
class OutlineModuleView:
    position: int
    title: str
    summary: str
    lessons: tuple[OutlineLessonView, ...]


@dataclass(frozen=True)
class CourseOutlineView:
    course_id: uuid.UUID
    tenant_id: uuid.UUID
    title: str
    description: str
    language: str
    target_audiences: tuple[str, ...]
    modules: tuple[OutlineModuleView, ...]


class CourseOutlineReader(Protocol):
    """Implemented by course_factory: a course's title, description and outline."""

    async def outline(self, course_id: uuid.UUID) -> CourseOutlineView | None: ...
