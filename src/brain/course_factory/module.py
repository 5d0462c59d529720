"""The course factory, as the composition root sees it (`docs/modules.md`)."""

from __future__ import annotations

import weakref

from fastapi.staticfiles import StaticFiles

from brain.course_factory import cli
from brain.course_factory.activities import GenerationActivities
from brain.course_factory.admin import CourseAdministration
from brain.course_factory.consumers import generation_starter
from brain.course_factory.contract import OutlineReader
from brain.course_factory.dependencies import FACTORY, FactoryDeps
from brain.course_factory.generation import GenerationSteps
from brain.course_factory.generators.factory import build_generator
from brain.course_factory.router import router
from brain.course_factory.settings import FactorySettings
from brain.course_factory.workflows import CourseGenerationWorkflow
from brain.kernel.admin_contracts import CourseAdmin
from brain.kernel.contracts import CourseOutlineReader
from brain.modules import Module, Mount, Parts, Services, TemporalWorker

_DEPS: weakref.WeakValueDictionary[int, FactoryDeps] = weakref.WeakValueDictionary()


def factory_deps(services: Services) -> FactoryDeps:
    """The factory's objects for one platform, made once: its parts and its operator contract
    share them (one generator: the LLM generator owns an HTTP client). Keyed by the platform's
    database, which the entry keeps alive, so the key cannot be reused while it exists."""
    known = _DEPS.get(id(services.database))
    if known is not None and known.database is services.database:
        return known
    settings = services.settings_as(FactorySettings)
    generator = build_generator(settings)
    steps = GenerationSteps(
        services.unit_of_work,
        services.publisher,
        generator,
        events=services.events,
        data_dir=services.settings.data_dir,
        public_url=services.settings.public_url,
    )
    deps = FactoryDeps(
        settings=settings,
        database=services.database,
        units_of_work=services.unit_of_work,
        steps=steps,
        temporal=services.temporal,
        publisher=services.publisher,
        events=services.events,
    )
    _DEPS[id(services.database)] = deps
    return deps


def build(services: Services) -> Parts[FactoryDeps]:
    deps = factory_deps(services)
    settings = deps.settings
    generator = deps.steps.generator
    sites = services.settings.data_dir / "sites"
    sites.mkdir(parents=True, exist_ok=True)
    close = getattr(generator, "aclose", None)  # the LLM generator owns an HTTP client
    return Parts(
        deps=deps,
        subscribers=[generation_starter(services.temporal, settings)],
        workers=[
            TemporalWorker(
                task_queue=settings.temporal_task_queue,
                workflows=[CourseGenerationWorkflow],
                activities=GenerationActivities(deps.steps).all(),
                max_concurrent_activities=max(settings.generation_lesson_concurrency * 2, 8),
            )
        ],
        mounts=[Mount("/staging", StaticFiles(directory=sites, html=True), "staging")],
        close=[close] if close is not None else [],
    )


MODULE = Module[FactoryDeps](
    name="course_factory",
    build=build,
    dependency=FACTORY,
    settings=FactorySettings,
    routers=[router],
    cli=cli.build,
    cli_name="courses",
    provides={
        CourseOutlineReader: lambda services: OutlineReader(services.database),
        CourseAdmin: lambda services: CourseAdministration(factory_deps(services)),
    },
)
