"""The course factory's dependencies as one object, and the request dependencies built on it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends

from brain.course_factory.access import AccessTokens, LearnerGate
from brain.course_factory.generation import GenerationSteps
from brain.course_factory.service import CourseService
from brain.course_factory.settings import FactorySettings
from brain.events import EventPublisher
from brain.events.operations import EventOperations
from brain.kernel.contracts import DistributionReader
from brain.kernel.db import Database
from brain.kernel.temporal import TemporalRuntime
from brain.kernel.uow import UnitOfWork
from brain.kernel.web import UoW, Wired

if TYPE_CHECKING:
    from brain.course_factory.preview import PreviewLinks


@dataclass(frozen=True)
class FactoryDeps:
    settings: FactorySettings
    database: Database
    units_of_work: Callable[[], UnitOfWork]
    steps: GenerationSteps
    temporal: TemporalRuntime
    publisher: EventPublisher
    events: EventOperations
    distributions: DistributionReader
    tokens: AccessTokens
    gate: LearnerGate
    """Whether a request may read a course's lessons (priced courses need an access grant)."""
    previews: PreviewLinks
    sites: Path
    """Where the staging sites are rendered (one folder per course)."""
    public_url: str

    def service(self, uow: UnitOfWork) -> CourseService:
        return CourseService(uow, self.publisher, self.steps, self.temporal, self.database)


FACTORY = Wired[FactoryDeps]("the course factory")
Deps = Annotated[FactoryDeps, Depends(FACTORY)]


def _service(uow: UoW, factory: Deps) -> CourseService:
    return factory.service(uow)


Courses = Annotated[CourseService, Depends(_service)]
