"""The course distribution, as the composition root sees it (`docs/modules.md`)."""

from __future__ import annotations

from brain.course_distribution import cli
from brain.course_distribution.admin import DistributionAdministration
from brain.course_distribution.catalog import CatalogVersion, is_public_path
from brain.course_distribution.consumers import distribution_consumer
from brain.course_distribution.contract import DistributionLookup
from brain.course_distribution.dependencies import DISTRIBUTION, DistributionDeps
from brain.course_distribution.pages import router as pages
from brain.course_distribution.router import router
from brain.course_distribution.settings import DistributionSettings
from brain.course_distribution.tracking import build_tracking
from brain.kernel.admin_contracts import DistributionAdmin
from brain.kernel.contracts import CourseOutlineReader, CourseReader, DistributionReader
from brain.kernel.response_cache import CachedResponses
from brain.modules import Module, Parts, Services


def build(services: Services) -> Parts[DistributionDeps]:
    settings = services.settings_as(DistributionSettings)
    tracking = build_tracking(settings, services.unit_of_work, services.publisher)
    version = CatalogVersion(services.database, settings.distribution_version_check_seconds)
    services.database.after_commit(version.committed)
    deps = DistributionDeps(
        settings=settings,
        public_url=services.settings.public_url,
        database=services.database,
        units_of_work=services.unit_of_work,
        publisher=services.publisher,
        outlines=services.contracts.get(CourseOutlineReader),
        courses=services.contracts.get(CourseReader),
        tracking=tracking,
        version=version,
    )
    return Parts(
        deps=deps,
        subscribers=[distribution_consumer(services.settings.public_url)],
        # Every API process publishes the tracking buckets; the last counts go out on stop.
        # The version is checked in the background, off the requests' path (ADR 0024).
        background=[tracking.aggregator.run, version.run],
        cached=[CachedResponses("the public catalog", is_public_path, version.current)],
    )


MODULE = Module[DistributionDeps](
    name="course_distribution",
    build=build,
    dependency=DISTRIBUTION,
    settings=DistributionSettings,
    routers=[router],
    pages=[pages],
    cli=cli.build,
    cli_name="distributions",
    provides={
        DistributionReader: lambda services: DistributionLookup(services.database),
        DistributionAdmin: lambda services: DistributionAdministration(
            services.database,
            services.unit_of_work,
            services.publisher,
            services.settings.public_url,
        ),
    },
    needs=[CourseOutlineReader, CourseReader],
)
