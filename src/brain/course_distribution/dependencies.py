"""The course distribution's dependencies as one object, and the request dependencies built on
it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from brain.course_distribution.catalog import CatalogVersion
from brain.course_distribution.service import DistributionService
from brain.course_distribution.settings import DistributionSettings
from brain.course_distribution.tracking import Tracking
from brain.events import EventPublisher
from brain.kernel.contracts import CourseOutlineReader, CourseReader
from brain.kernel.db import Database
from brain.kernel.uow import UnitOfWork
from brain.kernel.web import UoW, Wired


@dataclass(frozen=True)
class DistributionDeps:
    settings: DistributionSettings
    public_url: str
    """The platform's public base URL without a trailing slash."""
    database: Database
    units_of_work: Callable[[], UnitOfWork]
    publisher: EventPublisher
    outlines: CourseOutlineReader
    courses: CourseReader
    """Whose a course is: an operator may distribute only a course of its own tenant."""
    tracking: Tracking
    version: CatalogVersion
    """This process's knowledge of the catalog's version (what its kept responses depend on)."""

    def service(self, uow: UnitOfWork) -> DistributionService:
        return DistributionService(uow, self.publisher, self.courses)

    def course_url(self, slug: str) -> str:
        return f"{self.public_url}/courses/{slug}"


DISTRIBUTION = Wired[DistributionDeps]("the course distribution")
Deps = Annotated[DistributionDeps, Depends(DISTRIBUTION)]


def _service(uow: UoW, deps: Deps) -> DistributionService:
    return deps.service(uow)


Distributions = Annotated[DistributionService, Depends(_service)]
