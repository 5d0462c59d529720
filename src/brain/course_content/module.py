"""The course content, as the composition root sees it (`docs/modules.md`)."""

from __future__ import annotations

from brain.course_content import cli
from brain.course_content.activities import ReleaseActivities
from brain.course_content.admin import ContentAdministration
from brain.course_content.consumers import content_tree_builder
from brain.course_content.dependencies import CONTENT, ContentDeps
from brain.course_content.releases import ReleaseSteps
from brain.course_content.router import router
from brain.course_content.settings import ContentSettings
from brain.course_content.workflows import ReleaseWorkflow
from brain.kernel.admin_contracts import ContentAdmin
from brain.kernel.contracts import CourseOutlineReader
from brain.modules import Module, Parts, Services, TemporalWorker


def build(services: Services) -> Parts[ContentDeps]:
    settings = services.settings_as(ContentSettings)
    outlines = services.contracts.get(CourseOutlineReader)
    steps = ReleaseSteps(
        services.unit_of_work,
        services.database,
        services.publisher,
        outlines,
        settings,
        services.settings.data_dir,
    )
    deps = ContentDeps(
        settings=settings,
        database=services.database,
        units_of_work=services.unit_of_work,
        publisher=services.publisher,
        outlines=outlines,
        temporal=services.temporal,
        data_dir=services.settings.data_dir,
        steps=steps,
    )
    return Parts(
        deps=deps,
        subscribers=[content_tree_builder(outlines)],
        workers=[
            TemporalWorker(
                task_queue=settings.content_task_queue,
                workflows=[ReleaseWorkflow],
                activities=ReleaseActivities(steps).all(),  # type: ignore[arg-type]  # bound activity methods
            )
        ],
        body_limits=[(r"/api/examples/[^/]+/versions", settings.content_upload_max_bytes)],
    )


MODULE = Module[ContentDeps](
    name="course_content",
    build=build,
    dependency=CONTENT,
    settings=ContentSettings,
    routers=[router],
    cli=cli.build_content,
    cli_name="content",
    cli_groups={"examples": cli.build_examples},
    exports={ContentAdmin: ContentAdministration},
    needs=[CourseOutlineReader],
)
