"""The course factory, as the composition root sees it (`docs/modules.md`)."""

from __future__ import annotations

from brain.course_factory import cli
from brain.course_factory.access import AccessTokens, LearnerGate
from brain.course_factory.access_pages import router as access_pages
from brain.course_factory.activities import GenerationActivities
from brain.course_factory.admin import AccessGrantAdministration, CourseAdministration
from brain.course_factory.consumers import access_consumer, generation_starter
from brain.course_factory.contract import AccessLinkReader, CourseLookup, OutlineReader
from brain.course_factory.dependencies import FACTORY, FactoryDeps
from brain.course_factory.generation import GenerationSteps
from brain.course_factory.generators.factory import build_generator
from brain.course_factory.learner import router as learner_pages
from brain.course_factory.preview import PreviewLinks
from brain.course_factory.preview import router as staging_pages
from brain.course_factory.router import router
from brain.course_factory.settings import FactorySettings
from brain.course_factory.workflows import CourseGenerationWorkflow
from brain.kernel.admin_contracts import AccessGrantAdmin, CourseAdmin
from brain.kernel.contracts import (
    CourseAccessLinks,
    CourseOutlineReader,
    CourseReader,
    DistributionReader,
)
from brain.kernel.secrets import platform_secret
from brain.modules import Module, Parts, Services, TemporalWorker


def access_tokens(services: Services) -> AccessTokens:
    return AccessTokens(platform_secret(services.settings))


def build(services: Services) -> Parts[FactoryDeps]:
    settings = services.settings_as(FactorySettings)
    distributions = services.contracts.get(DistributionReader)
    gate = LearnerGate(services.database, distributions)
    tokens = access_tokens(services)
    generator = build_generator(settings)
    steps = GenerationSteps(
        services.unit_of_work,
        services.publisher,
        generator,
        events=services.events,
        data_dir=services.settings.data_dir,
        public_url=services.settings.public_url,
    )
    sites = services.settings.data_dir / "sites"
    sites.mkdir(parents=True, exist_ok=True)
    deps = FactoryDeps(
        settings=settings,
        database=services.database,
        units_of_work=services.unit_of_work,
        steps=steps,
        temporal=services.temporal,
        publisher=services.publisher,
        events=services.events,
        distributions=distributions,
        tokens=tokens,
        gate=gate,
        previews=PreviewLinks(
            platform_secret(services.settings),
            settings.preview_link_seconds,
            services.settings.public_url,
        ),
        sites=sites,
        public_url=services.settings.public_url,
    )
    close = getattr(generator, "aclose", None)  # the LLM generator owns an HTTP client
    return Parts(
        deps=deps,
        subscribers=[
            generation_starter(services.temporal, settings),
            access_consumer(tokens, distributions),
        ],
        workers=[
            TemporalWorker(
                task_queue=settings.temporal_task_queue,
                workflows=[CourseGenerationWorkflow],
                activities=GenerationActivities(steps).all(),
                max_concurrent_activities=max(settings.generation_lesson_concurrency * 2, 8),
            )
        ],
        close=[close] if close is not None else [],
    )


MODULE = Module[FactoryDeps](
    name="course_factory",
    build=build,
    dependency=FACTORY,
    settings=FactorySettings,
    routers=[router],
    pages=[access_pages, staging_pages, learner_pages],  # /learn/access before /learn/{slug}
    cli=cli.build,
    cli_name="courses",
    provides={
        CourseOutlineReader: lambda services: OutlineReader(services.database),
        CourseAccessLinks: lambda services: AccessLinkReader(
            services.database, access_tokens(services), services.settings.public_url
        ),
        CourseReader: lambda services: CourseLookup(services.database),
    },
    exports={
        CourseAdmin: CourseAdministration,
        AccessGrantAdmin: AccessGrantAdministration,
    },
    needs=[DistributionReader],
)
