"""The course content's dependencies as one object, and the request dependencies built on it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import Depends

from brain.course_content.releases import ReleaseService, ReleaseSteps
from brain.course_content.service import (
    ContentService,
    CourseLookup,
    DeploymentService,
    ExampleService,
)
from brain.course_content.settings import ContentSettings
from brain.events import EventPublisher
from brain.kernel.contracts import CourseOutlineReader
from brain.kernel.db import Database
from brain.kernel.temporal import TemporalRuntime
from brain.kernel.uow import UnitOfWork
from brain.kernel.web import UoW, Wired


@dataclass(frozen=True)
class ContentDeps:
    settings: ContentSettings
    database: Database
    units_of_work: Callable[[], UnitOfWork]
    publisher: EventPublisher
    outlines: CourseOutlineReader
    temporal: TemporalRuntime
    data_dir: Path
    steps: ReleaseSteps

    @property
    def courses(self) -> CourseLookup:
        return CourseLookup(self.outlines)

    def content(self, uow: UnitOfWork) -> ContentService:
        return ContentService(uow, self.publisher, self.courses)

    def examples(self, uow: UnitOfWork) -> ExampleService:
        return ExampleService(uow, self.publisher)

    def deployments(self, uow: UnitOfWork) -> DeploymentService:
        return DeploymentService(uow, self.publisher, self.courses)

    def releases(self, uow: UnitOfWork) -> ReleaseService:
        return ReleaseService(
            uow, self.publisher, self.courses, self.temporal, self.settings, self.data_dir
        )

    def reading(self) -> UnitOfWork:
        """A unit of work on the read engine: never takes SQLite's write lock, writes nothing."""
        return UnitOfWork(self.database.read_sessionmaker)


CONTENT = Wired[ContentDeps]("the course content")
Deps = Annotated[ContentDeps, Depends(CONTENT)]


def _content(uow: UoW, deps: Deps) -> ContentService:
    return deps.content(uow)


def _examples(uow: UoW, deps: Deps) -> ExampleService:
    return deps.examples(uow)


def _deployments(uow: UoW, deps: Deps) -> DeploymentService:
    return deps.deployments(uow)


Contents = Annotated[ContentService, Depends(_content)]
Examples = Annotated[ExampleService, Depends(_examples)]
Deployments = Annotated[DeploymentService, Depends(_deployments)]


async def _read(deps: Deps) -> AsyncIterator[UnitOfWork]:
    async with deps.reading() as unit:
        yield unit


ReadUnit = Annotated[UnitOfWork, Depends(_read, scope="function")]


def _read_content(unit: ReadUnit, deps: Deps) -> ContentService:
    return deps.content(unit)


def _read_examples(unit: ReadUnit, deps: Deps) -> ExampleService:
    return deps.examples(unit)


def _read_deployments(unit: ReadUnit, deps: Deps) -> DeploymentService:
    return deps.deployments(unit)


ReadContents = Annotated[ContentService, Depends(_read_content)]
ReadExamples = Annotated[ExampleService, Depends(_read_examples)]
ReadDeployments = Annotated[DeploymentService, Depends(_read_deployments)]


def _releases(uow: UoW, deps: Deps) -> ReleaseService:
    return deps.releases(uow)


def _read_releases(unit: ReadUnit, deps: Deps) -> ReleaseService:
    return deps.releases(unit)


Releases = Annotated[ReleaseService, Depends(_releases)]
ReadReleases = Annotated[ReleaseService, Depends(_read_releases)]
