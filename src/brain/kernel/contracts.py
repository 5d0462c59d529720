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


@dataclass(frozen=True)
class CourseView:
    """What other modules may know of a course: whose it is, what it is called, its language."""

    course_id: uuid.UUID
    tenant_id: uuid.UUID
    title: str
    language: str


class CourseReader(Protocol):
    """Implemented by course_factory: a course by its id (any tenant's; the caller compares
    `tenant_id` with its own tenant before it trusts an id it was given)."""

    async def course(self, course_id: uuid.UUID) -> CourseView | None: ...


class CourseOutlineReader(Protocol):
    """Implemented by course_factory: a course's title, description and outline."""

    async def outline(self, course_id: uuid.UUID) -> CourseOutlineView | None: ...


@dataclass(frozen=True)
class DistributionView:
    """What other modules may know of a distribution: where it is, who owns it, whether
    visitors may see it and what it costs."""

    distribution_id: uuid.UUID
    tenant_id: uuid.UUID
    course_id: uuid.UUID
    slug: str
    title: str
    language: str
    visibility: str
    """`PRIVATE`, `PUBLIC` or `UNLISTED`."""
    price_amount_minor: int | None
    """The price in the currency's minor unit (cents); None for a free course."""
    price_currency: str | None

    @property
    def visible(self) -> bool:
        return self.visibility in ("PUBLIC", "UNLISTED")

    @property
    def priced(self) -> bool:
        return bool(self.price_amount_minor) and self.price_currency is not None


class DistributionReader(Protocol):
    """Implemented by course_distribution: a distribution by its current slug, or by id."""

    async def by_slug(self, slug: str) -> DistributionView | None: ...

    async def get(self, distribution_id: uuid.UUID) -> DistributionView | None: ...

    async def of_course(self, tenant_id: uuid.UUID, course_id: uuid.UUID) -> list[DistributionView]:
        """The course's distributions (its variants included), oldest first."""
        ...


class CourseAccessLinks(Protocol):
    """Implemented by course_factory, which owns access to a course's content: the personal link
    to the learner view that a payment bought, for the payments module to show its buyer (the
    return page, the e-mail). The link carries a secret; it never travels in an event."""

    async def link_for_payment(self, payment_id: uuid.UUID) -> str | None:
        """None until the payment's access grant exists, and again once it is revoked."""
        ...
